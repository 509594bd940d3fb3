package io.digitstream.localbroker;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The embedded broker in a process of its own, for tests that stop it (SIGTERM, a controlled shutdown) or kill it
 * (SIGKILL):
 * {@code BrokerProcessMain <data directory> <port>}. It prints {@value #READY} once it answers, and exits when its
 * standard input closes, so it never outlives the test JVM.
 */
public final class BrokerProcessMain {

    public static final String READY = "broker ready";

    private BrokerProcessMain() {
    }

    public static void main(String[] args) throws IOException {
        LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaBroker.Settings.of(Path.of(args[0]))
                .withPort(Integer.parseInt(args[1])).withStartTimeout(Duration.ofSeconds(90)));
        // SIGTERM: a controlled shutdown, as an operator's restart does
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-shutdown"));
        System.out.println(READY + " at " + broker.bootstrapServers());
        System.out.flush();
        while (System.in.read() != -1) {
            // nothing is sent; end of stream means the parent is gone
        }
        System.exit(0);
    }
}
