package io.digitstream.cli;

import io.digitstream.localbroker.LocalKafkaBroker;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "kafka",
        mixinStandardHelpOptions = true,
        description = "Run a local single-node Apache Kafka broker (KRaft, the real broker, in this process) on "
                + "127.0.0.1 for the other tools and for kcat. Data stays in --data-dir across restarts. Ctrl-C stops it.",
        footer = {"", "Examples:", "  ./digits kafka", "  ./digits kafka --port 19092 --data-dir /tmp/kafka",
                  "  kcat -b 127.0.0.1:9092 -L            (list topics from another terminal)"})
final class KafkaCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9092",
            description = "Client port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Broker data (default: ~/.cache/digit-stream/kafka).")
    Path dataDir = ProjectPaths.kafkaDataDirectory();

    @Override
    public Integer call() throws Exception {
        LocalBroker.requireInstalled();
        LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaBroker.Settings.of(dataDir).withPort(port));
        // runs until Ctrl-C or SIGTERM: the shutdown hook owns the broker and stops it cleanly
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-shutdown"));
        System.out.println("Kafka broker ready at " + broker.bootstrapServers() + " (data in " + dataDir
                + "); Ctrl-C stops it.");
        new CountDownLatch(1).await();
        return 0;
    }
}
