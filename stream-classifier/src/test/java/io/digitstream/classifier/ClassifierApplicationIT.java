package io.digitstream.classifier;

import static io.digitstream.classifier.MnistTraffic.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.digitstream.classifier.observe.PrometheusScrape;
import io.digitstream.contract.AccuracyReport;
import io.digitstream.contract.DeadLetter;
import io.digitstream.contract.DigitShape;
import io.digitstream.contract.ImageHeaders;
import io.digitstream.contract.PredictionEvent;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.core.model.CheckDigit;
import io.digitstream.core.model.Prediction;
import io.digitstream.core.model.TemplateDigitModels;
import io.digitstream.localbroker.KafkaFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The whole application against a real broker: every image in, exactly one prediction out, with exactly-once. */
class ClassifierApplicationIT {

    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();

    private static final Path MODEL = MnistTraffic.MODEL;
    /** Generous bounds on waiting for the broker and the streams app; the test fails, never hangs, past them. */
    private static final Duration WAIT = Duration.ofMinutes(3);

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
                // delivery and counting under faults, not the not-a-digit decision: with nothing rejected, every
                // image counts in the running accuracy (ClassifierFullTestSetIT counts rejections apart)
                .with(ClassifierConfig.KEY_NOT_DIGIT_THRESHOLD, ClassifierConfig.NOT_DIGIT_THRESHOLD_NONE)
                .with(ClassifierConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        Map<String, String> badReasons = Map.of("bad-empty", "empty", "bad-text", "not-an-image",
                "bad-label", "bad-label");

        try (ClassifierApplication app = ClassifierApplication.start(config, MODEL, 0);
             CommittedRecords out = new CommittedRecords(KAFKA.bootstrapServers(), config.topicPartitions(),
                     config.predictionsTopic(), config.dlqTopic())) {
            assertThat(awaitStatus(app.metricsPort(), "/health/ready", 200)).isEqualTo(200);
            produce(config.inputTopic(), mnist);

            out.awaitUntil("every prediction and dead letter", WAIT, () -> out.count(config.predictionsTopic())
                    >= mnist.size() && out.count(config.dlqTopic()) >= badReasons.size());
            out.drain(WAIT); // so that a duplicate would show up too
            List<ConsumerRecord<byte[], byte[]>> predictions = out.of(config.predictionsTopic());
            List<ConsumerRecord<byte[], byte[]>> deadLetters = out.of(config.dlqTopic());

            long offline = MnistTraffic.assertEachImageClassifiedOnceAsOffline(predictions, mnist,
                    MnistTraffic.offlineDigits(mnist));
            // every image came labelled, so the running accuracy ends at the offline count
            String version = PredictionEvent.fromJson(predictions.get(0).value()).modelVersion();
            AccuracyReport accuracy = MnistTraffic.awaitCumulativeAccuracy(KAFKA.bootstrapServers(), config, version,
                    mnist.size(), WAIT);
            assertThat(accuracy.total()).isEqualTo(mnist.size());
            assertThat(accuracy.correct()).isEqualTo(offline);

            Map<String, String> reasons = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> dead : deadLetters) {
                reasons.put(utf8(dead.key()), utf8(dead.headers().lastHeader(DeadLetter.REASON).value()));
            }
            assertThat(deadLetters).hasSize(badReasons.size());
            assertThat(reasons).isEqualTo(badReasons);

            String scrape = get(app.metricsPort(), "/metrics").body();
            assertThat(PrometheusScrape.sum(scrape, "digits_predictions_total")).isEqualTo(mnist.size());
            assertThat(PrometheusScrape.sum(scrape, "digits_invalid_events_total")).isEqualTo(badReasons.size());
            assertThat(scrape).contains("digits_model_info{").contains("kafka_stream_").contains("jvm_memory_used_bytes{")
                    .contains("jvm_gc_").contains("process_uptime_seconds");
            assertThat(get(app.metricsPort(), "/health/ready").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void servesAClassifierOfItsOwnWiredAsWithAModelFile() throws Exception {
        MnistDataset mnist = MnistSamples.test500();
        float[] probabilities = new float[DigitShape.CLASSES];
        probabilities[4] = 1f;
        Classification four = new Classification(Prediction.fromProbabilities(probabilities), "constant-four");
        ClassifierConfig config = ownApplication("given")
                .with(ClassifierConfig.KEY_METRICS_PORT, "0")
                .with(ClassifierConfig.KEY_ADMIN_TOKEN, "an-admin-token-of-32-characters!")
                .with(ClassifierConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());

        try (ClassifierApplication app = ClassifierApplication.start(config, pixels -> four);
             CommittedRecords out = new CommittedRecords(KAFKA.bootstrapServers(), config.topicPartitions(),
                     config.predictionsTopic(), config.dlqTopic())) {
            assertThat(awaitStatus(app.metricsPort(), "/health/ready", 200)).isEqualTo(200);
            produce(config.inputTopic(), mnist);

            out.awaitUntil("every prediction and dead letter", WAIT, () -> out.count(config.predictionsTopic())
                    >= mnist.size() && out.count(config.dlqTopic()) >= 3);
            assertThat(out.of(config.predictionsTopic())).allSatisfy(record -> {
                PredictionEvent prediction = PredictionEvent.fromJson(record.value());
                assertThat(prediction.modelVersion()).isEqualTo("constant-four");
                assertThat(prediction.digit()).isEqualTo(4);
            });
            String scrape = get(app.metricsPort(), "/metrics").body();
            assertThat(PrometheusScrape.sum(scrape, "digits_predictions_total")).isEqualTo(mnist.size());
            assertThat(scrape).contains("jvm_memory_used_bytes{").contains("kafka_stream_")
                    .doesNotContain("digits_model_info{");
            // no model file: nothing to reload, whatever the token
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.metricsPort()
                            + "/model/reload")).header("Authorization", "Bearer an-admin-token-of-32-characters!")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(404);
            assertThatThrownBy(app::servedModel).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void withLateLabelsOffCountsTheImagesThatCarryTheirLabelAndWritesNoInternalRecordForTheOthers() throws Exception {
        MnistDataset mnist = MnistSamples.test500();
        int[] offline = MnistTraffic.offlineDigits(mnist);
        ClassifierConfig config = ownApplication("nolate")
                .with(ClassifierConfig.KEY_LABEL_JOIN_ENABLED, "false")
                .with(ClassifierConfig.KEY_NOT_DIGIT_THRESHOLD, ClassifierConfig.NOT_DIGIT_THRESHOLD_NONE)
                .with(ClassifierConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());

        try (ClassifierApplication app = ClassifierApplication.start(config, MODEL, 0);
             CommittedRecords out = new CommittedRecords(KAFKA.bootstrapServers(), config.topicPartitions(),
                     config.predictionsTopic());
             Admin admin = Admin.create(config.clientProperties())) {
            assertThat(awaitStatus(app.metricsPort(), "/health/ready", 200)).isEqualTo(200);
            long labelled = 0;
            long correct = 0;
            try (KafkaProducer<byte[], byte[]> producer = MnistTraffic.producer(KAFKA.bootstrapServers())) {
                for (int i = 0; i < mnist.size(); i++) {
                    ProducerRecord<byte[], byte[]> image = MnistTraffic.labelledImage(config.inputTopic(), mnist, i);
                    if (i % 2 == 1) {
                        image.headers().remove(ImageHeaders.LABEL);
                    } else {
                        labelled++;
                        correct += offline[i] == mnist.label(i) ? 1 : 0;
                    }
                    producer.send(image);
                }
                producer.flush();
            }

            out.awaitUntil("every prediction", WAIT, () -> out.count(config.predictionsTopic()) >= mnist.size());
            out.drain(WAIT);
            List<ConsumerRecord<byte[], byte[]>> predictions = out.of(config.predictionsTopic());
            assertThat(predictions).hasSize(mnist.size());
            for (ConsumerRecord<byte[], byte[]> record : predictions) {
                PredictionEvent p = PredictionEvent.fromJson(record.value());
                int index = Integer.parseInt(p.id().substring("mnist-".length()));
                assertThat(p.digit()).as("digit of " + p.id()).isEqualTo(offline[index]);
                assertThat(p.label()).as("label of " + p.id()).isEqualTo(index % 2 == 0 ? mnist.label(index) : null);
            }
            String version = PredictionEvent.fromJson(predictions.get(0).value()).modelVersion();
            AccuracyReport accuracy = MnistTraffic.awaitCumulativeAccuracy(KAFKA.bootstrapServers(), config, version,
                    labelled, WAIT);
            assertThat(accuracy.total()).isEqualTo(labelled);
            assertThat(accuracy.correct()).isEqualTo(correct);
            // the deltas' repartition exists; nothing waits for a label by id, and the labels topic has no reader
            Set<String> internal = admin.listTopics().names().get().stream()
                    .filter(topic -> topic.startsWith(config.applicationId() + "-")).collect(Collectors.toSet());
            assertThat(internal).anyMatch(topic -> topic.contains(ClassifierTopology.ACCURACY_DELTAS))
                    .noneMatch(topic -> topic.contains(ClassifierTopology.PREDICTIONS_BY_ID)
                            || topic.contains(ClassifierTopology.LABEL_JOIN)
                            || topic.contains(ClassifierTopology.LABELS_BY_ID));
        }
    }

    @Test
    void switchingTheLateLabelJoinOffAndOnAgainKeepsTheAccuracyCounts() throws Exception {
        MnistDataset mnist = MnistSamples.test500();
        int[] offline = MnistTraffic.offlineDigits(mnist);
        ClassifierConfig joinOn = ownApplication("switch")
                .with(ClassifierConfig.KEY_NOT_DIGIT_THRESHOLD, ClassifierConfig.NOT_DIGIT_THRESHOLD_NONE)
                .with(ClassifierConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        ClassifierConfig joinOff = joinOn.with(ClassifierConfig.KEY_LABEL_JOIN_ENABLED, "false");

        // each step classifies more labelled images; the running count goes on from where the last one stopped
        int[] upTo = {200, 400, 500};
        ClassifierConfig[] steps = {joinOn, joinOff, joinOn};
        for (int step = 0; step < steps.length; step++) {
            int from = step == 0 ? 0 : upTo[step - 1];
            try (ClassifierApplication app = ClassifierApplication.start(steps[step], MODEL, 0)) {
                assertThat(awaitStatus(app.metricsPort(), "/health/ready", 200)).isEqualTo(200);
                MnistTraffic.produceLabelled(KAFKA.bootstrapServers(), joinOn.inputTopic(), mnist, from, upTo[step]);
                String version = app.servedModel().modelVersion();
                AccuracyReport accuracy = MnistTraffic.awaitCumulativeAccuracy(KAFKA.bootstrapServers(), joinOn,
                        version, upTo[step], WAIT);

                long correct = MnistTraffic.correct(Arrays.copyOf(offline, upTo[step]), mnist);
                assertThat(accuracy.total()).as("step %d", step).isEqualTo(upTo[step]);
                assertThat(accuracy.correct()).as("step %d", step).isEqualTo(correct);
            }
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

        assertThat(app.awaitTermination(WAIT)).isTrue();
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

    /** The defaults against the test's broker, with an application id and topics of its own: {@code prefix.images}... */
    private static ClassifierConfig ownApplication(String prefix) {
        return ClassifierConfig.defaults()
                .with(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, KAFKA.bootstrapServers())
                .with(ClassifierConfig.KEY_APPLICATION_ID, "classifier-" + prefix)
                .with(ClassifierConfig.KEY_INPUT_TOPIC, prefix + ".images")
                .with(ClassifierConfig.KEY_PREDICTIONS_TOPIC, prefix + ".predictions")
                .with(ClassifierConfig.KEY_REVIEW_TOPIC, prefix + ".review")
                .with(ClassifierConfig.KEY_DLQ_TOPIC, prefix + ".dlq")
                .with(ClassifierConfig.KEY_LABELS_TOPIC, prefix + ".labels")
                .with(ClassifierConfig.KEY_ACCURACY_TOPIC, prefix + ".accuracy");
    }

    private void produce(String topic, MnistDataset mnist) {
        try (KafkaProducer<byte[], byte[]> producer = MnistTraffic.producer(KAFKA.bootstrapServers())) {
            for (int i = 0; i < mnist.size(); i++) {
                producer.send(MnistTraffic.labelledImage(topic, mnist, i));
            }
            producer.send(new ProducerRecord<>(topic, utf8("bad-empty"), new byte[0]));
            producer.send(new ProducerRecord<>(topic, utf8("bad-text"), utf8("hello, digits")));
            producer.send(new ProducerRecord<>(topic, null, utf8("bad-label"),
                    Arrays.copyOfRange(mnist.images(), 0, 784), new RecordHeaders().add("label", utf8("seven"))));
            producer.flush();
        }
    }

    private int awaitStatus(int port, String path, int status) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
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
}
