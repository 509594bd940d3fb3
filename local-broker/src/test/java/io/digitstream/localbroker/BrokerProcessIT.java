package io.digitstream.localbroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerProcessIT {

    private static final Duration START = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    @Test
    void theBrokerAnswersAndWhatItPrintsGoesToItsLogFileAcrossRestarts() throws Exception {
        try (BrokerProcess broker = BrokerProcess.in(dir)) {
            broker.start(START);
            assertThat(clusterSize(broker)).isEqualTo(1);
            broker.stop();
            broker.start(START);
            assertThat(clusterSize(broker)).isEqualTo(1);
        }

        String log = Files.readString(dir.resolve("broker.log"));
        assertThat(log.lines().filter(line -> line.startsWith(BrokerProcessMain.READY))).hasSize(2);
        // Kafka's own log, with time and thread
        assertThat(log).contains("INFO kafka.server.").containsPattern("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    }

    @Test
    void aTakenPortFailsTheStartWithTheReasonAndTheLog() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(LocalKafkaBroker.HOST))) {
            BrokerProcess broker = new BrokerProcess(dir.resolve("data"), taken.getLocalPort(), dir.resolve("b.log"));

            assertThatThrownBy(() -> broker.start(START))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("taken")
                    .hasMessageContaining(dir.resolve("b.log").toString());
        }
    }

    @Test
    void aSignalLeavesTheBrokerServingUntilItsParentLetsGo() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/kill")), "no /bin/kill to send SIGINT with");
        try (BrokerProcess broker = BrokerProcess.in(dir)) {
            broker.start(START);
            // what Ctrl-C does to every process of the terminal, this broker included
            Process kill = new ProcessBuilder("/bin/kill", "-INT", Long.toString(broker.pid())).start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).isTrue();
            Thread.sleep(2_000);

            assertThat(clusterSize(broker)).isEqualTo(1);
            broker.stop();
        }
        assertThat(Files.readString(dir.resolve("broker.log"))).contains("shut down completed");
    }

    private static int clusterSize(BrokerProcess broker) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            return admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
        }
    }
}
