package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.classifier.event.AccuracyCounts;
import io.digitstream.classifier.observe.ClassifierMetrics;
import io.digitstream.contract.AccuracyReport;
import io.digitstream.contract.PredictionEvent;
import io.digitstream.core.model.ModelMetadata;
import io.digitstream.core.model.OodScore;
import io.digitstream.core.model.TemplateDigitModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not-a-digit rejection end to end through the topology, with the template model (core's test-jar) and its logits:
 * by energy, a glyph scores -45 or less and the corner blot about +45, so a threshold of 0 rejects the blot alone,
 * which the model would still have read as a 1 with confidence 0.989.
 */
class NotDigitTopologyTest {

    private static final long RECEIVED_AT = 1_690_000_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
    private static final ModelMetadata ENERGY_AT_ZERO = TemplateDigitModels.metadata(TemplateDigitModels.checkDigits())
            .withOod(OodScore.ENERGY, 0.0);

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ClassifierMetrics metrics = new ClassifierMetrics();
    private ReloadableDigitClassifier classifier;
    private Path modelFile;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> images;
    private TestInputTopic<byte[], byte[]> labels;
    private TestOutputTopic<byte[], byte[]> predictions;
    private TestOutputTopic<byte[], byte[]> review;
    private TestOutputTopic<String, byte[]> accuracy;

    @BeforeEach
    void bindMetrics() {
        metrics.bindTo(registry);
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
        if (classifier != null) {
            classifier.close();
        }
        registry.close();
    }

    private void start(ModelMetadata metadata, ClassifierConfig config) throws IOException {
        modelFile = Files.write(dir.resolve("model.onnx"), TemplateDigitModels.modelBytesWithLogits(metadata));
        classifier = ReloadableDigitClassifier.open(modelFile, metrics);
        driver = new TopologyTestDriver(ClassifierTopology.build(config, classifier, metrics, CLOCK),
                TopologyTestSupport.streamsProperties(config, dir.resolve("state")));
        ByteArraySerializer out = new ByteArraySerializer();
        ByteArrayDeserializer in = new ByteArrayDeserializer();
        images = driver.createInputTopic(config.inputTopic(), out, out);
        labels = driver.createInputTopic(config.labelsTopic(), out, out);
        predictions = driver.createOutputTopic(config.predictionsTopic(), in, in);
        review = driver.createOutputTopic(config.reviewTopic(), in, in);
        accuracy = driver.createOutputTopic(config.accuracyTopic(), new StringDeserializer(), in);
    }

    private void start() throws IOException {
        start(ENERGY_AT_ZERO, ClassifierConfig.defaults());
    }

    @Test
    void anImageThatIsNoDigitGetsARejectedPredictionOnPredictionsAndReview() throws IOException {
        start();
        send("blot", TemplateDigitModels.cornerBlot(), null);

        List<TestRecord<byte[], byte[]>> predicted = predictions.readRecordsToList();
        assertThat(predicted).hasSize(1);
        PredictionEvent p = PredictionEvent.fromJson(predicted.get(0).value());
        assertThat(p.id()).isEqualTo("blot");
        assertThat(p.accepted()).isFalse();
        assertThat(p.rejectReason()).isEqualTo("not-a-digit");
        assertThat(p.oodScore()).isGreaterThan(40.0);
        assertThat(p.digit()).isEqualTo(1);
        assertThat(p.confidence()).isGreaterThan(0.98f);
        assertThat(utf8(predicted.get(0).value())).contains("\"accepted\":false,\"rejectReason\":\"not-a-digit\","
                + "\"oodScore\":");
        TestRecord<byte[], byte[]> reviewed = review.readRecord();
        assertThat(reviewed.key()).isEqualTo(utf8("blot"));
        assertThat(reviewed.value()).isEqualTo(predicted.get(0).value());
        assertThat(review.isEmpty()).isTrue();
        assertThat(rejectedTotal()).isEqualTo(1.0);
    }

    @Test
    void aDigitIsAcceptedAndWrittenAsBeforeWithAcceptedTrue() throws IOException {
        start();
        send("seven", TemplateDigitModels.glyph(7), null);

        byte[] json = predictions.readValue();
        PredictionEvent p = PredictionEvent.fromJson(json);
        assertThat(p.accepted()).isTrue();
        assertThat(p.digit()).isEqualTo(7);
        assertThat(utf8(json)).endsWith(",\"accepted\":true}").doesNotContain("rejectReason").doesNotContain("oodScore");
        assertThat(review.isEmpty()).as("confident, and a digit").isTrue();
        assertThat(rejectedTotal()).isZero();
    }

    @Test
    void theAccuracyLeavesRejectedPredictionsOutAndCountsThemApart() throws IOException {
        start();
        send("seven", TemplateDigitModels.glyph(7), 7);
        send("two", TemplateDigitModels.glyph(2), 3);
        send("blot", TemplateDigitModels.cornerBlot(), 4);
        send("unlabelled-blot", TemplateDigitModels.cornerBlot(), null);

        AccuracyReport cumulative = latestAccuracy().get(ENERGY_AT_ZERO.modelVersion());
        assertThat(cumulative.total()).isEqualTo(2);
        assertThat(cumulative.correct()).isEqualTo(1);
        assertThat(cumulative.accuracy()).isEqualTo(0.5);
        assertThat(cumulative.rejected()).isEqualTo(1);
        assertThat(cumulative.confusion()[4]).containsOnly(0L);
        AccuracyCounts stored = driver.<String, AccuracyCounts>getKeyValueStore(ClassifierTopology.ACCURACY_STORE)
                .get(ENERGY_AT_ZERO.modelVersion());
        assertThat(stored.rejected()).isEqualTo(1);
        assertThat(stored.matrix().total()).isEqualTo(2);
        assertThat(gauge("digits.accuracy", "cumulative")).isEqualTo(0.5);
        assertThat(gauge("digits.accuracy.labelled", "cumulative")).isEqualTo(2.0);
        assertThat(gauge("digits.accuracy.rejected", "cumulative")).isEqualTo(1.0);
        assertThat(gauge("digits.accuracy.rejected", "last_window")).isEqualTo(1.0);
        assertThat(rejectedTotal()).isEqualTo(2.0);
    }

    @Test
    void aLateLabelForARejectedPredictionIsCountedAsRejected() throws IOException {
        start();
        send("blot", TemplateDigitModels.cornerBlot(), null);
        labels.pipeInput(new TestRecord<>(utf8("blot"), utf8("4"), new RecordHeaders(), RECEIVED_AT + 1_000));

        AccuracyReport cumulative = latestAccuracy().get(ENERGY_AT_ZERO.modelVersion());
        assertThat(cumulative.total()).isZero();
        assertThat(cumulative.rejected()).isEqualTo(1);
    }

    @Test
    void theThresholdFollowsTheServedModelAcrossAReload() throws IOException {
        start(ENERGY_AT_ZERO.withOod(OodScore.ENERGY, Double.NaN), ClassifierConfig.defaults());
        send("before", TemplateDigitModels.cornerBlot(), null);

        ModelFiles.replace(modelFile, TemplateDigitModels.modelBytesWithLogits(ENERGY_AT_ZERO));
        assertThat(classifier.reload().loaded()).isTrue();
        send("after", TemplateDigitModels.cornerBlot(), null);

        assertThat(predictions.readValuesToList()).extracting(json -> PredictionEvent.fromJson(json).accepted())
                .containsExactly(true, false);
    }

    @Test
    void theSettingOverridesTheServedModelsThresholdAcrossAReload() throws IOException {
        ClassifierConfig config = ClassifierConfig.defaults().with(ClassifierConfig.KEY_NOT_DIGIT_THRESHOLD, "50");
        start(ENERGY_AT_ZERO, config);
        send("before", TemplateDigitModels.cornerBlot(), null);

        ModelFiles.replace(modelFile, TemplateDigitModels.modelBytesWithLogits(
                ENERGY_AT_ZERO.withOod(OodScore.ENERGY, -100.0)));
        assertThat(classifier.reload().loaded()).isTrue();
        send("after", TemplateDigitModels.cornerBlot(), null);
        send("seven", TemplateDigitModels.glyph(7), null);

        assertThat(predictions.readValuesToList()).extracting(json -> PredictionEvent.fromJson(json).accepted())
                .containsExactly(true, true, true);
        assertThat(rejectedTotal()).isZero();
    }

    @Test
    void theRejectedCounterExistsBeforeAnyRejection() throws IOException {
        start();

        assertThat(rejectedTotal()).isZero();
    }

    private double rejectedTotal() {
        return registry.get("digits.rejected").tag("reason", "not-a-digit").counter().count();
    }

    private double gauge(String name, String scope) {
        return registry.get(name).tags("model_version", ENERGY_AT_ZERO.modelVersion(), "scope", scope).gauge()
                .value();
    }

    private void send(String key, byte[] pixels, Integer label) {
        RecordHeaders headers = new RecordHeaders();
        if (label != null) {
            headers.add("label", utf8(Integer.toString(label)));
        }
        images.pipeInput(new TestRecord<>(utf8(key), pixels, headers, RECEIVED_AT));
        TopologyTestSupport.classifyHeld(driver);
    }

    private Map<String, AccuracyReport> latestAccuracy() {
        return TopologyTestSupport.latestAccuracy(driver, accuracy);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
