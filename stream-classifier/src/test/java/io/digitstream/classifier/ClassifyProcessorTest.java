package io.digitstream.classifier;

import static io.digitstream.classifier.ProcessorTestSupport.header;
import static io.digitstream.classifier.ProcessorTestSupport.stroke;
import static io.digitstream.classifier.ProcessorTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.classifier.ClassificationOutcome.Predicted;
import io.digitstream.classifier.observe.ClassifierMetrics;
import io.digitstream.contract.DeadLetter;
import io.digitstream.contract.PredictionEvent;
import io.digitstream.contract.Topics;
import io.digitstream.core.model.Prediction;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The processor alone, with a stand-in model: what it forwards for one record (once the batch linger has passed), and
 * what it counts. {@link ClassifyProcessorBatchTest} has the batches.
 */
class ClassifyProcessorTest {

    private static final long RECEIVED_AT = 1_690_000_000_000L;
    private static final long CLASSIFIED_AT = 1_700_000_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(CLASSIFIED_AT), ZoneOffset.UTC);
    private static final String INPUT_TOPIC = Topics.IMAGES;
    private static final int DIGIT = 3;
    private static final String MODEL_VERSION = "test-v1";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ClassifierMetrics metrics = new ClassifierMetrics();
    private final MockProcessorContext<byte[], ClassificationOutcome> context = new MockProcessorContext<>();
    private float confidence = 0.95f;
    private double oodScore = -10;
    private double modelNotDigitThreshold = Double.NaN;
    private int classifications;

    @BeforeEach
    void bindMetrics() {
        metrics.bindTo(registry);
        ProcessorTestSupport.addBatchStore(context);
    }

    @AfterEach
    void close() {
        registry.close();
    }

    /**
     * Answers {@link #DIGIT} with {@link #confidence} and {@link #oodScore}, from a model whose not-a-digit threshold
     * is {@link #modelNotDigitThreshold}, and counts its calls.
     */
    private Classification classify(float[] pixels) {
        classifications++;
        float[] probabilities = new float[10];
        Arrays.fill(probabilities, (1 - confidence) / 9);
        probabilities[DIGIT] = confidence;
        return new Classification(new Prediction(DIGIT, confidence, probabilities, oodScore), MODEL_VERSION,
                modelNotDigitThreshold);
    }

    private List<CapturedForward<? extends byte[], ? extends ClassificationOutcome>> process(
            ClassifierConfig config, byte[] key, byte[] value, Headers headers) {
        ClassifyProcessor processor = new ClassifyProcessor(config, this::classify, metrics, CLOCK,
                ClassifierTopology.CLASSIFY_BATCH_STORE);
        processor.init(context);
        context.setRecordMetadata(INPUT_TOPIC, 2, 41);
        processor.process(new Record<>(key, value, RECEIVED_AT, headers));
        ProcessorTestSupport.lingerPassed(context, CLASSIFIED_AT);
        return context.forwarded();
    }

    private CapturedForward<? extends byte[], ? extends ClassificationOutcome> onlyForward(byte[] key, byte[] value,
                                                                                            Headers headers) {
        List<CapturedForward<? extends byte[], ? extends ClassificationOutcome>> forwarded =
                process(ClassifierConfig.defaults(), key, value, headers);
        assertThat(forwarded).hasSize(1);
        return forwarded.get(0);
    }

    private Predicted predicted(ClassifierConfig config, byte[] key, Headers headers) {
        List<CapturedForward<? extends byte[], ? extends ClassificationOutcome>> forwarded =
                process(config, key, stroke(), headers);
        assertThat(forwarded).hasSize(1);
        return (Predicted) forwarded.get(0).record().value();
    }

    private Predicted predicted(byte[] key) {
        return predicted(ClassifierConfig.defaults(), key, new RecordHeaders());
    }

    @Test
    void anImageIsForwardedAsOnePredictionUnderTheInputKeyWithNoHeaders() {
        CapturedForward<? extends byte[], ? extends ClassificationOutcome> forward = onlyForward(utf8("img-1"),
                stroke(), new RecordHeaders().add("trace", utf8("abc")));

        assertThat(forward.childName()).as("routing is the topology's").isEmpty();
        assertThat(forward.record().key()).isEqualTo(utf8("img-1"));
        assertThat(forward.record().timestamp()).isEqualTo(RECEIVED_AT);
        assertThat(forward.record().headers().toArray()).isEmpty();
        assertThat(forward.record().value()).isInstanceOf(Predicted.class);
    }

    @Test
    void thePredictionNamesItsEventItsModelAndItsTimes() {
        PredictionEvent event = predicted(utf8("img-1")).event();

        assertThat(event.id()).isEqualTo("img-1");
        assertThat(event.digit()).isEqualTo(DIGIT);
        assertThat(event.confidence()).isEqualTo(confidence);
        assertThat(event.probabilities()).hasSize(10);
        assertThat(event.modelVersion()).isEqualTo(MODEL_VERSION);
        assertThat(event.receivedAt()).isEqualTo(RECEIVED_AT);
        assertThat(event.classifiedAt()).isEqualTo(CLASSIFIED_AT);
        assertThat(event.label()).isNull();
        assertThat(event.correct()).isNull();
    }

    @Test
    void theJsonIsTheEventItCarries() {
        Predicted predicted = predicted(utf8("img-1"));

        assertThat(predicted.json()).isEqualTo(PredictionEvent.toJson(predicted.event()));
    }

    @Test
    void aLabelHeaderIsTheTruthThePredictionIsJudgedBy() {
        PredictionEvent event = predicted(ClassifierConfig.defaults(), utf8("img-1"),
                new RecordHeaders().add("label", utf8("5"))).event();

        assertThat(event.label()).isEqualTo(5);
        assertThat(event.correct()).isFalse();
    }

    @Test
    void aRecordWithoutAKeyIsNamedByItsTopicPartitionAndOffset() {
        assertThat(predicted(null).event().id()).isEqualTo(INPUT_TOPIC + "-2-41");
    }

    @Test
    void aConfidenceBelowTheThresholdIsForReview() {
        confidence = 0.49f;

        assertThat(predicted(threshold("0.5"), utf8("img-1"), new RecordHeaders()).forReview()).isTrue();
    }

    @Test
    void aConfidenceAtTheThresholdIsNotForReview() {
        confidence = 0.5f;

        assertThat(predicted(threshold("0.5"), utf8("img-1"), new RecordHeaders()).forReview()).isFalse();
    }

    @Test
    void aPredictionIsCountedByDigitAndModelVersion() {
        predicted(utf8("img-1"));

        assertThat(registry.get("digits.predictions").tags("digit", Integer.toString(DIGIT),
                "model_version", MODEL_VERSION).counter().count()).isEqualTo(1.0);
        assertThat(registry.get("digits.end.to.end.latency").timer().count()).isEqualTo(1);
    }

    @Test
    void anUndecodableRecordIsForwardedAsItsDeadLetter() {
        CapturedForward<? extends byte[], ? extends ClassificationOutcome> forward = onlyForward(utf8("k"),
                utf8("hello, digits"), new RecordHeaders().add("trace", utf8("abc")));

        Record<? extends byte[], ? extends ClassificationOutcome> dead = forward.record();
        assertThat(forward.childName()).isEmpty();
        assertThat(dead.key()).isEqualTo(utf8("k"));
        assertThat(dead.value()).isInstanceOf(DeadLettered.class);
        assertThat(((DeadLettered) dead.value()).value()).isEqualTo(utf8("hello, digits"));
        assertThat(dead.timestamp()).isEqualTo(RECEIVED_AT);
        assertThat(header(dead.headers(), "trace")).isEqualTo("abc");
        assertThat(header(dead.headers(), DeadLetter.REASON)).isEqualTo("not-an-image");
        assertThat(header(dead.headers(), DeadLetter.SOURCE_TOPIC)).isEqualTo(INPUT_TOPIC);
        assertThat(header(dead.headers(), DeadLetter.SOURCE_PARTITION)).isEqualTo("2");
        assertThat(header(dead.headers(), DeadLetter.SOURCE_OFFSET)).isEqualTo("41");
    }

    @Test
    void aKeyThatIsNoEventIdMakesABadIdDeadLetter() {
        Record<? extends byte[], ? extends ClassificationOutcome> dead = onlyForward(utf8("scan\u0007"), stroke(),
                new RecordHeaders()).record();

        assertThat(dead.value()).isInstanceOf(DeadLettered.class);
        assertThat(header(dead.headers(), DeadLetter.REASON)).isEqualTo(DeadLetter.BAD_ID);
    }

    @Test
    void aDeadLetterIsCountedByItsReasonAndNeverClassified() {
        onlyForward(utf8("k"), new byte[0], new RecordHeaders());

        assertThat(classifications).isZero();
        assertThat(registry.get("digits.invalid.events").tag("reason", "empty").counter().count()).isEqualTo(1.0);
        assertThat(registry.find("digits.predictions").counters()).isEmpty();
    }

    @Test
    void anImageScoredAboveTheModelsThresholdIsRejectedAsNotADigitAndSentToReview() {
        modelNotDigitThreshold = 2.0;
        oodScore = 2.5;

        Predicted predicted = predicted(utf8("img-1"));

        assertThat(predicted.event().accepted()).isFalse();
        assertThat(predicted.event().rejectReason()).isEqualTo("not-a-digit");
        assertThat(predicted.event().oodScore()).isEqualTo(2.5);
        // what the model would have answered, confidently: not a reason for review by itself
        assertThat(predicted.event().digit()).isEqualTo(DIGIT);
        assertThat(predicted.event().confidence()).isEqualTo(0.95f);
        assertThat(predicted.forReview()).isTrue();
        assertThat(predicted.json()).isEqualTo(PredictionEvent.toJson(predicted.event()));
        assertThat(registry.get("digits.rejected").tag("reason", "not-a-digit").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("digits.predictions").tags("digit", Integer.toString(DIGIT),
                "model_version", MODEL_VERSION).counter().count()).isEqualTo(1.0);
        assertThat(registry.get("digits.low.confidence").counter().count()).isZero();
    }

    @Test
    void anImageScoredAtTheThresholdIsAcceptedAsBefore() {
        modelNotDigitThreshold = 2.0;
        oodScore = 2.0;

        Predicted predicted = predicted(utf8("img-1"));

        assertThat(predicted.event().accepted()).isTrue();
        assertThat(predicted.event().rejectReason()).isNull();
        assertThat(predicted.event().oodScore()).isNull();
        assertThat(predicted.forReview()).isFalse();
        assertThat(registry.get("digits.rejected").tag("reason", "not-a-digit").counter().count()).isZero();
    }

    @Test
    void aModelWithoutAThresholdRejectsNothing() {
        oodScore = 1e9;

        assertThat(predicted(utf8("img-1")).event().accepted()).isTrue();
        assertThat(registry.get("digits.rejected").tag("reason", "not-a-digit").counter().count()).isZero();
    }

    @Test
    void theSettingOverridesTheModelsThresholdEitherWay() {
        modelNotDigitThreshold = 2.0;
        oodScore = 2.5;
        ClassifierConfig higher = notDigitThreshold("3");
        ClassifierConfig none = notDigitThreshold("none");

        assertThat(predicted(higher, utf8("a"), new RecordHeaders()).event().accepted()).isTrue();
        context.resetForwards();
        assertThat(predicted(none, utf8("b"), new RecordHeaders()).event().accepted()).isTrue();
        context.resetForwards();
        modelNotDigitThreshold = Double.NaN;
        assertThat(predicted(notDigitThreshold("-1.5"), utf8("c"), new RecordHeaders()).event().accepted()).isFalse();
    }

    @Test
    void aRejectedImageKeepsItsTruth() {
        modelNotDigitThreshold = 0;
        oodScore = 1;

        PredictionEvent event = predicted(ClassifierConfig.defaults(), utf8("img-1"),
                new RecordHeaders().add("label", utf8("3"))).event();

        assertThat(event.accepted()).isFalse();
        assertThat(event.label()).isEqualTo(3);
        assertThat(event.correct()).isTrue();
    }

    private static ClassifierConfig notDigitThreshold(String threshold) {
        return ClassifierConfig.defaults().with(ClassifierConfig.KEY_NOT_DIGIT_THRESHOLD, threshold);
    }

    private static ClassifierConfig threshold(String threshold) {
        return ClassifierConfig.defaults().with(ClassifierConfig.KEY_REVIEW_THRESHOLD, threshold);
    }
}
