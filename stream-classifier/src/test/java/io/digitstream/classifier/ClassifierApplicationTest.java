package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.digitstream.classifier.event.AccuracyReport;
import io.digitstream.classifier.event.DeadLetter;
import io.digitstream.classifier.event.PredictionEvent;
import io.digitstream.classifier.event.PredictionEventSerde;
import io.digitstream.classifier.kafka.KafkaFixture;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.core.model.CheckDigit;
import io.digitstream.core.model.OnnxDigitModel;
import io.digitstream.core.model.TemplateDigitModels;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The whole application against a real broker: every image in, exactly one prediction out, with exactly-once. */
class ClassifierApplicationTest {

    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();

    private static final Path MODEL = Path.of("../models/digits-cnn.onnx");
    /** Generous bounds on waiting for the broker and the streams app; the test fails, never hangs, past them. */
    private static final long WAIT_MILLIS = Duration.ofMinutes(3).toMillis();

    @TempDir
    Path stateDir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void classifiesEveryImageExactlyOnceAndDeadLettersTheBadOnes() throws Exception {
        MnistDataset mnist = MnistSamples.test500();
        ClassifierConfig config = ClassifierConfig.defaults()
                .with(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, KAFKA.bootstrapServers())
                .with(ClassifierConfig.KEY_PROCESSING_GUARANTEE, StreamsConfig.EXACTLY_ONCE_V2)
                .with(ClassifierConfig.KEY_APPLICATION_ID, "classifier-it")
                .with(ClassifierConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        Map<String, String> badReasons = Map.of("bad-empty", "empty", "bad-text", "not-an-image",
                "bad-label", "bad-label");

        try (ClassifierApplication app = ClassifierApplication.start(config, MODEL, 0)) {
            assertThat(awaitStatus(app.metricsPort(), "/health/ready", 200)).isEqualTo(200);
            produce(config.inputTopic(), mnist);

            List<ConsumerRecord<byte[], byte[]>> predictions = new ArrayList<>();
            List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
            consume(config, predictions, deadLetters, mnist.size(), badReasons.size());

            List<String> ids = predictions.stream().map(r -> utf8(r.key())).toList();
            assertThat(ids).doesNotHaveDuplicates().hasSize(mnist.size());
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < mnist.size(); i++) {
                expected.add(id(i));
            }
            assertThat(new HashSet<>(ids)).isEqualTo(expected);

            long correct = predictions.stream().map(r -> PredictionEventSerde.fromJson(r.value()))
                    .filter(p -> Boolean.TRUE.equals(p.correct())).count();
            long offline = offlineCorrect(mnist);
            System.out.printf("stream accuracy %d/%d, offline %d/%d%n", correct, mnist.size(), offline, mnist.size());
            assertThat(correct).isEqualTo(offline);
            assertThat(predictions.stream().map(r -> PredictionEventSerde.fromJson(r.value()))
                    .map(PredictionEvent::label)).doesNotContainNull();
            // every image came labelled, so the running accuracy ends at the offline count
            String version = PredictionEventSerde.fromJson(predictions.get(0).value()).modelVersion();
            AccuracyReport accuracy = awaitCumulativeAccuracy(config, version, mnist.size());
            assertThat(accuracy.total()).isEqualTo(mnist.size());
            assertThat(accuracy.correct()).isEqualTo(offline);

            Map<String, String> reasons = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> dead : deadLetters) {
                reasons.put(utf8(dead.key()), utf8(dead.headers().lastHeader(DeadLetter.REASON).value()));
            }
            assertThat(deadLetters).hasSize(badReasons.size());
            assertThat(reasons).isEqualTo(badReasons);

            String scrape = get(app.metricsPort(), "/metrics").body();
            assertThat(sum(scrape, "digits_predictions_total")).isEqualTo(mnist.size());
            assertThat(sum(scrape, "digits_invalid_events_total")).isEqualTo(badReasons.size());
            assertThat(scrape).contains("digits_model_info{").contains("kafka_stream_");
            assertThat(get(app.metricsPort(), "/health/ready").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void closingStopsStreamsAndTheEndpoints() throws Exception {
        ClassifierConfig config = ClassifierConfig.defaults()
                .with(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, KAFKA.bootstrapServers())
                .with(ClassifierConfig.KEY_APPLICATION_ID, "classifier-close")
                .with(ClassifierConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        ClassifierApplication app = ClassifierApplication.start(config, MODEL, 0);
        int port = app.metricsPort();
        assertThat(app.awaitTermination(Duration.ZERO)).isFalse();

        app.close();
        app.close(); // idempotent: a shutdown hook may close it again

        assertThat(app.awaitTermination(Duration.ofMillis(WAIT_MILLIS))).isTrue();
        assertThat(app.state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
        assertThat(app.isReady()).isFalse();
        assertThatThrownBy(() -> get(port, "/health/live")).isInstanceOf(IOException.class);
    }

    @Test
    void refusesAModelThatFailsItsSelfCheck(@TempDir Path dir) throws IOException {
        List<CheckDigit> digits = new ArrayList<>(TemplateDigitModels.checkDigits());
        digits.set(3, new CheckDigit(8, TemplateDigitModels.glyph(3)));
        Path broken = Files.write(dir.resolve("mislabelled.onnx"),
                TemplateDigitModels.modelBytes(TemplateDigitModels.metadata(digits)));
        ClassifierConfig config = ClassifierConfig.defaults()
                .with(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, KAFKA.bootstrapServers())
                .with(ClassifierConfig.KEY_INPUT_TOPIC, "never.created");

        assertThatThrownBy(() -> ClassifierApplication.start(config, broken, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to serve " + broken)
                .hasMessageContaining("#3 labelled 8 was classified as 3");
        // refused before touching Kafka
        assertThat(ClassifierApplication.createMissingTopics(config)).contains("never.created");
    }

    @Test
    void createsOnlyTheMissingTopics() {
        ClassifierConfig config = ClassifierConfig.defaults()
                .with(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, KAFKA.bootstrapServers())
                .with(ClassifierConfig.KEY_INPUT_TOPIC, "other.images")
                .with(ClassifierConfig.KEY_PREDICTIONS_TOPIC, "other.predictions")
                .with(ClassifierConfig.KEY_REVIEW_TOPIC, "other.review")
                .with(ClassifierConfig.KEY_DLQ_TOPIC, "other.dlq")
                .with(ClassifierConfig.KEY_LABELS_TOPIC, "other.labels")
                .with(ClassifierConfig.KEY_ACCURACY_TOPIC, "other.accuracy");
        KAFKA.createTopics(Map.of("other.images", 1));

        assertThat(ClassifierApplication.createMissingTopics(config)).containsExactlyInAnyOrder("other.predictions",
                "other.review", "other.dlq", "other.labels", "other.accuracy");
        assertThat(ClassifierApplication.createMissingTopics(config)).isEmpty();
    }

    private void produce(String topic, MnistDataset mnist) {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < mnist.size(); i++) {
                byte[] pixels = Arrays.copyOfRange(mnist.images(), i * 784, (i + 1) * 784);
                producer.send(new ProducerRecord<>(topic, null, utf8(id(i)), pixels,
                        new RecordHeaders().add("label", utf8(Integer.toString(mnist.label(i))))));
            }
            producer.send(new ProducerRecord<>(topic, utf8("bad-empty"), new byte[0]));
            producer.send(new ProducerRecord<>(topic, utf8("bad-text"), utf8("hello, digits")));
            producer.send(new ProducerRecord<>(topic, null, utf8("bad-label"),
                    Arrays.copyOfRange(mnist.images(), 0, 784), new RecordHeaders().add("label", utf8("seven"))));
            producer.flush();
        }
    }

    private static void consume(ClassifierConfig config, List<ConsumerRecord<byte[], byte[]>> predictions,
                                List<ConsumerRecord<byte[], byte[]>> deadLetters, int predictionCount,
                                int deadLetterCount) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(config.predictionsTopic(), config.dlqTopic())) {
                for (int p = 0; p < config.topicPartitions(); p++) {
                    partitions.add(new TopicPartition(topic, p));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.currentTimeMillis() + WAIT_MILLIS;
            // one more poll after everything arrived, so a duplicate would show up too
            boolean complete = false;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    (r.topic().equals(config.predictionsTopic()) ? predictions : deadLetters).add(r);
                }
                if (complete) {
                    return;
                }
                complete = predictions.size() >= predictionCount && deadLetters.size() >= deadLetterCount;
            }
        }
    }

    /** The last cumulative accuracy record of {@code version} once it counts {@code total} predictions. */
    private static AccuracyReport awaitCumulativeAccuracy(ClassifierConfig config, String version, long total) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < config.topicPartitions(); p++) {
                partitions.add(new TopicPartition(config.accuracyTopic(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.currentTimeMillis() + WAIT_MILLIS;
            AccuracyReport last = null;
            while (System.currentTimeMillis() < deadline && (last == null || last.total() < total)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (version.equals(utf8(r.key()))) {
                        last = AccuracyReport.fromJson(r.value());
                    }
                }
            }
            assertThat(last).as("cumulative accuracy of " + version).isNotNull();
            return last;
        }
    }

    private static long offlineCorrect(MnistDataset mnist) throws IOException {
        try (OnnxDigitModel model = OnnxDigitModel.load(MODEL)) {
            long correct = 0;
            for (int i = 0; i < mnist.size(); i++) {
                if (model.predict(mnist.normalizedImage(i)).digit() == mnist.label(i)) {
                    correct++;
                }
            }
            return correct;
        }
    }

    /** Sum of every sample of {@code metric} in a Prometheus scrape. */
    private static double sum(String scrape, String metric) {
        Matcher m = Pattern.compile("(?m)^" + metric + "(?:\\{[^}]*})? (\\S+)$").matcher(scrape);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }

    private int awaitStatus(int port, String path, int status) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        int last = get(port, path).statusCode();
        while (last != status && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            last = get(port, path).statusCode();
        }
        return last;
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String id(int index) {
        return "mnist-" + index;
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
