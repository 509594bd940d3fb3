package io.digitstream.classifier.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fencer's ways of doing nothing; what it fences is tested against a real broker in DeadTransactionFencerIT. */
class DeadTransactionFencerTest {

    @Test
    void anInstanceWhoseConsumerIsNotNamedByKafkaStreamsFencesNothing() throws IOException {
        try (DeadTransactionFencer fencer = DeadTransactionFencer.create(unreachableBroker(), "app")) {
            // answered without asking Kafka, which is not there: a user's client.id hides the process ids
            assertThat(fencer.fenceDeadInstances("my-own-client-id")).isEmpty();
            assertThat(fencer.fenceDeadInstances("other-app-" + UUID.randomUUID() + "-StreamThread-1-consumer"))
                    .isEmpty();
        }
    }

    @Test
    @Timeout(30) // the fencer's calls give up after 5 s, not after the Admin client's default of a minute
    void whenKafkaCannotBeAskedNothingIsFencedAndTheCallReturns() throws IOException {
        try (DeadTransactionFencer fencer = DeadTransactionFencer.create(unreachableBroker(), "app")) {
            assertThat(fencer.fenceDeadInstances("app-" + UUID.randomUUID() + "-StreamThread-1-consumer")).isEmpty();
        }
    }

    @Test
    void aRebalanceAfterCloseIsNotAnError() throws IOException {
        DeadTransactionFencer fencer = DeadTransactionFencer.create(unreachableBroker(), "app");
        fencer.close();

        // the state listener runs on a stream thread, which may outlive the application's close
        assertThatCode(() -> fencer.rebalanceStarted(Optional::empty)).doesNotThrowAnyException();
    }

    /** A loopback port that nothing listens on. */
    private static Map<String, Object> unreachableBroker() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
    }
}
