package io.digitstream.classifier;

import io.digitstream.contract.EventIds;
import io.digitstream.core.image.ImageLimits;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything the stream classifier is configured with, built in one place: {@link #defaults()} or
 * {@link #fromMap(Map)} (the defaults overridden by string settings, e.g. from a properties file or flags). Keys
 * starting with {@value #STREAMS_PREFIX} are passed, without the prefix, to Kafka Streams as they are.
 *
 * @param inputTopic        images in
 * @param predictionsTopic  every prediction
 * @param reviewTopic       predictions whose confidence is below {@code reviewThreshold}
 * @param dlqTopic          inputs that cannot be classified, unchanged, with the reason in headers
 * @param labelsTopic       ground truth arriving after the prediction: key = event id, value = the digit as text
 * @param accuracyTopic     running accuracy per model version, cumulative and per tumbling window
 * @param reviewThreshold   confidence below which a prediction also goes to review
 * @param maxImageBytes     longest image accepted; a JSON envelope may be a third larger (base64) plus 64 KiB
 * @param topicPartitions   partitions of the topics the application creates when they are missing
 * @param topicReplication  their replication factor, or -1 for the broker's {@code default.replication.factor}
 * @param labelJoinWindow   how far apart in time a prediction and its late label may be and still join
 * @param accuracyWindow    size of the tumbling windows of {@code accuracyTopic}
 * @param modelReloadInterval how often the model file is checked for a change; zero turns the watch off
 * @param metricsHost       address {@code /metrics} and {@code /health/*} listen on; loopback unless deployed
 * @param metricsPort       their port; 0 picks a free one
 * @param eventIdMaxBytes   longest event id (record key or JSON {@code id}) in UTF-8 bytes; longer ones are dead letters
 * @param recordMaxBytes    largest record the classifier writes (its producer's {@code max.request.size}); the topics
 *                          it creates get this {@code max.message.bytes}; dead letters larger are truncated to fit
 * @param brokerWaitTimeout how long a starting classifier waits for an absent broker before it gives up
 * @param kafkaClient       settings for every Kafka client (Streams, admin, producers), e.g. security and SASL
 * @param streamsOverrides  extra Kafka Streams settings
 * @param adminToken        bearer token of {@code POST /model/reload}; empty turns that endpoint off
 */
public record ClassifierConfig(String inputTopic, String predictionsTopic, String reviewTopic, String dlqTopic,
                               String labelsTopic, String accuracyTopic,
                               double reviewThreshold, String applicationId, String bootstrapServers,
                               String processingGuarantee, int maxImageBytes, int topicPartitions,
                               int topicReplication,
                               Duration labelJoinWindow, Duration accuracyWindow, Duration modelReloadInterval,
                               String metricsHost, int metricsPort, int eventIdMaxBytes, int recordMaxBytes,
                               Duration brokerWaitTimeout, Map<String, String> kafkaClient,
                               Map<String, String> streamsOverrides, String adminToken) {

    public static final String INPUT_TOPIC = "digits.images";
    public static final String PREDICTIONS_TOPIC = "digits.predictions";
    public static final String REVIEW_TOPIC = "digits.review";
    public static final String DLQ_TOPIC = "digits.dlq";
    public static final String LABELS_TOPIC = "digits.labels";
    public static final String ACCURACY_TOPIC = "digits.accuracy";
    public static final Duration LABEL_JOIN_WINDOW = Duration.ofMinutes(10);
    public static final Duration ACCURACY_WINDOW = Duration.ofMinutes(1);
    public static final double REVIEW_THRESHOLD = 0.90;
    public static final String APPLICATION_ID = "digit-stream-classifier";
    public static final String BOOTSTRAP_SERVERS = "127.0.0.1:9092";
    public static final String PROCESSING_GUARANTEE = StreamsConfig.EXACTLY_ONCE_V2;
    public static final int TOPIC_PARTITIONS = 3;
    public static final int TOPIC_REPLICATION_BROKER_DEFAULT = -1;
    public static final String MODEL_RELOAD_INTERVAL_TEXT = "PT10S";
    public static final Duration MODEL_RELOAD_INTERVAL = Duration.parse(MODEL_RELOAD_INTERVAL_TEXT);
    public static final String METRICS_HOST = "127.0.0.1";
    public static final int METRICS_PORT = 8080;
    public static final String BROKER_WAIT_TIMEOUT_TEXT = "PT2M";
    public static final Duration BROKER_WAIT_TIMEOUT = Duration.parse(BROKER_WAIT_TIMEOUT_TEXT);
    /** Room in a record for the key and headers besides the largest JSON envelope. */
    static final int RECORD_ROOM = 64 * 1024;
    /** Kafka's own default {@code max.request.size}: the floor of {@code record.max.bytes}. */
    static final int KAFKA_MAX_REQUEST_SIZE = 1024 * 1024;
    public static final int RECORD_MAX_BYTES_DEFAULT = -1;
    public static final int ADMIN_TOKEN_MIN_LENGTH = 16;

    public static final String KEY_INPUT_TOPIC = "input.topic";
    public static final String KEY_PREDICTIONS_TOPIC = "predictions.topic";
    public static final String KEY_REVIEW_TOPIC = "review.topic";
    public static final String KEY_DLQ_TOPIC = "dlq.topic";
    public static final String KEY_LABELS_TOPIC = "labels.topic";
    public static final String KEY_ACCURACY_TOPIC = "accuracy.topic";
    public static final String KEY_LABEL_JOIN_WINDOW = "label.join.window";
    public static final String KEY_ACCURACY_WINDOW = "accuracy.window";
    public static final String KEY_REVIEW_THRESHOLD = "review.threshold";
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
    public static final String STREAMS_PREFIX = "streams.";

    private static final Set<String> KEYS = Set.of(KEY_INPUT_TOPIC, KEY_PREDICTIONS_TOPIC, KEY_REVIEW_TOPIC,
            KEY_DLQ_TOPIC, KEY_REVIEW_THRESHOLD, KEY_APPLICATION_ID, KEY_BOOTSTRAP_SERVERS, KEY_PROCESSING_GUARANTEE,
            KEY_MAX_IMAGE_BYTES, KEY_TOPIC_PARTITIONS, KEY_LABELS_TOPIC, KEY_ACCURACY_TOPIC, KEY_LABEL_JOIN_WINDOW,
            KEY_ACCURACY_WINDOW, KEY_MODEL_RELOAD_INTERVAL, KEY_METRICS_HOST, KEY_METRICS_PORT, KEY_TOPIC_REPLICATION,
            KEY_EVENT_ID_MAX_BYTES, KEY_RECORD_MAX_BYTES, KEY_BROKER_WAIT_TIMEOUT, KEY_ADMIN_TOKEN);

    public ClassifierConfig {
        requireName(inputTopic, KEY_INPUT_TOPIC);
        requireName(predictionsTopic, KEY_PREDICTIONS_TOPIC);
        requireName(reviewTopic, KEY_REVIEW_TOPIC);
        requireName(dlqTopic, KEY_DLQ_TOPIC);
        requireName(labelsTopic, KEY_LABELS_TOPIC);
        requireName(accuracyTopic, KEY_ACCURACY_TOPIC);
        requireName(applicationId, KEY_APPLICATION_ID);
        requireName(bootstrapServers, KEY_BOOTSTRAP_SERVERS);
        requireName(processingGuarantee, KEY_PROCESSING_GUARANTEE);
        // Set.of would throw its own, less helpful, error on a duplicate
        List<String> topics = List.of(inputTopic, predictionsTopic, reviewTopic, dlqTopic, labelsTopic,
                accuracyTopic);
        if (new HashSet<>(topics).size() != topics.size()) {
            throw new IllegalArgumentException("the topics must differ: " + topics);
        }
        requirePositive(labelJoinWindow, KEY_LABEL_JOIN_WINDOW);
        requirePositive(accuracyWindow, KEY_ACCURACY_WINDOW);
        Objects.requireNonNull(modelReloadInterval, KEY_MODEL_RELOAD_INTERVAL);
        if (modelReloadInterval.isNegative()) {
            throw new IllegalArgumentException(KEY_MODEL_RELOAD_INTERVAL + " must be >= 0 (0 = off): "
                    + modelReloadInterval);
        }
        requireName(metricsHost, KEY_METRICS_HOST);
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new IllegalArgumentException(KEY_METRICS_PORT + " must be 0..65535: " + metricsPort);
        }
        // above 1 sends everything to review, which is a legitimate setting (audit a new model)
        if (!(reviewThreshold >= 0.0) || Double.isInfinite(reviewThreshold)) {
            throw new IllegalArgumentException(KEY_REVIEW_THRESHOLD + " must be a number >= 0: " + reviewThreshold);
        }
        if (maxImageBytes <= 0) {
            throw new IllegalArgumentException(KEY_MAX_IMAGE_BYTES + " must be positive: " + maxImageBytes);
        }
        if (eventIdMaxBytes <= 0) {
            throw new IllegalArgumentException(KEY_EVENT_ID_MAX_BYTES + " must be positive: " + eventIdMaxBytes);
        }
        // a dead letter must hold at least its headers and the start of the record
        if (recordMaxBytes < 16 * 1024) {
            throw new IllegalArgumentException(KEY_RECORD_MAX_BYTES + " must be at least 16384: " + recordMaxBytes);
        }
        Objects.requireNonNull(brokerWaitTimeout, KEY_BROKER_WAIT_TIMEOUT);
        if (brokerWaitTimeout.isNegative()) {
            throw new IllegalArgumentException(KEY_BROKER_WAIT_TIMEOUT + " must be >= 0: " + brokerWaitTimeout);
        }
        if (topicPartitions <= 0) {
            throw new IllegalArgumentException(KEY_TOPIC_PARTITIONS + " must be positive: " + topicPartitions);
        }
        if (topicReplication != TOPIC_REPLICATION_BROKER_DEFAULT && (topicReplication < 1
                || topicReplication > Short.MAX_VALUE)) {
            throw new IllegalArgumentException(KEY_TOPIC_REPLICATION + " must be positive, or -1 for the broker's "
                    + "default: " + topicReplication);
        }
        kafkaClient = Map.copyOf(kafkaClient);
        streamsOverrides = Map.copyOf(streamsOverrides);
        adminToken = requireAdminToken(adminToken);
    }

    public static ClassifierConfig defaults() {
        return fromMap(Map.of());
    }

    /**
     * The defaults with {@code overrides} applied. A key is one of the classifier's own, or a Kafka client setting
     * (such as {@code security.protocol} or {@code sasl.jaas.config}: it goes to every client), or any Kafka Streams
     * setting prefixed with {@value #STREAMS_PREFIX}; anything else is an error, so a typo is not ignored.
     */
    public static ClassifierConfig fromMap(Map<String, String> overrides) {
        Map<String, String> streams = new HashMap<>();
        Map<String, String> client = new HashMap<>();
        for (String key : overrides.keySet()) {
            if (key.startsWith(STREAMS_PREFIX)) {
                streams.put(key.substring(STREAMS_PREFIX.length()), overrides.get(key));
            } else if (KafkaClientSettings.isClientSetting(key) && !KEYS.contains(key)) {
                client.put(key, overrides.get(key));
            } else if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown setting '" + key + "'; known: " + KEYS
                        + ", any Kafka client setting (security.protocol, sasl.*, ssl.*, ...), or any Kafka Streams "
                        + "setting prefixed with '" + STREAMS_PREFIX + "'");
            }
        }
        return new ClassifierConfig(
                overrides.getOrDefault(KEY_INPUT_TOPIC, INPUT_TOPIC),
                overrides.getOrDefault(KEY_PREDICTIONS_TOPIC, PREDICTIONS_TOPIC),
                overrides.getOrDefault(KEY_REVIEW_TOPIC, REVIEW_TOPIC),
                overrides.getOrDefault(KEY_DLQ_TOPIC, DLQ_TOPIC),
                overrides.getOrDefault(KEY_LABELS_TOPIC, LABELS_TOPIC),
                overrides.getOrDefault(KEY_ACCURACY_TOPIC, ACCURACY_TOPIC),
                parseDouble(overrides, KEY_REVIEW_THRESHOLD, REVIEW_THRESHOLD),
                overrides.getOrDefault(KEY_APPLICATION_ID, APPLICATION_ID),
                overrides.getOrDefault(KEY_BOOTSTRAP_SERVERS, BOOTSTRAP_SERVERS),
                overrides.getOrDefault(KEY_PROCESSING_GUARANTEE, PROCESSING_GUARANTEE),
                parseInt(overrides, KEY_MAX_IMAGE_BYTES, (int) ImageLimits.DEFAULT.maxBytes()),
                parseInt(overrides, KEY_TOPIC_PARTITIONS, TOPIC_PARTITIONS),
                parseInt(overrides, KEY_TOPIC_REPLICATION, TOPIC_REPLICATION_BROKER_DEFAULT),
                parseDuration(overrides, KEY_LABEL_JOIN_WINDOW, LABEL_JOIN_WINDOW),
                parseDuration(overrides, KEY_ACCURACY_WINDOW, ACCURACY_WINDOW),
                parseDuration(overrides, KEY_MODEL_RELOAD_INTERVAL, MODEL_RELOAD_INTERVAL),
                overrides.getOrDefault(KEY_METRICS_HOST, METRICS_HOST),
                parseInt(overrides, KEY_METRICS_PORT, METRICS_PORT),
                parseInt(overrides, KEY_EVENT_ID_MAX_BYTES, EventIds.DEFAULT_MAX_BYTES),
                recordMaxBytes(overrides),
                parseDuration(overrides, KEY_BROKER_WAIT_TIMEOUT, BROKER_WAIT_TIMEOUT),
                client,
                streams,
                overrides.getOrDefault(KEY_ADMIN_TOKEN, ""));
    }

    /** The same settings with {@code key} set to {@code value}: for tests and command-line flags. */
    public ClassifierConfig with(String key, String value) {
        Map<String, String> all = new HashMap<>(toMap());
        all.put(key, value);
        return fromMap(all);
    }

    /** The settings as {@link #fromMap(Map)} reads them. */
    public Map<String, String> toMap() {
        Map<String, String> map = new HashMap<>();
        map.put(KEY_INPUT_TOPIC, inputTopic);
        map.put(KEY_PREDICTIONS_TOPIC, predictionsTopic);
        map.put(KEY_REVIEW_TOPIC, reviewTopic);
        map.put(KEY_DLQ_TOPIC, dlqTopic);
        map.put(KEY_LABELS_TOPIC, labelsTopic);
        map.put(KEY_ACCURACY_TOPIC, accuracyTopic);
        map.put(KEY_LABEL_JOIN_WINDOW, labelJoinWindow.toString());
        map.put(KEY_ACCURACY_WINDOW, accuracyWindow.toString());
        map.put(KEY_REVIEW_THRESHOLD, Double.toString(reviewThreshold));
        map.put(KEY_APPLICATION_ID, applicationId);
        map.put(KEY_BOOTSTRAP_SERVERS, bootstrapServers);
        map.put(KEY_PROCESSING_GUARANTEE, processingGuarantee);
        map.put(KEY_MAX_IMAGE_BYTES, Integer.toString(maxImageBytes));
        map.put(KEY_TOPIC_PARTITIONS, Integer.toString(topicPartitions));
        map.put(KEY_TOPIC_REPLICATION, Integer.toString(topicReplication));
        map.put(KEY_MODEL_RELOAD_INTERVAL, modelReloadInterval.toString());
        map.put(KEY_METRICS_HOST, metricsHost);
        map.put(KEY_METRICS_PORT, Integer.toString(metricsPort));
        map.put(KEY_EVENT_ID_MAX_BYTES, Integer.toString(eventIdMaxBytes));
        map.put(KEY_RECORD_MAX_BYTES, Integer.toString(recordMaxBytes));
        map.put(KEY_BROKER_WAIT_TIMEOUT, brokerWaitTimeout.toString());
        map.putAll(kafkaClient);
        streamsOverrides.forEach((k, v) -> map.put(STREAMS_PREFIX + k, v));
        if (!adminToken.isEmpty()) {
            map.put(KEY_ADMIN_TOKEN, adminToken);
        }
        return map;
    }

    /**
     * The settings as {@link #toMap()} has them, sorted, with every secret shown as {@value KafkaClientSettings#HIDDEN}:
     * the admin token and each Kafka password setting ({@code sasl.jaas.config}, {@code ssl.key.password}, ...), also
     * under {@value #STREAMS_PREFIX}. The record's own {@code toString} would print them.
     */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>(toMap());
        shown.replaceAll((key, value) -> isSecret(key) ? KafkaClientSettings.HIDDEN : value);
        return "ClassifierConfig" + shown;
    }

    /** Whether the value of setting {@code key} (as {@link #fromMap(Map)} reads it) is never to be shown. */
    public static boolean isSecret(String key) {
        return key.equals(KEY_ADMIN_TOKEN) || KafkaClientSettings.isSecret(
                key.startsWith(STREAMS_PREFIX) ? key.substring(STREAMS_PREFIX.length()) : key);
    }

    public ImageLimits imageLimits() {
        return new ImageLimits(maxImageBytes, ImageLimits.DEFAULT.maxPixels());
    }

    /** Base64 grows bytes by a third; the rest is room for the other fields and whitespace. */
    public int maxJsonBytes() {
        return jsonBytesFor(maxImageBytes);
    }

    private static int jsonBytesFor(int imageBytes) {
        return (int) Math.min(Integer.MAX_VALUE - 8, (long) imageBytes * 4 / 3 + 4 + 64 * 1024);
    }

    /**
     * The default {@code record.max.bytes}: the largest input record the image limit allows (the JSON envelope plus
     * room for key and headers), so that a dead letter keeps its original whole; never below Kafka's default.
     */
    private static int recordMaxBytes(Map<String, String> overrides) {
        int given = parseInt(overrides, KEY_RECORD_MAX_BYTES, RECORD_MAX_BYTES_DEFAULT);
        if (given != RECORD_MAX_BYTES_DEFAULT) {
            return given;
        }
        int imageBytes = parseInt(overrides, KEY_MAX_IMAGE_BYTES, (int) ImageLimits.DEFAULT.maxBytes());
        long needed = jsonBytesFor(imageBytes) + RECORD_ROOM;
        return (int) Math.max(KAFKA_MAX_REQUEST_SIZE, Math.min(Integer.MAX_VALUE - 8, needed));
    }

    /** The topics, in the order input, predictions, review, dead letters, labels, accuracy. */
    public List<String> topics() {
        return List.of(inputTopic, predictionsTopic, reviewTopic, dlqTopic, labelsTopic, accuracyTopic);
    }

    /** Connection settings for any Kafka client of the application: the brokers plus {@code kafkaClient}. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>(kafkaClient);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    public Properties toStreamsProperties() {
        Properties props = new Properties();
        props.putAll(kafkaClient);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
        // measured (docs/benchmarks.md): Streams' own linger of 100 ms doubled the exactly-once p99 and added ~50 ms
        // to at-least-once latency for no throughput; one stream thread per core beat a single thread by 25-50%
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "5");
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(Runtime.getRuntime().availableProcessors()));
        // every record written is bounded by record.max.bytes (dead letters are truncated to it), so the producer
        // must accept that much, and the topics the classifier creates take it too
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), Integer.toString(recordMaxBytes));
        props.put(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG), Integer.toString(recordMaxBytes));
        // failover (ClassifierFailoverIT, docs/operations.md): a killed instance's tasks move once its session has
        // expired (6 s is the broker's group.min.session.timeout.ms floor; Kafka's default 45 s), and its output is
        // readable once its open transaction has been aborted (transaction timeout + the broker's abort scan).
        // Measured: work resumed 5.3 s after a SIGKILL, committed output readable after 15.2-15.7 s (10 s scan).
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "6000");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), "1500");
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), "6000");
        props.putAll(streamsOverrides);
        return props;
    }


    private static void requireName(String value, String key) {
        Objects.requireNonNull(value, key);
        if (value.isBlank()) {
            throw new IllegalArgumentException(key + " must not be blank");
        }
    }

    /** Empty (off) or printable ASCII without spaces, long enough not to be guessed; the message never shows it. */
    private static String requireAdminToken(String token) {
        String stripped = token == null ? "" : token.strip();
        if (stripped.isEmpty()) {
            return stripped;
        }
        if (stripped.length() < ADMIN_TOKEN_MIN_LENGTH || !stripped.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            throw new IllegalArgumentException(KEY_ADMIN_TOKEN + " must be at least " + ADMIN_TOKEN_MIN_LENGTH
                    + " printable ASCII characters without spaces (e.g. openssl rand -hex 32), or empty to turn "
                    + "POST /model/reload off; the one given has " + stripped.length() + " characters");
        }
        return stripped;
    }

    private static void requirePositive(Duration value, String key) {
        Objects.requireNonNull(value, key);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be positive: " + value);
        }
    }

    /** ISO-8601 ({@code PT10M}) as {@link Duration#parse} reads it. */
    private static Duration parseDuration(Map<String, String> map, String key, Duration fallback) {
        String v = map.get(key);
        try {
            return v == null ? fallback : Duration.parse(v.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + " must be an ISO-8601 duration such as PT10M: '" + v + "'", e);
        }
    }

    private static double parseDouble(Map<String, String> map, String key, double fallback) {
        String v = map.get(key);
        try {
            return v == null ? fallback : Double.parseDouble(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number: '" + v + "'", e);
        }
    }

    private static int parseInt(Map<String, String> map, String key, int fallback) {
        String v = map.get(key);
        try {
            return v == null ? fallback : Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer: '" + v + "'", e);
        }
    }
}
