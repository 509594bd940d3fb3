package io.digitstream.cli;

import io.digitstream.localbroker.BrokerProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The broker of {@code serve --local-broker}, in a JVM of its own so that its log goes to a file rather than to the
 * console. The commands reach the broker's classes through here or inside their {@code call()} only: picocli reflects
 * on every command's fields and methods at start-up, and the container images leave the broker out.
 */
final class LocalBroker implements AutoCloseable {

    private final BrokerProcess process;

    private LocalBroker(BrokerProcess process) {
        this.process = process;
    }

    /** Starts the broker on {@code port} of 127.0.0.1 and waits until it answers. */
    static LocalBroker start(Path dataDirectory, int port, Path logFile, Duration timeout)
            throws IOException, InterruptedException {
        requireInstalled();
        BrokerProcess process = new BrokerProcess(dataDirectory, port, logFile);
        process.start(timeout);
        return new LocalBroker(process);
    }

    /**
     * @throws IllegalStateException when this installation has no local broker (a container image): the message says
     *                               to name a cluster instead
     */
    static void requireInstalled() {
        try {
            Class.forName("kafka.server.KafkaRaftServer", false, LocalBroker.class.getClassLoader());
            Class.forName("io.digitstream.localbroker.LocalKafkaBroker", false, LocalBroker.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("this installation has no local Kafka broker (the container images leave "
                    + "it out): name a cluster with --bootstrap-servers, KAFKA_BOOTSTRAP_SERVERS or --config", e);
        }
    }

    String bootstrapServers() {
        return process.bootstrapServers();
    }

    Path logFile() {
        return process.logFile();
    }

    /** A controlled shutdown; the broker is killed when it takes longer than a minute. */
    @Override
    public void close() {
        try {
            process.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
