package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.classifier.LabelOutcome.ValidLabel;
import io.digitstream.classifier.observe.ClassifierMetrics;
import io.digitstream.contract.DeadLetter;
import io.digitstream.contract.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The processor alone: what it forwards for one record of the labels topic, and what it counts. */
class LabelProcessorTest {

    private static final long SENT_AT = 1_690_000_000_000L;
    private static final String LABELS_TOPIC = Topics.LABELS;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ClassifierMetrics metrics = new ClassifierMetrics();
    private final MockProcessorContext<byte[], LabelOutcome> context = new MockProcessorContext<>();

    @BeforeEach
    void bindMetrics() {
        metrics.bindTo(registry);
    }

    @AfterEach
    void close() {
        registry.close();
    }

    private Record<? extends byte[], ? extends LabelOutcome> onlyForward(byte[] key, byte[] value, Headers headers) {
        LabelProcessor processor = new LabelProcessor(ClassifierConfig.defaults(), metrics);
        processor.init(context);
        context.setRecordMetadata(LABELS_TOPIC, 1, 17);
        processor.process(new Record<>(key, value, SENT_AT, headers));
        List<CapturedForward<? extends byte[], ? extends LabelOutcome>> forwarded = context.forwarded();
        assertThat(forwarded).hasSize(1);
        assertThat(forwarded.get(0).childName()).as("routing is the topology's").isEmpty();
        return forwarded.get(0).record();
    }

    private Record<? extends byte[], ? extends LabelOutcome> onlyForward(byte[] key, byte[] value) {
        return onlyForward(key, value, new RecordHeaders());
    }

    @Test
    void aDigitIsForwardedAsItsValueUnderItsKeyWithItsHeaders() {
        Record<? extends byte[], ? extends LabelOutcome> label = onlyForward(utf8("img-1"), utf8("7"),
                new RecordHeaders().add("trace", utf8("abc")));

        assertThat(label.value()).isEqualTo(new ValidLabel(7));
        assertThat(label.key()).isEqualTo(utf8("img-1"));
        assertThat(label.timestamp()).isEqualTo(SENT_AT);
        assertThat(header(label.headers(), "trace")).isEqualTo("abc");
    }

    @Test
    void whitespaceAroundTheDigitIsIgnored() {
        assertThat(onlyForward(utf8("img-1"), utf8(" 0\n")).value()).isEqualTo(new ValidLabel(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"seven", "10", "-1", "", "x", "\u0663"})
    void aValueThatIsNotOneDigitIsABadLabel(String value) {
        assertThat(reason(onlyForward(utf8("img-1"), utf8(value)))).isEqualTo(DeadLetter.BAD_LABEL);
    }

    @Test
    void aLabelWithoutAValueIsABadLabel() {
        assertThat(reason(onlyForward(utf8("img-1"), null))).isEqualTo(DeadLetter.BAD_LABEL);
    }

    @Test
    void aLabelWithoutAKeyIsABadLabel() {
        assertThat(reason(onlyForward(null, utf8("7")))).isEqualTo(DeadLetter.BAD_LABEL);
    }

    @Test
    void aLabelWithAnEmptyKeyIsABadLabel() {
        assertThat(reason(onlyForward(new byte[0], utf8("7")))).isEqualTo(DeadLetter.BAD_LABEL);
    }

    @Test
    void aKeyThatIsNoEventIdIsABadId() {
        assertThat(reason(onlyForward(utf8("scan\u0007"), utf8("7")))).isEqualTo(DeadLetter.BAD_ID);
    }

    @Test
    void aDeadLetterKeepsTheLabelAndSaysWhereItCameFrom() {
        Record<? extends byte[], ? extends LabelOutcome> dead = onlyForward(utf8("img-1"), utf8("seven"),
                new RecordHeaders().add("trace", utf8("abc")));

        assertThat(dead.value()).isInstanceOf(DeadLettered.class);
        assertThat(((DeadLettered) dead.value()).value()).isEqualTo(utf8("seven"));
        assertThat(dead.key()).isEqualTo(utf8("img-1"));
        assertThat(dead.timestamp()).isEqualTo(SENT_AT);
        assertThat(header(dead.headers(), "trace")).isEqualTo("abc");
        assertThat(header(dead.headers(), DeadLetter.MESSAGE)).isNotBlank();
        assertThat(header(dead.headers(), DeadLetter.SOURCE_TOPIC)).isEqualTo(LABELS_TOPIC);
        assertThat(header(dead.headers(), DeadLetter.SOURCE_PARTITION)).isEqualTo("1");
        assertThat(header(dead.headers(), DeadLetter.SOURCE_OFFSET)).isEqualTo("17");
    }

    @Test
    void aDeadLetterIsCountedByItsReason() {
        onlyForward(utf8("img-1"), utf8("seven"));

        assertThat(registry.get("digits.invalid.events").tag("reason", DeadLetter.BAD_LABEL).counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void aValidLabelIsNotCountedAsInvalid() {
        onlyForward(utf8("img-1"), utf8("7"));

        assertThat(registry.find("digits.invalid.events").counters()).isEmpty();
    }

    private static String reason(Record<? extends byte[], ? extends LabelOutcome> record) {
        assertThat(record.value()).isInstanceOf(DeadLettered.class);
        return header(record.headers(), DeadLetter.REASON);
    }

    private static String header(Headers headers, String key) {
        return headers.lastHeader(key) == null ? null
                : new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
