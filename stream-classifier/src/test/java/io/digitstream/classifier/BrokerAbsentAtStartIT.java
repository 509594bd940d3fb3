package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.digitstream.localbroker.LocalKafkaBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No broker when the classifier starts: it waits for one up to broker.wait.timeout, then gives up saying why. */
class BrokerAbsentAtStartIT {

    @TempDir
    Path dir;

    @Test
    void givesUpAfterTheTimeoutWithOneLineNamingTheSetting() throws IOException {
        int port = freePort();
        ClassifierConfig config = config(port).with(ClassifierConfig.KEY_BROKER_WAIT_TIMEOUT, "PT4S");

        assertThatThrownBy(() -> ClassifierApplication.start(config, MnistTraffic.MODEL, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("no Kafka broker answered at 127.0.0.1:" + port + " within PT4S")
                .hasMessageContaining("bootstrap.servers")
                .hasMessageNotContaining("\n");
    }

    @Test
    void startsWhenTheBrokerComesUpWhileItWaits() throws Exception {
        int port = freePort();
        ClassifierConfig config = config(port).with(ClassifierConfig.KEY_BROKER_WAIT_TIMEOUT, "PT2M");
        CompletableFuture<ClassifierApplication> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return ClassifierApplication.start(config, MnistTraffic.MODEL, 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(4_000);
        assertThat(starting).as("still waiting for a broker").isNotDone();

        try (LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaBroker.Settings.of(dir.resolve("kafka"))
                .withPort(port));
             ClassifierApplication app = starting.get(2, TimeUnit.MINUTES)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!app.isReady() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(app.notReadyReason()).isEmpty();
            assertThat(broker.bootstrapServers()).isEqualTo(config.bootstrapServers());
        }
    }

    private ClassifierConfig config(int port) {
        return ClassifierConfig.defaults()
                .with(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, "127.0.0.1:" + port)
                .with(ClassifierConfig.KEY_APPLICATION_ID, "absent-at-start")
                .with(ClassifierConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(LocalKafkaBroker.HOST), 0));
            return socket.getLocalPort();
        }
    }
}
