package io.digitstream.cli;

import io.digitstream.classifier.ClassifierApplication;
import io.digitstream.classifier.ClassifierConfig;
import io.digitstream.classifier.kafka.LocalKafkaBroker;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
                + "/metrics, /health/live and /health/ready (127.0.0.1:8080). Missing topics are created. A new model "
                + "file is loaded, self-checked and swapped in while serving; POST /model/reload does it at once for "
                + "a caller with the admin token ($" + ServeCommand.ADMIN_TOKEN_ENV + " or admin.token; without one "
                + "the endpoint is off). Without --bootstrap-servers, "
                + "KAFKA_BOOTSTRAP_SERVERS or --config a local broker is started on 127.0.0.1:9092. "
                + "Ctrl-C or SIGTERM stops it cleanly; it exits with 1, saying why in one line, only when it cannot go on "
                + "(refused credentials or access, no broker within broker.wait.timeout, threads failing again and again).",
        footer = {"", "Examples:", "  ./digits serve                                  (with a local broker)",
                  "  ./digits serve --bootstrap-servers kafka:9092 --partitions 6",
                  "  KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 ./digits serve --metrics-port 9400",
                  "  ./digits serve --model runs/<run>/model.onnx --review-threshold 0.95",
                  "  ./digits serve --config classifier.properties   (security.protocol=SASL_SSL, streams.* ...)",
                  "  KAFKA_SECURITY_PROTOCOL=SSL KAFKA_BOOTSTRAP_SERVERS=kafka:9093 ./digits serve",
                  "  curl -s 127.0.0.1:8080/metrics | grep digits_   (from another terminal)"})
final class ServeCommand implements Callable<Integer> {

    /** The bearer token of POST /model/reload; an environment variable so that it shows neither in ps nor in a file. */
    static final String ADMIN_TOKEN_ENV = "DIGITS_ADMIN_TOKEN";

    @Mixin
    KafkaConnectionOptions connection;

    @Mixin
    ModelOption model;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Port of /metrics and /health/* (default: " + ClassifierConfig.METRICS_PORT + ").")
    Integer metricsPort;

    @Option(names = "--metrics-host", paramLabel = "ADDRESS",
            description = "Address they listen on (default: " + ClassifierConfig.METRICS_HOST + "; 0.0.0.0 in a "
                    + "container).")
    String metricsHost;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions of the topics created when missing (default: " + ClassifierConfig.TOPIC_PARTITIONS
                    + ").")
    Integer partitions;

    @Option(names = "--replication-factor", paramLabel = "N",
            description = "Replication factor of the topics created when missing (default: the broker's "
                    + "default.replication.factor).")
    Integer replicationFactor;

    @Option(names = "--review-threshold", paramLabel = "P",
            description = "Confidence below which a prediction also goes to review (default: "
                    + ClassifierConfig.REVIEW_THRESHOLD + ").")
    Double reviewThreshold;

    @Option(names = "--application-id", paramLabel = "ID",
            description = "Kafka Streams application id, also the consumer group; instances with the same id share "
                    + "the partitions (default: " + ClassifierConfig.APPLICATION_ID + ").")
    String applicationId;

    @Option(names = "--processing-guarantee", paramLabel = "G",
            description = "exactly_once_v2 or at_least_once (default: " + ClassifierConfig.PROCESSING_GUARANTEE + ").")
    String processingGuarantee;

    @Option(names = "--model-reload-interval", paramLabel = "DURATION",
            description = "How often the model file is checked for a new model, ISO-8601; PT0S turns it off "
                    + "(default: " + ClassifierConfig.MODEL_RELOAD_INTERVAL_TEXT + ").")
    String modelReloadInterval;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // validate every setting before a broker is started for nothing
        Map<String, String> settings = settings(System.getenv());
        ClassifierConfig config = ClassifierConfig.fromMap(settings);
        LocalKafkaBroker broker = null;
        if (!settings.containsKey(ClassifierConfig.KEY_BOOTSTRAP_SERVERS)) {
            Path dataDir = ProjectPaths.kafkaDataDirectory();
            broker = LocalKafkaBroker.start(LocalKafkaBroker.Settings.of(dataDir));
            config = config.with(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, broker.bootstrapServers());
            out.println("Started a local Kafka broker at " + broker.bootstrapServers() + " (data in " + dataDir + ").");
        }
        ClassifierApplication app;
        try {
            app = ClassifierApplication.start(config, model.file);
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
        out.println("Classifying " + config.inputTopic() + " on " + config.bootstrapServers() + " with " + model.file
                + "; metrics at http://" + config.metricsHost() + ":" + app.metricsPort() + "/metrics; POST "
                + "/model/reload " + (config.adminToken().isEmpty() ? "is off (no " + ADMIN_TOKEN_ENV + " set)"
                : "takes the admin token") + ". Ctrl-C stops it.");
        out.flush();
        while (!app.awaitTermination(Duration.ofHours(1))) {
            // serving
        }
        if (app.state() != KafkaStreams.State.ERROR) {
            return 0; // closed by the shutdown hook: Ctrl-C or SIGTERM
        }
        // exit non-zero so that a supervisor restarts it; the shutdown hook cleans up
        spec.commandLine().getErr().println("digits serve: stopped: " + app.failureReason()
                .orElse("Kafka Streams failed (state ERROR); see the log above"));
        return 1;
    }

    /**
     * The --config file, then KAFKA_* variables and {@value #ADMIN_TOKEN_ENV} (unless empty) of {@code environment},
     * then the flags; the defaults under all.
     */
    Map<String, String> settings(Map<String, String> environment) throws IOException {
        Map<String, String> settings = connection.settings(environment);
        String adminToken = environment.get(ADMIN_TOKEN_ENV);
        if (adminToken != null && !adminToken.isBlank()) {
            settings.put(ClassifierConfig.KEY_ADMIN_TOKEN, adminToken);
        }
        putIfGiven(settings, ClassifierConfig.KEY_METRICS_PORT, metricsPort);
        putIfGiven(settings, ClassifierConfig.KEY_METRICS_HOST, metricsHost);
        putIfGiven(settings, ClassifierConfig.KEY_TOPIC_PARTITIONS, partitions);
        putIfGiven(settings, ClassifierConfig.KEY_TOPIC_REPLICATION, replicationFactor);
        putIfGiven(settings, ClassifierConfig.KEY_REVIEW_THRESHOLD, reviewThreshold);
        putIfGiven(settings, ClassifierConfig.KEY_APPLICATION_ID, applicationId);
        putIfGiven(settings, ClassifierConfig.KEY_PROCESSING_GUARANTEE, processingGuarantee);
        putIfGiven(settings, ClassifierConfig.KEY_MODEL_RELOAD_INTERVAL, modelReloadInterval);
        return settings;
    }

    private static void putIfGiven(Map<String, String> settings, String key, Object flag) {
        if (flag != null) {
            settings.put(key, flag.toString());
        }
    }
}
