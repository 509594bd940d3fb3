package io.digitstream.classifier;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Type.BOOLEAN;
import static org.apache.kafka.common.config.ConfigDef.Type.DOUBLE;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.LONG;
import static org.apache.kafka.common.config.ConfigDef.Type.PASSWORD;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import io.digitstream.contract.EventIds;
import io.digitstream.contract.Topics;
import io.digitstream.core.image.ImageLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.NonEmptyString;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigDef.Validator;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything the stream classifier is configured with: the settings of {@link #configDef()}, each defined once with
 * type, default, validator, importance and documentation (docs/operations.md's table is generated from it), read
 * with {@link #defaults()} or {@link #fromMap(Map)}. Besides those keys, any Kafka client setting (such as
 * {@code security.protocol}) goes to every client, and any Kafka Streams setting prefixed with
 * {@value #STREAMS_PREFIX} goes, without the prefix, to Kafka Streams; anything else is refused at start.
 * <p>
 * Not an {@code AbstractConfig}: its getters note every read under a lock, and the processors read settings per
 * record. The parsed values are kept in a map the accessors read.
 */
public final class ClassifierConfig {

    public static final double REVIEW_THRESHOLD = 0.90;
    public static final String APPLICATION_ID = "digit-stream-classifier";
    public static final String BOOTSTRAP_SERVERS = "127.0.0.1:9092";
    public static final String PROCESSING_GUARANTEE = StreamsConfig.EXACTLY_ONCE_V2;
    public static final int TOPIC_PARTITIONS = 3;
    public static final int TOPIC_REPLICATION_BROKER_DEFAULT = -1;
    public static final String MODEL_RELOAD_INTERVAL_TEXT = "PT10S";
    public static final String METRICS_HOST = "127.0.0.1";
    public static final int METRICS_PORT = 8080;

    public static final String KEY_INPUT_TOPIC = "input.topic";
    public static final String KEY_PREDICTIONS_TOPIC = "predictions.topic";
    public static final String KEY_REVIEW_TOPIC = "review.topic";
    public static final String KEY_DLQ_TOPIC = "dlq.topic";
    public static final String KEY_LABELS_TOPIC = "labels.topic";
    public static final String KEY_ACCURACY_TOPIC = "accuracy.topic";
    public static final String KEY_LABEL_JOIN_ENABLED = "label.join.enabled";
    public static final String KEY_LABEL_JOIN_WINDOW = "label.join.window";
    public static final String KEY_ACCURACY_WINDOW = "accuracy.window";
    public static final String KEY_REVIEW_THRESHOLD = "review.threshold";
    public static final String KEY_NOT_DIGIT_THRESHOLD = "not.digit.threshold";
    /** {@code not.digit.threshold}'s value for "reject nothing, whatever the model says". */
    public static final String NOT_DIGIT_THRESHOLD_NONE = "none";
    public static final String KEY_APPLICATION_ID = "application.id";
    public static final String KEY_BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String KEY_PROCESSING_GUARANTEE = "processing.guarantee";
    public static final String KEY_MAX_IMAGE_BYTES = "image.max.bytes";
    public static final String KEY_TOPIC_PARTITIONS = "topic.partitions";
    public static final String KEY_TOPIC_REPLICATION = "topic.replication.factor";
    public static final String KEY_MODEL_RELOAD_INTERVAL = "model.reload.interval";
    public static final String KEY_METRICS_HOST = "metrics.host";
    public static final String KEY_METRICS_PORT = "metrics.port";
    public static final String KEY_EVENT_ID_MAX_BYTES = "event.id.max.bytes";
    public static final String KEY_RECORD_MAX_BYTES = "record.max.bytes";
    public static final String KEY_BROKER_WAIT_TIMEOUT = "broker.wait.timeout";
    public static final String KEY_ADMIN_TOKEN = "admin.token";
    public static final String KEY_CLASSIFY_BATCH_SIZE = "classify.batch.size";
    public static final String KEY_CLASSIFY_BATCH_LINGER = "classify.batch.linger.ms";
    public static final String STREAMS_PREFIX = "streams.";
    public static final String KEY_STREAM_THREADS = STREAMS_PREFIX + StreamsConfig.NUM_STREAM_THREADS_CONFIG;
    public static final String KEY_STATE_DIR = STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG;
    private static final String KEY_LINGER = STREAMS_PREFIX + StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG);
    private static final String KEY_BATCH_SIZE = STREAMS_PREFIX
            + StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG);
    private static final String KEY_SESSION_TIMEOUT = STREAMS_PREFIX
            + StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
    private static final String KEY_HEARTBEAT_INTERVAL = STREAMS_PREFIX
            + StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);
    private static final String KEY_ROCKSDB_CONFIG_SETTER = STREAMS_PREFIX
            + StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG;
    private static final String KEY_TRANSACTION_TIMEOUT = STREAMS_PREFIX
            + StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);

    /** Room in a record for the key and headers besides the largest JSON envelope. */
    static final int RECORD_ROOM = 64 * 1024;
    /** Kafka's own default {@code max.request.size}: the floor of {@code record.max.bytes}. */
    static final int KAFKA_MAX_REQUEST_SIZE = 1024 * 1024;

    private static final ConfigDef CONFIG = definition();

    private static ConfigDef definition() {
        ConfigDef def = new ConfigDef();
        def.define(KEY_BOOTSTRAP_SERVERS, STRING, BOOTSTRAP_SERVERS, new NonEmptyString(), HIGH,
                "Kafka brokers; `serve --local-broker` starts a local single-node broker at the default address first");
        def.define(KEY_APPLICATION_ID, STRING, APPLICATION_ID, new NonEmptyString(), HIGH,
                "Kafka Streams application id: consumer group, prefix of internal topics, transactional ids; "
                        + "instances with the same id share the partitions");
        def.define(KEY_PROCESSING_GUARANTEE, STRING, PROCESSING_GUARANTEE, ValidString.in(StreamsConfig.EXACTLY_ONCE_V2,
                        StreamsConfig.AT_LEAST_ONCE), HIGH,
                "`exactly_once_v2`: an image's outputs are committed together with its input offset; "
                        + "`at_least_once`: lower latency, but after a failure some outputs are written twice");
        def.define(KEY_INPUT_TOPIC, STRING, Topics.IMAGES, SettingValidators.topicName(), MEDIUM, "images in");
        def.define(KEY_PREDICTIONS_TOPIC, STRING, Topics.PREDICTIONS, SettingValidators.topicName(), MEDIUM, "every prediction");
        def.define(KEY_REVIEW_TOPIC, STRING, Topics.REVIEW, SettingValidators.topicName(), MEDIUM,
                "predictions whose confidence is below `review.threshold`, and those rejected as not a digit");
        def.define(KEY_DLQ_TOPIC, STRING, Topics.DLQ, SettingValidators.topicName(), MEDIUM,
                "inputs that cannot be classified, unchanged, with the reason in headers");
        def.define(KEY_LABELS_TOPIC, STRING, Topics.LABELS, SettingValidators.topicName(), MEDIUM,
                "ground truth arriving after the prediction: key = event id, value = the digit as text");
        def.define(KEY_ACCURACY_TOPIC, STRING, Topics.ACCURACY, SettingValidators.topicName(), MEDIUM,
                "running accuracy per model version, cumulative and per `accuracy.window`");
        def.define(KEY_TOPIC_PARTITIONS, INT, TOPIC_PARTITIONS, Range.atLeast(1), MEDIUM,
                "partitions of the topics the classifier creates when they are missing");
        def.define(KEY_TOPIC_REPLICATION, INT, TOPIC_REPLICATION_BROKER_DEFAULT, SettingValidators.replicationFactor(), MEDIUM,
                "replicas of the topics it creates; -1: the broker's `default.replication.factor` (3 is usual in "
                        + "production)");
        def.define(KEY_REVIEW_THRESHOLD, DOUBLE, REVIEW_THRESHOLD, SettingValidators.reviewThreshold(), MEDIUM,
                "confidence below which a prediction also goes to review; above 1 sends every prediction there (to "
                        + "audit a new model)");
        define(def, KEY_NOT_DIGIT_THRESHOLD, STRING, "", SettingValidators.notDigitThreshold(), MEDIUM,
                "OOD score above which an image is rejected as not a digit (its prediction has `accepted` false, "
                        + "goes to review too and is left out of the accuracy); empty: the served model's "
                        + "`ood.threshold`, following reloads, and no rejection when the model has none; `"
                        + NOT_DIGIT_THRESHOLD_NONE + "`: never reject",
                "empty: the served model's");
        def.define(KEY_MAX_IMAGE_BYTES, INT, (int) ImageLimits.DEFAULT.maxBytes(), Range.atLeast(1), LOW,
                "longest image accepted (8 MiB); longer ones are dead-lettered as `too-large`; a JSON envelope may be "
                        + "a third larger (base64) plus 64 KiB");
        def.define(KEY_EVENT_ID_MAX_BYTES, INT, EventIds.DEFAULT_MAX_BYTES, Range.atLeast(1), LOW,
                "longest event id (record key or JSON `id`) in UTF-8 bytes; longer ids, ids that are not UTF-8 or "
                        + "hold control characters are dead-lettered as `bad-id`");
        define(def, KEY_RECORD_MAX_BYTES, INT, SettingValidators.DEFAULT_MARKER, SettingValidators.recordMaxBytes(), LOW,
                "largest record the classifier writes: its producer's `max.request.size` and the `max.message.bytes` "
                        + "of the topics it creates; lowered at start (with a log line) to the smallest "
                        + "`max.message.bytes` of existing output topics; dead letters larger are truncated to it",
                "-1: what `image.max.bytes` needs as JSON, plus 64 KiB, at least 1 MiB ("
                        + derivedRecordMaxBytes((int) ImageLimits.DEFAULT.maxBytes()) + " for 8 MiB)");
        def.define(KEY_BROKER_WAIT_TIMEOUT, STRING, "PT2M", SettingValidators.duration(true), LOW,
                "how long a starting classifier waits for an absent broker (a log line every 5 s) before it exits "
                        + "with one line");
        def.define(KEY_CLASSIFY_BATCH_SIZE, INT, 64, Range.between(1, ImageBatch.MAX_IMAGES), MEDIUM,
                "images a stream task classifies in one model call; above 1 it holds them, in a changelogged store "
                        + "that a restart reads back, until it has this many or `" + KEY_CLASSIFY_BATCH_LINGER
                        + "` has passed; 64 classified 1.5-2.3x as many images/s as 1 at full load, at a like latency "
                        + "at 1,000 images/s ([benchmarks.md](benchmarks.md)); 1 classifies each image as it comes");
        def.define(KEY_CLASSIFY_BATCH_LINGER, LONG, 2L, Range.between(1L, 60_000L), LOW,
                "longest an image waits for a batch to fill, in wall-clock milliseconds");
        def.define(KEY_LABEL_JOIN_ENABLED, BOOLEAN, true, MEDIUM,
                "whether predictions meet labels sent later on `" + KEY_LABELS_TOPIC + "`; each image sent without its "
                        + "label then costs one more record on an internal topic (the join store's changelog), two "
                        + "unless it is keyed by its id and partitioned by murmur2. `false` for a stream that never sends "
                        + "late labels: `" + KEY_LABELS_TOPIC + "` is not read, images that carry their label are "
                        + "still counted, and unlabelled ones cost no internal record ([operations.md]"
                        + "(operations.md#late-labels-and-what-they-cost))");
        def.define(KEY_LABEL_JOIN_WINDOW, STRING, "PT10M", SettingValidators.duration(false), LOW,
                "how far apart in time a prediction and its late label may be and still join");
        def.define(KEY_ACCURACY_WINDOW, STRING, "PT1M", SettingValidators.duration(false), LOW,
                "size of the tumbling windows of the windowed accuracy");
        def.define(KEY_MODEL_RELOAD_INTERVAL, STRING, MODEL_RELOAD_INTERVAL_TEXT, SettingValidators.duration(true), MEDIUM,
                "how often the model file is checked for a change; `PT0S` turns the watch off");
        def.define(KEY_METRICS_HOST, STRING, METRICS_HOST, new NonEmptyString(), MEDIUM,
                "address of `/metrics` and `/health/*`; `0.0.0.0` in a container");
        def.define(KEY_METRICS_PORT, INT, METRICS_PORT, Range.between(0, 65535), MEDIUM,
                "their port; 0 picks a free one");
        def.define(KEY_ADMIN_TOKEN, PASSWORD, "", SettingValidators.adminToken(), HIGH,
                "bearer token of `POST /model/reload` ([admin endpoint](#admin-endpoint-post-modelreload)); empty "
                        + "turns that endpoint off");
        // the Kafka Streams settings whose defaults the classifier changes; all others keep Kafka's.
        // One thread per core: 2 beat 1 on 2 cores (benchmarks.md), and a container sees its CPU limit as its cores
        define(def, KEY_STREAM_THREADS, INT, Runtime.getRuntime().availableProcessors(), Range.atLeast(1), MEDIUM,
                "stream threads of this instance; one per core beat a single thread by 25-50% "
                        + "([benchmarks.md](benchmarks.md)); threads beyond the partitions of `input.topic`, over "
                        + "all instances, sit idle",
                "the cores the JVM sees");
        define(def, KEY_STATE_DIR, STRING, Path.of(System.getProperty("user.home"), ".cache", "digit-stream",
                        "streams").toString(), new NonEmptyString(), MEDIUM,
                "Kafka Streams state (label join, accuracy); Kafka's own `/tmp/kafka-streams` is shared by every "
                        + "user of the machine and wiped on reboot",
                "`~/.cache/digit-stream/streams`");
        def.define(KEY_LINGER, LONG, 5, Range.atLeast(0), LOW,
                "Kafka Streams' 100 ms doubled the exactly-once p99 and added ~50 ms to at-least-once latency, for "
                        + "no throughput ([benchmarks.md](benchmarks.md))");
        def.define(KEY_BATCH_SIZE, INT, 128 * 1024, Range.atLeast(0), LOW,
                "bytes per partition batch; Kafka's 16 KiB filled every few records at full load, and each new "
                        + "batch wakes the producer's network thread: 128 KiB gave 20% more images/s with the model "
                        + "and 64% more without it, at the same latency ([benchmarks.md](benchmarks.md))");
        def.define(KEY_ROCKSDB_CONFIG_SETTER, STRING, BoundedRocksDbMemory.class.getName(), new NonEmptyString(), LOW,
                "bounds the native memory of all RocksDB state stores together to 32 MB (block cache and "
                        + "memtables); the classifier's peak RSS at full load was 423-482 MB in four runs with "
                        + "RocksDB's defaults per store, 380-430 MB in six with this ([benchmarks.md](benchmarks.md))");
        def.define(KEY_SESSION_TIMEOUT, INT, 6000, Range.atLeast(1), LOW,
                "[failover](#failover): a dead instance's partitions move once its session has expired; 6 s is the "
                        + "broker's `group.min.session.timeout.ms` floor (Kafka's default 45 s)");
        def.define(KEY_HEARTBEAT_INTERVAL, INT, 1500, Range.atLeast(1), LOW,
                "a quarter of the session timeout, as Kafka's 3 s is of 45 s");
        def.define(KEY_TRANSACTION_TIMEOUT, INT, 6000, Range.atLeast(1), LOW,
                "[failover](#failover): the broker aborts a dead instance's open transaction this long after it "
                        + "began, at its next scan for timed-out transactions (every 10 s by default), when the "
                        + "classifier could not abort it at once itself (Kafka Streams' exactly-once default 10 s)");
        return def;
    }

    /** {@code define} for a default that the docs describe rather than print: it depends on the machine or others. */
    private static void define(ConfigDef def, String name, Type type, Object value, Validator validator,
                               Importance importance, String doc, String shownDefault) {
        def.define(name, type, value, validator, importance, doc, null, -1, ConfigDef.Width.NONE, name, List.of(), null,
                shownDefault);
    }

    private final Map<String, String> given;
    private final Map<String, Object> values;
    private final int recordMaxBytes;
    /** null: the served model's threshold; NaN: none. */
    private final Double notDigitOverride;
    private final Map<String, String> kafkaClient;
    private final Map<String, String> streamsOverrides;

    private ClassifierConfig(Map<String, String> settings) {
        given = Map.copyOf(settings);
        Map<String, String> own = new HashMap<>();
        Map<String, String> client = new HashMap<>();
        Map<String, String> streams = new HashMap<>();
        settings.forEach((key, value) -> {
            if (key.startsWith(STREAMS_PREFIX)) {
                String name = key.substring(STREAMS_PREFIX.length());
                if (!KafkaClientSettings.isStreamsSetting(name)) {
                    throw new ConfigException("unknown setting '" + key + "': '" + name + "' is neither a Kafka "
                            + "Streams setting nor a Kafka client setting (also behind producer., consumer., "
                            + "main.consumer., restore.consumer., global.consumer. or admin.), nor a topic setting "
                            + "behind topic.");
                }
                streams.put(name, value.strip());
            }
            if (CONFIG.names().contains(key)) {
                own.put(key, value);
            } else if (KafkaClientSettings.isClientSetting(key)) {
                client.put(key, value);
            } else if (!key.startsWith(STREAMS_PREFIX)) {
                throw new ConfigException("unknown setting '" + key + "'; known: "
                        + new TreeSet<>(CONFIG.names()).stream().filter(name -> !name.startsWith(STREAMS_PREFIX))
                                .toList()
                        + ", any Kafka client setting (security.protocol, sasl.*, ssl.*, ...), or any Kafka Streams "
                        + "setting prefixed with '" + STREAMS_PREFIX + "' (docs/operations.md)");
            }
        });
        values = Map.copyOf(CONFIG.parse(own));
        kafkaClient = Map.copyOf(client);
        streamsOverrides = Map.copyOf(streams);
        // Set.of would throw its own, less helpful, error on a duplicate
        if (new HashSet<>(topics()).size() != topics().size()) {
            throw new ConfigException("the topics must differ: " + topics());
        }
        int recordLimit = (Integer) values.get(KEY_RECORD_MAX_BYTES);
        recordMaxBytes = recordLimit == SettingValidators.DEFAULT_MARKER ? derivedRecordMaxBytes(maxImageBytes())
                : recordLimit;
        String notDigit = ((String) values.get(KEY_NOT_DIGIT_THRESHOLD)).strip();
        notDigitOverride = notDigit.isEmpty() ? null
                : notDigit.equals(NOT_DIGIT_THRESHOLD_NONE) ? Double.NaN : Double.valueOf(notDigit);
        try {
            StreamsConfig.configDef().parse(toStreamsProperties());
        } catch (ConfigException e) {
            throw new ConfigException("Kafka Streams refuses its settings: " + e.getMessage());
        }
    }

    public static ClassifierConfig defaults() {
        return fromMap(Map.of());
    }

    /**
     * The defaults with {@code settings} applied: keys of {@link #configDef()}, Kafka client settings (such as
     * {@code security.protocol} or {@code sasl.jaas.config}: they go to every client) and Kafka Streams settings
     * prefixed with {@value #STREAMS_PREFIX}.
     *
     * @throws IllegalArgumentException naming the setting, for an unknown key (so a typo is not ignored) or an
     *                                  invalid value
     */
    public static ClassifierConfig fromMap(Map<String, String> settings) {
        try {
            return new ClassifierConfig(settings);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The classifier's own settings, for documentation and tools: a copy, so that nobody changes the original. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** The same settings with {@code key} set to {@code value}, defaults derived anew: for tests and flags. */
    public ClassifierConfig with(String key, String value) {
        Map<String, String> all = new HashMap<>(given);
        all.put(key, value);
        return fromMap(all);
    }

    public String inputTopic() {
        return (String) values.get(KEY_INPUT_TOPIC);
    }

    public String predictionsTopic() {
        return (String) values.get(KEY_PREDICTIONS_TOPIC);
    }

    public String reviewTopic() {
        return (String) values.get(KEY_REVIEW_TOPIC);
    }

    public String dlqTopic() {
        return (String) values.get(KEY_DLQ_TOPIC);
    }

    public String labelsTopic() {
        return (String) values.get(KEY_LABELS_TOPIC);
    }

    public String accuracyTopic() {
        return (String) values.get(KEY_ACCURACY_TOPIC);
    }

    public double reviewThreshold() {
        return (Double) values.get(KEY_REVIEW_THRESHOLD);
    }

    /**
     * The OOD score above which an image is not a digit, when the model serving has {@code modelThreshold} (its
     * {@code ood.threshold}, NaN when it has none): the setting's value when one is given, NaN (reject nothing) for
     * {@value #NOT_DIGIT_THRESHOLD_NONE}, else the model's own.
     */
    public double notDigitThreshold(double modelThreshold) {
        return notDigitOverride == null ? modelThreshold : notDigitOverride;
    }

    public String applicationId() {
        return (String) values.get(KEY_APPLICATION_ID);
    }

    public String bootstrapServers() {
        return (String) values.get(KEY_BOOTSTRAP_SERVERS);
    }

    public String processingGuarantee() {
        return (String) values.get(KEY_PROCESSING_GUARANTEE);
    }

    public int maxImageBytes() {
        return (Integer) values.get(KEY_MAX_IMAGE_BYTES);
    }

    public int topicPartitions() {
        return (Integer) values.get(KEY_TOPIC_PARTITIONS);
    }

    /** Replicas of the topics the classifier creates, or {@value #TOPIC_REPLICATION_BROKER_DEFAULT}: the broker's. */
    public int topicReplication() {
        return (Integer) values.get(KEY_TOPIC_REPLICATION);
    }

    /** Whether the labels topic is read and predictions wait for their late labels. */
    public boolean labelJoinEnabled() {
        return (Boolean) values.get(KEY_LABEL_JOIN_ENABLED);
    }

    public Duration labelJoinWindow() {
        return Duration.parse((String) values.get(KEY_LABEL_JOIN_WINDOW));
    }

    public Duration accuracyWindow() {
        return Duration.parse((String) values.get(KEY_ACCURACY_WINDOW));
    }

    /** Zero: the model file is not watched. */
    public Duration modelReloadInterval() {
        return Duration.parse((String) values.get(KEY_MODEL_RELOAD_INTERVAL));
    }

    public String metricsHost() {
        return (String) values.get(KEY_METRICS_HOST);
    }

    public int metricsPort() {
        return (Integer) values.get(KEY_METRICS_PORT);
    }

    public int eventIdMaxBytes() {
        return (Integer) values.get(KEY_EVENT_ID_MAX_BYTES);
    }

    /** The given {@code record.max.bytes}, or by default what the image limit needs. */
    public int recordMaxBytes() {
        return recordMaxBytes;
    }

    /** Images classified in one model call at most; 1: one by one. */
    public int classifyBatchSize() {
        return (Integer) values.get(KEY_CLASSIFY_BATCH_SIZE);
    }

    /** How long a partial batch waits for more images. */
    public Duration classifyBatchLinger() {
        return Duration.ofMillis((Long) values.get(KEY_CLASSIFY_BATCH_LINGER));
    }

    public Duration brokerWaitTimeout() {
        return Duration.parse((String) values.get(KEY_BROKER_WAIT_TIMEOUT));
    }

    /** Empty: {@code POST /model/reload} is off. */
    public String adminToken() {
        return ((Password) values.get(KEY_ADMIN_TOKEN)).value();
    }

    public int streamThreads() {
        return (Integer) values.get(KEY_STREAM_THREADS);
    }

    public Path stateDirectory() {
        return Path.of((String) values.get(KEY_STATE_DIR));
    }

    /** The Kafka client settings given, for every client of the application (Streams, admin, producers). */
    public Map<String, String> kafkaClient() {
        return kafkaClient;
    }

    /** The {@value #STREAMS_PREFIX} settings given, without the prefix. */
    public Map<String, String> streamsOverrides() {
        return streamsOverrides;
    }

    /** Every setting, defaults included, as {@link #fromMap(Map)} reads them; secrets in clear. */
    public Map<String, String> toMap() {
        Map<String, String> map = new HashMap<>(kafkaClient);
        streamsOverrides.forEach((key, value) -> map.put(STREAMS_PREFIX + key, value));
        values.forEach((key, value) -> map.put(key, text(key)));
        map.put(KEY_RECORD_MAX_BYTES, Integer.toString(recordMaxBytes));
        return map;
    }

    /** Equal settings, defaults included. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ClassifierConfig config && config.toMap().equals(toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    /** The settings as {@link #toMap()} has them, {@linkplain #redacted redacted}. */
    @Override
    public String toString() {
        return "ClassifierConfig" + redacted(toMap());
    }

    /**
     * {@code settings} (keys as {@link #fromMap(Map)} reads them), sorted, with the value of every {@linkplain
     * #isSecret secret} that is set shown as {@value KafkaClientSettings#HIDDEN}.
     */
    public static Map<String, String> redacted(Map<String, String> settings) {
        Map<String, String> shown = new TreeMap<>(settings);
        shown.replaceAll((key, value) -> isSecret(key) && !value.isEmpty() ? KafkaClientSettings.HIDDEN : value);
        return shown;
    }

    /**
     * Whether the value of setting {@code key} (as {@link #fromMap(Map)} reads it) is never to be shown: a
     * {@code PASSWORD} of {@link #configDef()} such as {@code admin.token}, or a Kafka secret
     * ({@link KafkaClientSettings#isSecret(String)}: {@code sasl.jaas.config}, {@code ssl.key.password}, ...), also
     * under {@value #STREAMS_PREFIX}.
     */
    public static boolean isSecret(String key) {
        ConfigDef.ConfigKey own = CONFIG.configKeys().get(key);
        if (own != null) {
            return own.type == PASSWORD;
        }
        return KafkaClientSettings.isSecret(key.startsWith(STREAMS_PREFIX) ? key.substring(STREAMS_PREFIX.length())
                : key);
    }

    public ImageLimits imageLimits() {
        return new ImageLimits(maxImageBytes(), ImageLimits.DEFAULT.maxPixels());
    }

    /** Base64 grows bytes by a third; the rest is room for the other fields and whitespace. */
    public int maxJsonBytes() {
        return jsonBytesFor(maxImageBytes());
    }

    /** The topics, in the order input, predictions, review, dead letters, labels, accuracy. */
    public List<String> topics() {
        return List.of(inputTopic(), predictionsTopic(), reviewTopic(), dlqTopic(), labelsTopic(), accuracyTopic());
    }

    /** Connection settings for any Kafka client of the application: the brokers plus {@code kafkaClient}. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>(kafkaClient);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    /** Kafka Streams' settings: the client settings, identity, the streams.* defaults above, then those given. */
    public Properties toStreamsProperties() {
        Properties props = new Properties();
        props.putAll(kafkaClient);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
        values.keySet().stream().filter(key -> key.startsWith(STREAMS_PREFIX))
                .forEach(key -> props.put(key.substring(STREAMS_PREFIX.length()), text(key)));
        // every record written is bounded by record.max.bytes (dead letters are truncated to it), so the producer
        // must accept that much, and the topics the classifier creates take it too
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), Integer.toString(recordMaxBytes));
        props.put(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG), Integer.toString(recordMaxBytes));
        props.putAll(streamsOverrides);
        return props;
    }

    /** Setting {@code key} of {@link #configDef()} as text that {@link #fromMap(Map)} reads back. */
    private String text(String key) {
        Object value = values.get(key);
        return value instanceof Password password ? password.value()
                : ConfigDef.convertToString(value, CONFIG.configKeys().get(key).type);
    }

    private static int jsonBytesFor(int imageBytes) {
        return (int) Math.min(Integer.MAX_VALUE - 8, (long) imageBytes * 4 / 3 + 4 + 64 * 1024);
    }

    /**
     * The default {@code record.max.bytes}: the largest input record the image limit allows (the JSON envelope plus
     * room for key and headers), so that a dead letter keeps its original whole; never below Kafka's default.
     */
    private static int derivedRecordMaxBytes(int imageBytes) {
        long needed = jsonBytesFor(imageBytes) + RECORD_ROOM;
        return (int) Math.max(KAFKA_MAX_REQUEST_SIZE, Math.min(Integer.MAX_VALUE - 8, needed));
    }
}
