package io.digitstream.cli;

import io.digitstream.classifier.ClassifierApplication;
import io.digitstream.classifier.ClassifierConfig;
import io.digitstream.contract.Topics;
import io.digitstream.localbroker.LocalKafkaBroker;
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
        description = "Run the stream classifier: classify every image on " + Topics.IMAGES + " into "
                + Topics.PREDICTIONS + " (and " + Topics.REVIEW + " below the review "
                + "threshold), dead-letter what cannot be classified to " + Topics.DLQ + ", join late "
                + "labels from " + Topics.LABELS + " and publish running accuracy to "
                + Topics.ACCURACY + ", and serve "
                + "/metrics, /health/live and /health/ready (127.0.0.1:8080). Missing topics are created. A new model "
                + "file is loaded, self-checked and swapped in while serving; POST /model/reload does it at once for "
                + "a caller with the admin token ($" + ServeCommand.ADMIN_TOKEN_ENV + " or admin.token; without one "
                + "the endpoint is off). It joins the brokers of --bootstrap-servers, KAFKA_BOOTSTRAP_SERVERS or "
                + "--config, else " + ClassifierConfig.BOOTSTRAP_SERVERS + "; --local-broker starts a broker there "
                + "first. "
                + "Ctrl-C or SIGTERM stops it cleanly; it exits with 1, saying why in one line, only when it cannot go on "
                + "(refused credentials or access, no broker within broker.wait.timeout, threads failing again and again).",
        footer = {"", "Examples:", "  ./digits serve --local-broker                   (with a broker of its own)",
                  "  ./digits serve                                  (with ./digits kafka running)",
                  "  ./digits serve --bootstrap-servers kafka:9092 --partitions 6",
                  "  KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 ./digits serve --metrics-port 9400",
                  "  ./digits serve --model runs/<run>/model.onnx --review-threshold 0.95",
                  "  ./digits serve --config classifier.properties   (security.protocol=SASL_SSL, streams.* ...)",
                  "  KAFKA_SECURITY_PROTOCOL=SSL KAFKA_BOOTSTRAP_SERVERS=kafka:9093 ./digits serve",
                  "  curl -s 127.0.0.1:8080/metrics | grep digits_   (from another terminal)"})
final class ServeCommand implements Callable<Integer> {

    /** The bearer token of POST /model/reload; an environment variable so that it shows neither in ps nor in a file. */
    static final String ADMIN_TOKEN_ENV = "DIGITS_ADMIN_TOKEN";
    private static final Duration LOCAL_BROKER_START = Duration.ofMinutes(2);

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

    @Option(names = "--not-digit-threshold", paramLabel = "SCORE",
            description = "OOD score above which an image is rejected as not a digit, or none (default: the served "
                    + "model's ood.threshold; a model without one rejects nothing).")
    String notDigitThreshold;

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

    @Option(names = "--local-broker",
            description = "First start a local single-node Kafka broker on " + LocalKafkaBroker.HOST + ":"
                    + LocalKafkaBroker.DEFAULT_PORT + " in a JVM of its own (data in ~/.cache/digit-stream/kafka, as "
                    + "./digits kafka; its log in ~/.cache/digit-stream/kafka.log), stopped with the classifier. Not "
                    + "with other brokers named.")
    boolean localBroker;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // validate every setting before a broker is started for nothing
        Map<String, String> settings = settings(System.getenv());
        ClassifierConfig config = ClassifierConfig.fromMap(settings);
        boolean brokersNamed = settings.containsKey(ClassifierConfig.KEY_BOOTSTRAP_SERVERS);
        if (localBroker && brokersNamed) {
            throw new IllegalArgumentException("--local-broker starts a broker of its own; it cannot be combined with "
                    + "bootstrap.servers (from --bootstrap-servers, KAFKA_BOOTSTRAP_SERVERS or --config)");
        }
        if (!localBroker && !brokersNamed) {
            out.println("No brokers named: joining Kafka at " + config.bootstrapServers() + " (./digits kafka runs a "
                    + "local broker there; ./digits serve --local-broker starts one first).");
            out.flush();
        }
        LocalBroker broker = null;
        if (localBroker) {
            broker = startLocalBroker(out);
            config = config.with(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, broker.bootstrapServers());
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
        LocalBroker ownBroker = broker;
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
        if (!config.labelJoinEnabled()) {
            out.println("Late labels are off (" + ClassifierConfig.KEY_LABEL_JOIN_ENABLED + "=false): "
                    + config.labelsTopic() + " is not read; only images that carry their label are counted.");
        }
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

    private static LocalBroker startLocalBroker(PrintWriter out) throws IOException, InterruptedException {
        Path dataDir = ProjectPaths.kafkaDataDirectory();
        LocalBroker broker = LocalBroker.start(dataDir, LocalKafkaBroker.DEFAULT_PORT, ProjectPaths.kafkaLogFile(),
                LOCAL_BROKER_START);
        out.println("Started a local Kafka broker at " + broker.bootstrapServers() + " (data in " + dataDir
                + ", its log in " + broker.logFile() + ").");
        out.flush();
        return broker;
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
        putIfGiven(settings, ClassifierConfig.KEY_NOT_DIGIT_THRESHOLD, notDigitThreshold);
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
