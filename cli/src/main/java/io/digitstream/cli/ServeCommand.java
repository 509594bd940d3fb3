package io.digitstream.cli;

import io.digitstream.classifier.ClassifierApplication;
import io.digitstream.classifier.ClassifierConfig;
import io.digitstream.classifier.kafka.LocalKafkaBroker;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run the stream classifier: classify every image on " + ClassifierConfig.INPUT_TOPIC + " into "
                + ClassifierConfig.PREDICTIONS_TOPIC + " (and " + ClassifierConfig.REVIEW_TOPIC + " below the review "
                + "threshold), dead-letter what cannot be classified to " + ClassifierConfig.DLQ_TOPIC + ", join late "
                + "labels from " + ClassifierConfig.LABELS_TOPIC + " and publish running accuracy to "
                + ClassifierConfig.ACCURACY_TOPIC + ", and serve "
                + "/metrics, /health/live and /health/ready on 127.0.0.1. Missing topics are created. Without "
                + "--bootstrap-servers or KAFKA_BOOTSTRAP_SERVERS a local broker is started on 127.0.0.1:9092. "
                + "Ctrl-C or SIGTERM stops it cleanly; it exits with 1 when Kafka Streams fails.",
        footer = {"", "Examples:", "  ./digits serve                                  (with a local broker)",
                  "  ./digits serve --bootstrap-servers kafka:9092 --partitions 6",
                  "  KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 ./digits serve --metrics-port 9400",
                  "  ./digits serve --model runs/<run>/model.onnx --review-threshold 0.95",
                  "  curl -s 127.0.0.1:8080/metrics | grep digits_   (from another terminal)"})
final class ServeCommand implements Callable<Integer> {

    static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...",
            description = "Kafka brokers (default: $" + BOOTSTRAP_ENV + ", else a local broker on 127.0.0.1:9092 "
                    + "with data in ~/.cache/digit-stream/kafka).")
    String bootstrapServers;

    @Mixin
    ModelOption model;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "8080",
            description = "Port of /metrics and /health/* on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "" + ClassifierConfig.TOPIC_PARTITIONS,
            description = "Partitions of the topics created when missing (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--review-threshold", paramLabel = "P", defaultValue = "" + ClassifierConfig.REVIEW_THRESHOLD,
            description = "Confidence below which a prediction also goes to review (default: ${DEFAULT-VALUE}).")
    double reviewThreshold;

    @Option(names = "--application-id", paramLabel = "ID", defaultValue = ClassifierConfig.APPLICATION_ID,
            description = "Kafka Streams application id, also the consumer group (default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--processing-guarantee", paramLabel = "G", defaultValue = ClassifierConfig.PROCESSING_GUARANTEE,
            description = "exactly_once_v2 or at_least_once (default: ${DEFAULT-VALUE}).")
    String processingGuarantee;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String servers = bootstrapServers != null ? bootstrapServers : System.getenv(BOOTSTRAP_ENV);
        // validate every setting before a broker is started for nothing
        ClassifierConfig config = ClassifierConfig.defaults()
                .with(ClassifierConfig.KEY_TOPIC_PARTITIONS, Integer.toString(partitions))
                .with(ClassifierConfig.KEY_REVIEW_THRESHOLD, Double.toString(reviewThreshold))
                .with(ClassifierConfig.KEY_APPLICATION_ID, applicationId)
                .with(ClassifierConfig.KEY_PROCESSING_GUARANTEE, processingGuarantee);
        LocalKafkaBroker broker = null;
        if (servers == null || servers.isBlank()) {
            Path dataDir = ProjectPaths.kafkaDataDirectory();
            broker = LocalKafkaBroker.start(LocalKafkaBroker.Settings.of(dataDir));
            servers = broker.bootstrapServers();
            out.println("Started a local Kafka broker at " + servers + " (data in " + dataDir + ").");
        }
        ClassifierApplication app;
        try {
            app = ClassifierApplication.start(config.with(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, servers),
                    model.file, metricsPort);
        } catch (Exception e) {
            if (broker != null) {
                broker.close();
            }
            throw e;
        }
        // runs until Ctrl-C or SIGTERM: the hook owns both and stops the classifier before its broker
        LocalKafkaBroker ownBroker = broker;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                app.close();
            } finally {
                if (ownBroker != null) {
                    ownBroker.close();
                }
            }
        }, "serve-shutdown"));
        out.println("Classifying " + config.inputTopic() + " on " + servers + " with " + model.file
                + "; metrics at http://" + ClassifierApplication.METRICS_HOST + ":" + app.metricsPort()
                + "/metrics. Ctrl-C stops it.");
        out.flush();
        while (!app.awaitTermination(Duration.ofHours(1))) {
            // serving
        }
        if (app.state() != KafkaStreams.State.ERROR) {
            return 0; // closed by the shutdown hook: Ctrl-C or SIGTERM
        }
        // exit non-zero so that a supervisor restarts it; the shutdown hook cleans up
        spec.commandLine().getErr().println("digits serve: Kafka Streams failed (state ERROR); see the log above");
        return 1;
    }
}
