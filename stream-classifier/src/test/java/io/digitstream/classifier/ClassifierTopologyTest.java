package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.classifier.observe.ClassifierMetrics;
import io.digitstream.contract.DeadLetter;
import io.digitstream.contract.PredictionEvent;
import io.digitstream.contract.Topics;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.core.model.OnnxDigitModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifierTopologyTest {

    @TempDir
    Path stateDir;

    private static final long CLASSIFIED_AT = 1_700_000_000_000L;
    private static final long RECEIVED_AT = 1_690_000_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(CLASSIFIED_AT), ZoneOffset.UTC);

    private static OnnxDigitModel model;
    private static OnnxDigitClassifier classifier;
    private static MnistDataset mnist;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ClassifierMetrics metrics = new ClassifierMetrics();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> images;
    private TestOutputTopic<byte[], byte[]> predictions;
    private TestOutputTopic<byte[], byte[]> review;
    private TestOutputTopic<byte[], byte[]> dlq;

    @BeforeAll
    static void loadModel() throws IOException {
        model = OnnxDigitModel.load(Path.of("../models/digits-cnn.onnx"));
        classifier = new OnnxDigitClassifier(model);
        mnist = MnistSamples.test500();
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    @BeforeEach
    void bindMetrics() {
        metrics.bindTo(registry);
    }

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
        registry.close();
    }

    private void start(ClassifierConfig config) {
        driver = new TopologyTestDriver(ClassifierTopology.build(config, classifier, metrics, CLOCK),
                TopologyTestSupport.streamsProperties(config, stateDir));
        ByteArraySerializer out = new ByteArraySerializer();
        ByteArrayDeserializer in = new ByteArrayDeserializer();
        images = driver.createInputTopic(config.inputTopic(), out, out);
        predictions = driver.createOutputTopic(config.predictionsTopic(), in, in);
        review = driver.createOutputTopic(config.reviewTopic(), in, in);
        dlq = driver.createOutputTopic(config.dlqTopic(), in, in);
    }

    private void start() {
        start(ClassifierConfig.defaults());
    }

    private void send(String key, byte[] value, Headers headers) {
        images.pipeInput(new TestRecord<>(key == null ? null : utf8(key), value, headers, RECEIVED_AT));
        TopologyTestSupport.classifyHeld(driver);
    }

    private void send(String key, byte[] value) {
        send(key, value, new RecordHeaders());
    }

    private PredictionEvent onlyPrediction() {
        List<TestRecord<byte[], byte[]>> records = predictions.readRecordsToList();
        assertThat(records).hasSize(1);
        assertThat(dlq.isEmpty()).isTrue();
        return PredictionEvent.fromJson(records.get(0).value());
    }

    @Test
    void pngImageIsClassified() {
        start();
        send("img-1", png(0));

        PredictionEvent p = onlyPrediction();
        assertThat(p.id()).isEqualTo("img-1");
        assertThat(p.digit()).isEqualTo(mnist.label(0));
        assertThat(p.probabilities()).hasSize(10);
        assertThat(p.confidence()).isEqualTo(p.probabilities()[p.digit()]);
        assertThat(p.receivedAt()).isEqualTo(RECEIVED_AT);
        assertThat(p.classifiedAt()).isEqualTo(CLASSIFIED_AT);
        assertThat(p.label()).isNull();
        assertThat(p.correct()).isNull();
    }

    @Test
    void predictionKeepsTheInputKey() {
        start();
        send("img-1", png(0));

        assertThat(predictions.readRecord().key()).isEqualTo(utf8("img-1"));
    }

    @Test
    void predictionCarriesTheModelVersion() {
        start();
        send("img-1", raw(0));

        assertThat(onlyPrediction().modelVersion()).isEqualTo(model.metadata().modelVersion()).isNotBlank();
    }

    @Test
    void rawPixelsAreClassified() {
        start();
        send("raw-1", raw(1));

        PredictionEvent p = onlyPrediction();
        assertThat(p.id()).isEqualTo("raw-1");
        assertThat(p.digit()).isEqualTo(mnist.label(1));
    }

    @Test
    void jsonEnvelopeWithLabelYieldsCorrectPrediction() {
        start();
        String json = "{\"id\":\"json-7\",\"image\":\"" + Base64.getEncoder().encodeToString(png(2))
                + "\",\"label\":" + mnist.label(2) + "}";
        send("key-ignored-for-id", utf8(json));

        PredictionEvent p = onlyPrediction();
        assertThat(p.id()).isEqualTo("json-7");
        assertThat(p.label()).isEqualTo(mnist.label(2));
        assertThat(p.correct()).isTrue();
    }

    @Test
    void labelHeaderSetsTheTruth() {
        start();
        int wrong = (mnist.label(3) + 1) % 10;
        send("raw-3", raw(3), new RecordHeaders().add("label", utf8(Integer.toString(wrong))));

        PredictionEvent p = onlyPrediction();
        assertThat(p.digit()).isEqualTo(mnist.label(3));
        assertThat(p.label()).isEqualTo(wrong);
        assertThat(p.correct()).isFalse();
    }

    @Test
    void absentKeyMakesTopicPartitionOffsetId() {
        start();
        send(null, raw(0));
        send(null, raw(1));

        List<TestRecord<byte[], byte[]>> records = predictions.readRecordsToList();
        assertThat(records).extracting(r -> PredictionEvent.fromJson(r.value()).id())
                .containsExactly("digits.images-0-0", "digits.images-0-1");
    }

    @Test
    void emptyKeyIsTreatedAsAbsent() {
        start();
        images.pipeInput(new TestRecord<>(new byte[0], raw(0), new RecordHeaders(), RECEIVED_AT));
        TopologyTestSupport.classifyHeld(driver);

        assertThat(onlyPrediction().id()).isEqualTo("digits.images-0-0");
    }

    @Test
    void jsonEnvelopeMayCarryRawPixels() {
        start();
        send("j", utf8("{\"image\":\"" + Base64.getEncoder().encodeToString(raw(4)) + "\"}"));

        assertThat(onlyPrediction().digit()).isEqualTo(mnist.label(4));
    }

    @Test
    void confidenceBelowThresholdAlsoGoesToReview() {
        start(ClassifierConfig.defaults().with(ClassifierConfig.KEY_REVIEW_THRESHOLD, "1.01"));
        send("img-1", png(0));

        TestRecord<byte[], byte[]> predicted = predictions.readRecord();
        TestRecord<byte[], byte[]> reviewed = review.readRecord();
        assertThat(reviewed.key()).isEqualTo(predicted.key());
        assertThat(reviewed.value()).isEqualTo(predicted.value());
        assertThat(review.isEmpty()).isTrue();
        assertThat(registry.get("digits.low.confidence").counter().count()).isEqualTo(1.0);
    }

    @Test
    void predictionIsCountedByDigitAndModelVersionWithItsLatencies() {
        start();
        send("raw-1", raw(1));
        send("raw-2", raw(2));

        PredictionEvent first = PredictionEvent.fromJson(predictions.readRecord().value());
        assertThat(registry.get("digits.predictions").tags("digit", Integer.toString(first.digit()),
                "model_version", classifier.modelVersion()).counter().count()).isGreaterThanOrEqualTo(1.0);
        assertThat(registry.get("digits.predictions").counters().stream().mapToDouble(Counter::count).sum())
                .isEqualTo(2.0);
        assertThat(registry.get("digits.low.confidence").counter().count()).isZero();
        assertThat(registry.get("digits.inference").timer().count()).isEqualTo(2);
        assertThat(registry.get("digits.end.to.end.latency").timer().count()).isEqualTo(2);
        assertThat(registry.get("digits.end.to.end.latency").timer().max(TimeUnit.MILLISECONDS))
                .isEqualTo(CLASSIFIED_AT - RECEIVED_AT);
    }

    @Test
    void deadLettersAreCountedByReason() {
        start();
        send("a", new byte[0]);
        send("b", new byte[0]);
        send("c", utf8("hello, digits"));

        assertThat(dlq.readRecordsToList()).hasSize(3);
        assertThat(registry.get("digits.invalid.events").tag("reason", "empty").counter().count()).isEqualTo(2.0);
        assertThat(registry.get("digits.invalid.events").tag("reason", "not-an-image").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.find("digits.predictions").counters()).isEmpty();
    }

    @Test
    void confidentPredictionSkipsReview() {
        start();
        send("img-1", raw(0));

        PredictionEvent p = onlyPrediction();
        assertThat(p.confidence()).isGreaterThanOrEqualTo((float) ClassifierConfig.REVIEW_THRESHOLD);
        assertThat(review.isEmpty()).isTrue();
    }

    /**
     * The shipped model carries logits and a not-a-digit threshold (docs/model-card.md): MNIST digits pass; a filled silhouette, the kind of thing a form's photo box holds, is answered not-a-digit and goes
     * to review with the digit it would have been.
     */
    @Test
    void theShippedModelAcceptsDigitsAndRejectsASilhouette() {
        assertThat(model.hasLogits()).isTrue();
        assertThat(model.metadata().hasOodThreshold()).isTrue();
        start();
        for (int i = 0; i < 50; i++) {
            send("raw-" + i, raw(i));
        }
        List<TestRecord<byte[], byte[]>> records = predictions.readRecordsToList();
        assertThat(records).hasSize(50).allSatisfy(r -> {
            PredictionEvent p = PredictionEvent.fromJson(r.value());
            assertThat(p.accepted()).isTrue();
            assertThat(p.oodScore()).as("an accepted prediction carries no score (contract.md)").isNull();
        });
        review.readRecordsToList();

        send("silhouette", silhouette());
        PredictionEvent rejected = onlyPrediction();
        assertThat(rejected.accepted()).isFalse();
        assertThat(rejected.rejectReason()).isEqualTo("not-a-digit");
        assertThat(rejected.oodScore()).isGreaterThan(model.metadata().oodThreshold());
        assertThat(review.readRecordsToList()).hasSize(1);
        assertThat(registry.get("digits.rejected").tag("reason", "not-a-digit").counter().count()).isEqualTo(1.0);
    }

    /** A filled T-shirt-like shape: body and sleeves, grey with a lighter collar, filling most of the frame. */
    private static byte[] silhouette() {
        byte[] pixels = new byte[784];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                boolean body = y >= 4 && y < 27 && x >= 7 && x < 21;
                boolean sleeves = y >= 4 && y < 12 && x >= 2 && x < 26;
                boolean collar = y < 7 && x >= 11 && x < 17;
                if (collar) {
                    pixels[y * 28 + x] = (byte) 40;
                } else if (body || sleeves) {
                    pixels[y * 28 + x] = (byte) (150 + (x * 7 + y * 3) % 60);
                }
            }
        }
        return pixels;
    }

    @Test
    void emptyValueIsDeadLettered() {
        start();
        assertDeadLettered("empty", "k", new byte[0], new RecordHeaders());
    }

    @Test
    void textIsNotAnImage() {
        start();
        assertDeadLettered("not-an-image", "k", utf8("hello, digits"), new RecordHeaders());
    }

    @Test
    void brokenPngIsUndecodable() {
        start();
        byte[] png = png(0);
        byte[] broken = Arrays.copyOf(png, 40);
        assertDeadLettered("undecodable", "k", broken, new RecordHeaders());
    }

    @Test
    void oversizedValueIsTooLarge() {
        start(ClassifierConfig.defaults().with(ClassifierConfig.KEY_MAX_IMAGE_BYTES, "1000"));
        assertDeadLettered("too-large", "k", new byte[1001], new RecordHeaders());
    }

    @Test
    void imageWithoutInkIsBlank() {
        start();
        BufferedImage white = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                white.getRaster().setSample(x, y, 0, 255);
            }
        }
        assertDeadLettered("blank", "k", PoisonCorpus.png(white), new RecordHeaders());
    }

    @Test
    void malformedJsonIsBadJson() {
        start();
        assertDeadLettered("bad-json", "k", utf8("{\"image\": "), new RecordHeaders());
    }

    @Test
    void invalidBase64IsBadJson() {
        start();
        assertDeadLettered("bad-json", "k", utf8("{\"image\":\"not*base64!\"}"), new RecordHeaders());
    }

    @Test
    void nonDigitLabelHeaderIsBadLabel() {
        start();
        assertDeadLettered("bad-label", "k", raw(0), new RecordHeaders().add("label", utf8("seven")));
    }

    @Test
    void outOfRangeJsonLabelIsBadLabel() {
        start();
        String json = "{\"image\":\"" + Base64.getEncoder().encodeToString(raw(0)) + "\",\"label\":10}";
        assertDeadLettered("bad-label", "k", utf8(json), new RecordHeaders());
    }

    @Test
    void deadLetterKeepsAnAbsentKeyAndTheInputHeaders() {
        start();
        send(null, utf8("hello"), new RecordHeaders().add("trace", utf8("abc")));

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(dead.key()).isNull();
        assertThat(header(dead, "trace")).isEqualTo("abc");
        assertThat(header(dead, DeadLetter.SOURCE_OFFSET)).isEqualTo("0");
    }

    @Test
    void idAtTheLimitIsClassified() {
        start();
        send("k".repeat(256), raw(0));

        assertThat(onlyPrediction().id()).hasSize(256);
    }

    @Test
    void keyLongerThanTheIdLimitIsBadId() {
        start();
        assertDeadLettered(DeadLetter.BAD_ID, "k".repeat(257), raw(0), new RecordHeaders());
    }

    @Test
    void idLimitIsASetting() {
        start(ClassifierConfig.defaults().with(ClassifierConfig.KEY_EVENT_ID_MAX_BYTES, "8"));
        assertDeadLettered(DeadLetter.BAD_ID, "123456789", raw(0), new RecordHeaders());
    }

    @Test
    void keyWithControlCharactersIsBadId() {
        start();
        assertDeadLettered(DeadLetter.BAD_ID, "scan\u0000\u0007", raw(0), new RecordHeaders());
    }

    @Test
    void keyThatIsNotUtf8IsBadId() {
        start();
        byte[] key = {(byte) 0xC3, (byte) 0x28, 'a'};
        images.pipeInput(new TestRecord<>(key, raw(0), new RecordHeaders(), RECEIVED_AT));
        TopologyTestSupport.classifyHeld(driver);

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(dead.key()).isEqualTo(key);
        assertThat(header(dead, DeadLetter.REASON)).isEqualTo(DeadLetter.BAD_ID);
        assertThat(predictions.isEmpty()).isTrue();
    }

    @Test
    void jsonIdLongerThanTheLimitIsBadId() {
        start();
        String json = "{\"id\":\"" + "x".repeat(300) + "\",\"image\":\"" + Base64.getEncoder().encodeToString(raw(0))
                + "\"}";
        assertDeadLettered(DeadLetter.BAD_ID, "k", utf8(json), new RecordHeaders());
    }

    @Test
    void jsonIdWithEscapedControlCharactersIsBadId() {
        start();
        String json = "{\"id\":\"a\\u0001b\",\"image\":\"" + Base64.getEncoder().encodeToString(raw(0)) + "\"}";
        assertDeadLettered(DeadLetter.BAD_ID, "k", utf8(json), new RecordHeaders());
    }

    @Test
    void deadLetterLargerThanTheRecordLimitKeepsATruncatedValueAndSaysSo() {
        ClassifierConfig config = ClassifierConfig.defaults().with(ClassifierConfig.KEY_RECORD_MAX_BYTES, "16384");
        start(config);
        byte[] value = new byte[100_000];
        Arrays.fill(value, (byte) 'x');
        send("big", value, new RecordHeaders().add("trace", utf8("abc")));

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(header(dead, DeadLetter.REASON)).isEqualTo("not-an-image");
        assertThat(dead.key()).isEqualTo(utf8("big"));
        assertThat(header(dead, DeadLetter.VALUE_TRUNCATED)).isEqualTo("true");
        assertThat(header(dead, DeadLetter.VALUE_SIZE)).isEqualTo("100000");
        assertThat(header(dead, "trace")).isEqualTo("abc");
        assertThat(dead.value()).isEqualTo(Arrays.copyOf(value, dead.value().length));
        assertThat(DeadLetterRecords.serializedSize(dead.key(), dead.value(), dead.headers()))
                .isLessThanOrEqualTo(config.recordMaxBytes());
    }

    @Test
    void hugeKeyIsDeadLetteredWithATruncatedKeyWithinTheRecordLimit() {
        ClassifierConfig config = ClassifierConfig.defaults().with(ClassifierConfig.KEY_RECORD_MAX_BYTES, "65536");
        start(config);
        String key = "\u0001".repeat(175_000);
        send(key, raw(0));

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(header(dead, DeadLetter.REASON)).isEqualTo(DeadLetter.BAD_ID);
        assertThat(header(dead, DeadLetter.KEY_TRUNCATED)).isEqualTo("true");
        assertThat(header(dead, DeadLetter.KEY_SIZE)).isEqualTo("175000");
        assertThat(dead.value()).isEqualTo(raw(0));
        assertThat(DeadLetterRecords.serializedSize(dead.key(), dead.value(), dead.headers()))
                .isLessThanOrEqualTo(config.recordMaxBytes());
        assertThat(predictions.isEmpty()).isTrue();
    }

    @Test
    void anExceptionInTheClassifierMakesAnInternalErrorDeadLetterAndTheStreamGoesOn() {
        ClassifierConfig config = ClassifierConfig.defaults();
        DigitClassifier failsOnBlankCorner = pixels -> {
            if (pixels[0] > 0.5f) {
                throw new IllegalStateException("model exploded");
            }
            return classifier.classify(pixels);
        };
        java.util.Properties props = TopologyTestSupport.streamsProperties(config, stateDir);
        DeadLetterHandlers.install(props, config, metrics);
        driver = new TopologyTestDriver(ClassifierTopology.build(config, failsOnBlankCorner, metrics, CLOCK), props);
        ByteArraySerializer out = new ByteArraySerializer();
        ByteArrayDeserializer in = new ByteArrayDeserializer();
        images = driver.createInputTopic(config.inputTopic(), out, out);
        predictions = driver.createOutputTopic(config.predictionsTopic(), in, in);
        dlq = driver.createOutputTopic(config.dlqTopic(), in, in);
        byte[] poison = raw(1);
        poison[0] = (byte) 255;

        images.pipeInput(new TestRecord<>(utf8("poison"), poison, new RecordHeaders(), RECEIVED_AT));
        TopologyTestSupport.classifyHeld(driver);
        images.pipeInput(new TestRecord<>(utf8("after"), raw(0), new RecordHeaders(), RECEIVED_AT));
        TopologyTestSupport.classifyHeld(driver);

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(dead.key()).isEqualTo(utf8("poison"));
        assertThat(dead.value()).isEqualTo(poison);
        assertThat(header(dead, DeadLetter.REASON)).isEqualTo(DeadLetter.INTERNAL_ERROR);
        assertThat(header(dead, DeadLetter.EXCEPTION)).isEqualTo(IllegalStateException.class.getName());
        assertThat(header(dead, DeadLetter.MESSAGE)).contains("model exploded");
        assertThat(header(dead, DeadLetter.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(predictions.readRecordsToList()).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactly("after");
        assertThat(registry.get("digits.invalid.events").tag("reason", DeadLetter.INTERNAL_ERROR).counter().count())
                .isEqualTo(1.0);
    }

    private void assertDeadLettered(String reason, String key, byte[] value, Headers headers) {
        send("warm-up", raw(0)); // so the dead letter's offset is not trivially 0
        predictions.readRecordsToList();
        send(key, value, headers);

        assertThat(predictions.isEmpty()).isTrue();
        assertThat(review.isEmpty()).isTrue();
        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(dead.key()).isEqualTo(utf8(key));
        assertThat(dead.value()).isEqualTo(value);
        assertThat(dead.timestamp()).isEqualTo(RECEIVED_AT);
        assertThat(header(dead, DeadLetter.REASON)).isEqualTo(reason);
        assertThat(header(dead, DeadLetter.MESSAGE)).isNotBlank();
        assertThat(header(dead, DeadLetter.SOURCE_TOPIC)).isEqualTo(Topics.IMAGES);
        assertThat(header(dead, DeadLetter.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(dead, DeadLetter.SOURCE_OFFSET)).isEqualTo("1");
        assertThat(dlq.isEmpty()).isTrue();
    }

    private static String header(TestRecord<byte[], byte[]> record, String key) {
        return record.headers().lastHeader(key) == null ? null
                : new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    private static byte[] raw(int index) {
        return Arrays.copyOfRange(mnist.images(), index * 784, (index + 1) * 784);
    }

    private static byte[] png(int index) {
        byte[] pixels = raw(index);
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int p = 0; p < 784; p++) {
            image.getRaster().setSample(p % 28, p / 28, 0, pixels[p] & 0xFF);
        }
        return PoisonCorpus.png(image);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
