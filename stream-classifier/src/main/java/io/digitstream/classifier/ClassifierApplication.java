package io.digitstream.classifier;

import io.digitstream.classifier.kafka.BrokerWait;
import io.digitstream.classifier.kafka.ClientSettingsFailure;
import io.digitstream.classifier.kafka.DeadTransactionFencer;
import io.digitstream.classifier.kafka.KafkaHealthCheck;
import io.digitstream.classifier.kafka.MissingTopics;
import io.digitstream.classifier.kafka.TopicLimits;
import io.digitstream.classifier.observe.ClassifierMetrics;
import io.digitstream.classifier.observe.MetricsHttpServer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.StreamsNotStartedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running stream classifier: a self-checked model that reloads when its file changes (or on
 * {@code POST /model/reload} with the admin token), the topics, a {@link KafkaStreams} instance with {@link ClassifierTopology}, and
 * {@code /metrics} plus health endpoints; assembled here, the {@code /metrics} registry with the classifier's meters
 * and the JVM's included. {@link #close()} stops them in reverse: streams first (so no task uses the model any more),
 * then the file watcher and the HTTP server (so nothing reloads any more), then the model.
 */
public final class ClassifierApplication implements AutoCloseable {

    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration HEALTH_INTERVAL = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(ClassifierApplication.class);

    // the model file's classifier, reloaded and closed here; null when the caller gave a classifier of its own
    private final ReloadableDigitClassifier reloadable;
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gcMetrics;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final MetricsHttpServer http;
    // null without a model file
    private final ModelFileWatcher watcher;
    private final KafkaHealthCheck health;
    // null at least-once (no transactions to end) and with group.protocol=streams (see its creation)
    private final DeadTransactionFencer fencer;
    private final StreamThreadFailureHandler threadFailures;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    private ClassifierApplication(ClassifierConfig config, DigitClassifier classifier,
                                  ReloadableDigitClassifier reloadable, ClassifierMetrics metrics,
                                  PrometheusMeterRegistry registry, JvmGcMetrics gcMetrics, int inputPartitions)
            throws IOException {
        this.reloadable = reloadable;
        this.registry = registry;
        this.gcMetrics = gcMetrics;
        Properties streamsProperties = config.toStreamsProperties();
        DeadLetterHandlers.install(streamsProperties, config, metrics);
        streams = new KafkaStreams(ClassifierTopology.build(config, classifier, metrics, inputPartitions),
                streamsProperties);
        threadFailures = new StreamThreadFailureHandler(Clock.systemUTC(), e -> metrics.streamThreadReplaced());
        streams.setUncaughtExceptionHandler(threadFailures);
        // at-least-once has no transactions; Kafka Streams' own group protocol has members of another kind
        fencer = StreamsConfig.EXACTLY_ONCE_V2.equals(config.processingGuarantee())
                && "classic".equalsIgnoreCase(streamsProperties.getProperty(StreamsConfig.GROUP_PROTOCOL_CONFIG,
                        "classic"))
                ? DeadTransactionFencer.create(config.clientProperties(), config.applicationId()) : null;
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            } else if (now == KafkaStreams.State.REBALANCING && fencer != null) {
                fencer.rebalanceStarted(this::ownConsumerClientId);
            }
        });
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        health = KafkaHealthCheck.start(config.clientProperties(), List.of(config.predictionsTopic(),
                config.reviewTopic(), config.dlqTopic(), config.accuracyTopic()), HEALTH_INTERVAL);
        try {
            http = MetricsHttpServer.start(config.metricsHost(), config.metricsPort(), registry,
                    this::notReadyReason, reloadable == null ? null : reloadable::reload, config.adminToken());
        } catch (IOException | RuntimeException e) {
            streams.close(Duration.ZERO);
            streamsMetrics.close();
            health.close();
            if (fencer != null) {
                fencer.close();
            }
            throw e;
        }
        watcher = reloadable == null ? null : ModelFileWatcher.start(reloadable, config.modelReloadInterval());
        streams.start();
    }

    /** {@link #start(ClassifierConfig, Path)} with {@code /metrics} on {@code metricsPort} (0 picks a free one). */
    public static ClassifierApplication start(ClassifierConfig config, Path modelFile, int metricsPort)
            throws IOException {
        return start(config.with(ClassifierConfig.KEY_METRICS_PORT, Integer.toString(metricsPort)), modelFile);
    }

    /**
     * Loads and self-checks the model, creates the missing topics and starts classifying. The model file is polled
     * for changes every {@link ClassifierConfig#modelReloadInterval()} (unless zero) and can be reloaded on
     * {@code POST /model/reload} when {@link ClassifierConfig#adminToken()} is set.
     *
     * @throws IllegalStateException when the model fails its self-check: it is not served at all
     */
    public static ClassifierApplication start(ClassifierConfig config, Path modelFile) throws IOException {
        ClassifierMetrics metrics = new ClassifierMetrics();
        ReloadableDigitClassifier classifier = ReloadableDigitClassifier.open(modelFile, metrics);
        try {
            return start(config, classifier, classifier, metrics);
        } catch (IOException | RuntimeException e) {
            classifier.close();
            throw e;
        }
    }

    /**
     * Classifies with {@code classifier} instead of a model file, wired as {@link #start(ClassifierConfig, Path)}
     * otherwise: the same topics, topology, metrics and endpoints, with no model file to watch and no
     * {@code POST /model/reload}. The caller keeps {@code classifier}: it is used until {@link #close()} and not closed.
     */
    public static ClassifierApplication start(ClassifierConfig config, DigitClassifier classifier)
            throws IOException {
        return start(config, Objects.requireNonNull(classifier, "classifier"), null, new ClassifierMetrics());
    }

    private static ClassifierApplication start(ClassifierConfig config, DigitClassifier classifier,
                                               ReloadableDigitClassifier reloadable, ClassifierMetrics metrics)
            throws IOException {
        BrokerWait.await(config.clientProperties(), config.brokerWaitTimeout(), ClassifierConfig.KEY_BOOTSTRAP_SERVERS);
        createMissingTopics(config);
        ClassifierConfig fitted = fitRecordLimitToTopics(config);
        int inputPartitions = inputPartitions(config);
        // what /metrics serves: the classifier's meters, the JVM's and the process's; Kafka Streams' once it exists
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        JvmGcMetrics gcMetrics = new JvmGcMetrics();
        try {
            for (MeterBinder binder : List.of(metrics, new JvmMemoryMetrics(), gcMetrics, new JvmThreadMetrics(),
                    new ClassLoaderMetrics(), new ProcessorMetrics(), new UptimeMetrics())) {
                binder.bindTo(registry);
            }
            return new ClassifierApplication(fitted, classifier, reloadable, metrics, registry, gcMetrics,
                    inputPartitions);
        } catch (IOException | RuntimeException e) {
            gcMetrics.close();
            registry.close();
            throw e;
        }
    }

    /**
     * Creates each of the configured topics that does not exist yet, taking records up to {@code record.max.bytes};
     * returns the ones it created.
     */
    static Set<String> createMissingTopics(ClassifierConfig config) {
        Map<String, Integer> partitions = new LinkedHashMap<>();
        config.topics().forEach(topic -> partitions.put(topic, config.topicPartitions()));
        try (Admin admin = Admin.create(config.clientProperties())) {
            Optional<Short> replication = config.topicReplication() == ClassifierConfig.TOPIC_REPLICATION_BROKER_DEFAULT
                    ? Optional.empty() : Optional.of((short) config.topicReplication());
            return MissingTopics.create(admin, partitions, replication,
                    Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(config.recordMaxBytes())),
                    ADMIN_TIMEOUT);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("cannot create the classifier's topics on " + config.bootstrapServers()
                    + ": " + e.getMessage(), e);
        } catch (KafkaException e) {
            throw new IllegalStateException("cannot connect to Kafka at " + config.bootstrapServers() + ": "
                    + ClientSettingsFailure.explain(e), e);
        }
    }

    /**
     * {@code record.max.bytes} lowered to the smallest {@code max.message.bytes} of the topics the classifier writes,
     * when an existing topic takes less (it was created by someone else): dead letters are then truncated to fit it
     * rather than refused by the broker. Said in the log.
     */
    static ClassifierConfig fitRecordLimitToTopics(ClassifierConfig config) {
        List<String> outputs = List.of(config.predictionsTopic(), config.reviewTopic(), config.dlqTopic(),
                config.accuracyTopic());
        try (Admin admin = Admin.create(config.clientProperties())) {
            Map<String, Integer> limits = TopicLimits.maxMessageBytes(admin, outputs, ADMIN_TIMEOUT);
            int smallest = config.recordMaxBytes();
            String which = null;
            for (Map.Entry<String, Integer> limit : limits.entrySet()) {
                if (limit.getValue() < smallest) {
                    smallest = limit.getValue();
                    which = limit.getKey();
                }
            }
            if (which == null) {
                return config;
            }
            log.warn("Topic {} takes records of at most {} bytes (max.message.bytes), less than record.max.bytes={}: "
                    + "the classifier writes at most {} bytes a record, and truncates dead letters to fit",
                    which, smallest, config.recordMaxBytes(), smallest);
            return config.with(ClassifierConfig.KEY_RECORD_MAX_BYTES, Integer.toString(smallest));
        }
    }

    /**
     * The input topic's partitions, which the label join's repartition topics get too: the topology uses them to join
     * in place the predictions that are already in their join partition ({@link ByIdPartitions}).
     */
    private static int inputPartitions(ClassifierConfig config) {
        try (Admin admin = Admin.create(config.clientProperties())) {
            return TopicLimits.partitions(admin, config.inputTopic(), ADMIN_TIMEOUT);
        }
    }

    /** Serving: the model is loaded, Kafka Streams is running (not rebalancing, not failed) and Kafka is healthy. */
    public boolean isReady() {
        return notReadyReason().isEmpty();
    }

    /** Why the classifier is not ready, for {@code /health/ready}; empty when it is. */
    public Optional<String> notReadyReason() {
        if (closed.get()) {
            return Optional.of("shutting down");
        }
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            String fatal = threadFailures.fatalReason();
            return Optional.of("Kafka Streams is " + state + (fatal == null ? "" : ": " + fatal));
        }
        return health.problem();
    }

    /** Why Kafka Streams was stopped by the classifier itself (it cannot go on), or empty. */
    public Optional<String> failureReason() {
        return Optional.ofNullable(threadFailures.fatalReason());
    }

    /**
     * Waits until Kafka Streams has stopped: closed, or failed (state {@code ERROR}, e.g. a model error, which
     * fails its task rather than dead-lettering the input). A server exits then, so that it is restarted.
     *
     * @return whether it stopped within {@code timeout}
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public int metricsPort() {
        return http.port();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * The model serving now: the one every new prediction names.
     *
     * @throws IllegalStateException when the application was started with a classifier instead of a model file
     */
    public ServedModel servedModel() {
        return reloadable().served();
    }

    /**
     * Loads the model file now, as {@code POST /model/reload} does.
     *
     * @throws IllegalStateException when the application was started with a classifier instead of a model file
     */
    public ModelReloadResult reloadModel() {
        return reloadable().reload();
    }

    /** A consumer client id of this instance's stream threads, by which the group knows it. */
    private Optional<String> ownConsumerClientId() {
        try {
            return streams.metadataForLocalThreads().stream().map(ThreadMetadata::consumerClientId).findFirst();
        } catch (IllegalStateException | StreamsNotStartedException e) {
            return Optional.empty(); // not started yet, or stopped
        }
    }

    private ReloadableDigitClassifier reloadable() {
        if (reloadable == null) {
            throw new IllegalStateException("started with a classifier of its own, not a model file");
        }
        return reloadable;
    }

    @Override
    public void close() {
        // a shutdown hook and a try-with-resources may both get here; the model must be closed once
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            streams.close(CLOSE_TIMEOUT);
        } finally {
            streamsMetrics.close();
            health.close();
            if (fencer != null) {
                fencer.close();
            }
            if (watcher != null) {
                watcher.close();
            }
            http.close();
            if (reloadable != null) {
                reloadable.close();
            }
            gcMetrics.close();
            registry.close();
        }
    }
}
