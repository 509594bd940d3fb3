package io.digitstream.classifier;

import static io.digitstream.classifier.ProcessorTestSupport.header;
import static io.digitstream.classifier.ProcessorTestSupport.stroke;
import static io.digitstream.classifier.ProcessorTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.classifier.ClassificationOutcome.Predicted;
import io.digitstream.classifier.observe.ClassifierMetrics;
import io.digitstream.contract.DeadLetter;
import io.digitstream.contract.Topics;
import io.digitstream.core.model.Prediction;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How {@link ClassifyProcessor} holds images for one model call, and what it does when the model or the task fails. */
class ClassifyProcessorBatchTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    private static final int PARTITION = 2;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ClassifierMetrics metrics = new ClassifierMetrics();
    private final MockProcessorContext<byte[], ClassificationOutcome> context = new MockProcessorContext<>();
    private final CountingModel model = new CountingModel();
    private HeldRecordStore store;
    private ClassifyProcessor processor;

    @BeforeEach
    void setUp() {
        metrics.bindTo(registry);
        store = ProcessorTestSupport.addBatchStore(context);
        processor = start(3);
    }

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void imagesWaitForAFullBatchAndGoToTheModelInOneCall() {
        process("a", 10);
        process("b", 11);

        assertThat(context.forwarded()).isEmpty();
        assertThat(store.size()).as("held images are in the store").isEqualTo(2);

        process("c", 12);

        assertThat(keys()).containsExactly("a", "b", "c");
        assertThat(model.batches).containsExactly(3);
        assertThat(store.size()).as("classified images leave the store").isZero();
        assertThat(registry.get("digits.model.batch.images").summary().totalAmount()).isEqualTo(3);
    }

    @Test
    void theLingerClassifiesAPartialBatchAndRunsOnlyWhileImagesWait() {
        assertThat(ProcessorTestSupport.lingerScheduled(context)).as("nothing waits").isFalse();
        process("a", 10);
        assertThat(ProcessorTestSupport.lingerScheduled(context)).isTrue();

        ProcessorTestSupport.lingerPassed(context, NOW);

        assertThat(keys()).containsExactly("a");
        assertThat(model.batches).containsExactly(1);
        assertThat(store.size()).isZero();
        assertThat(ProcessorTestSupport.lingerScheduled(context)).as("cancelled once the batch is empty").isFalse();
    }

    @Test
    void aFullBatchCancelsItsLinger() {
        process("a", 10);
        process("b", 11);
        process("c", 12);

        assertThat(model.batches).containsExactly(3);
        assertThat(ProcessorTestSupport.lingerScheduled(context)).isFalse();
    }

    @Test
    void anInputErrorLeavesAtOnceWhileImagesWait() {
        process("a", 10);
        context.setRecordMetadata(Topics.IMAGES, PARTITION, 11);
        processor.process(new Record<>(utf8("b"), new byte[] {1, 2, 3}, NOW, new RecordHeaders()));

        assertThat(context.forwarded()).hasSize(1);
        assertThat(context.forwarded().get(0).record().value()).isInstanceOf(DeadLettered.class);
        assertThat(header(context.forwarded().get(0).record().headers(), DeadLetter.SOURCE_OFFSET)).isEqualTo("11");
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void whenTheModelFailsOnABatchOnlyTheImageItFailsOnIsADeadLetterWithItsSource() {
        model.batchFails = true;
        model.failingCall = 2;
        Headers trace = new RecordHeaders().add("trace", utf8("t-11"));

        process("a", 10);
        context.setRecordMetadata(Topics.IMAGES, PARTITION, 11);
        processor.process(new Record<>(utf8("b"), stroke(), NOW - 5, trace));
        process("c", 12);

        List<CapturedForward<? extends byte[], ? extends ClassificationOutcome>> out = context.forwarded();
        assertThat(keys()).containsExactly("a", "b", "c");
        assertThat(out.get(0).record().value()).isInstanceOf(Predicted.class);
        assertThat(out.get(2).record().value()).isInstanceOf(Predicted.class);
        Record<? extends byte[], ? extends ClassificationOutcome> letter = out.get(1).record();
        assertThat(letter.value()).isInstanceOf(DeadLettered.class);
        assertThat(((DeadLettered) letter.value()).value()).as("the source record's value").isEqualTo(stroke());
        assertThat(letter.timestamp()).isEqualTo(NOW - 5);
        assertThat(header(letter.headers(), "trace")).isEqualTo("t-11");
        assertThat(header(letter.headers(), DeadLetter.REASON)).isEqualTo(DeadLetter.INTERNAL_ERROR);
        assertThat(header(letter.headers(), DeadLetter.SOURCE_TOPIC)).isEqualTo(Topics.IMAGES);
        assertThat(header(letter.headers(), DeadLetter.SOURCE_PARTITION)).isEqualTo(Integer.toString(PARTITION));
        assertThat(header(letter.headers(), DeadLetter.SOURCE_OFFSET)).isEqualTo("11");
        assertThat(header(letter.headers(), DeadLetter.MESSAGE)).contains("the model failed on this image");
        assertThat(header(letter.headers(), DeadLetter.EXCEPTION)).isEqualTo(IllegalStateException.class.getName());
        assertThat(registry.get("digits.invalid.events").tag("reason", DeadLetter.INTERNAL_ERROR).counter().count())
                .isEqualTo(1);
        assertThat(store.size()).isZero();
    }

    @Test
    void aFailureAfterTheModelMakesThatImageADeadLetterAndTheBatchIsNotClassifiedAgain() {
        // the clock stamps classifiedAt once per prediction: it fails on the second
        int[] stamps = {0};
        Clock failingOnSecond = new Clock() {
            @Override
            public long millis() {
                if (++stamps[0] == 2) {
                    throw new IllegalStateException("no time for this one");
                }
                return NOW;
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(millis());
            }
        };
        ClassifyProcessor failing = new ClassifyProcessor(ClassifierConfig.defaults()
                .with(ClassifierConfig.KEY_CLASSIFY_BATCH_SIZE, "3"), model, metrics, failingOnSecond,
                ClassifierTopology.CLASSIFY_BATCH_STORE);
        failing.init(context);
        processor = failing;

        process("a", 10);
        process("b", 11);
        process("c", 12);
        ProcessorTestSupport.lingerPassed(context, NOW);

        List<CapturedForward<? extends byte[], ? extends ClassificationOutcome>> out = context.forwarded();
        assertThat(keys()).containsExactly("a", "b", "c");
        assertThat(out.get(1).record().value()).isInstanceOf(DeadLettered.class);
        assertThat(header(out.get(1).record().headers(), DeadLetter.SOURCE_OFFSET)).isEqualTo("11");
        assertThat(header(out.get(1).record().headers(), DeadLetter.MESSAGE))
                .contains("forwarding its prediction failed");
        assertThat(out.get(2).record().value()).isInstanceOf(Predicted.class);
        assertThat(model.batches).as("one model call, not repeated").containsExactly(3);
        assertThat(store.size()).isZero();
    }

    @Test
    void whatABatchHeldWhenItsTaskStoppedIsClassifiedFirstByTheNextProcessor() {
        Headers trace = new RecordHeaders().add("trace", utf8("t-10"));
        context.setRecordMetadata(Topics.IMAGES, PARTITION, 10);
        processor.process(new Record<>(utf8("a"), stroke(), NOW - 7, trace));
        process("b", 11);
        assertThat(context.forwarded()).isEmpty();

        // the task commits without classifying, then stops (a crash, a rebalance): a new processor gets its store
        store.flushCache();
        processor.close();
        store.clearCache();
        ClassifyProcessor next = start(3);
        processor = next;
        process("c", 12);

        assertThat(keys()).containsExactly("a", "b", "c");
        Record<? extends byte[], ? extends ClassificationOutcome> first = context.forwarded().get(0).record();
        assertThat(first.timestamp()).isEqualTo(NOW - 7);
        assertThat(((Predicted) first.value()).event().receivedAt()).isEqualTo(NOW - 7);
        assertThat(model.batches).containsExactly(3);
        assertThat(store.size()).isZero();
        assertThat(restoredAfterACommitAndACrash()).as("classified once: gone from the store at the next commit")
                .isEmpty();
    }

    @Test
    void imagesHeldButNeverCommittedAreNotReadBack() {
        process("a", 10);
        assertThat(store.size()).isEqualTo(1);

        // a crash before the next commit: the input offset of "a" was not committed either, so the input gives it again
        store.clearCache();

        assertThat(store.restored()).isEmpty();
    }

    @Test
    void aProcessorWithBatchesOfOneStillClassifiesWhatALargerBatchHeld() {
        process("a", 10);
        process("b", 11);
        store.flushCache();

        processor.close();
        store.clearCache();
        processor = start(1);
        ProcessorTestSupport.lingerPassed(context, NOW);

        assertThat(keys()).containsExactly("a", "b");
        assertThat(model.batches).containsExactly(1, 1);
        assertThat(restoredAfterACommitAndACrash()).isEmpty();
    }

    @Test
    void aRecordTooLargeToHoldGoesToTheModelAtOnceWithThoseBeforeIt() {
        process("a", 10);
        byte[] large = new byte[ImageBatch.MAX_RECORD_BYTES + 1];
        context.setRecordMetadata(Topics.IMAGES, PARTITION, 11);
        processor.process(new Record<>(utf8("b"), stroke(), NOW, new RecordHeaders().add("large", large)));

        assertThat(keys()).containsExactly("a", "b");
        assertThat(model.batches).containsExactly(2);
        assertThat(store.size()).isZero();
    }

    private ClassifyProcessor start(int batchSize) {
        ClassifierConfig config = ClassifierConfig.defaults()
                .with(ClassifierConfig.KEY_CLASSIFY_BATCH_SIZE, Integer.toString(batchSize));
        ClassifyProcessor started = new ClassifyProcessor(config, model, metrics, CLOCK,
                ClassifierTopology.CLASSIFY_BATCH_STORE);
        started.init(context);
        return started;
    }

    private void process(String key, long offset) {
        context.setRecordMetadata(Topics.IMAGES, PARTITION, offset);
        processor.process(new Record<>(utf8(key), stroke(), NOW, new RecordHeaders()));
    }

    /** What the task's next owner would read back after a commit now and a crash. */
    private List<HeldRecord> restoredAfterACommitAndACrash() {
        store.flushCache();
        store.clearCache();
        return store.restored();
    }

    private List<String> keys() {
        return context.forwarded().stream().map(f -> new String(f.record().key(), StandardCharsets.UTF_8)).toList();
    }

    /** Answers 3 with confidence 0.9; counts its batches; can fail on every batch and on one image's call. */
    private static final class CountingModel implements DigitClassifier {

        final List<Integer> batches = new ArrayList<>();
        boolean batchFails;
        int failingCall = -1;
        int calls;

        @Override
        public Classification classify(float[] pixels) {
            calls++;
            if (calls == failingCall) {
                throw new IllegalStateException("this image breaks the model");
            }
            float[] probabilities = new float[10];
            Arrays.fill(probabilities, 0.1f / 9);
            probabilities[3] = 0.9f;
            return new Classification(new Prediction(3, 0.9f, probabilities, -10), "test-v1", Double.NaN);
        }

        @Override
        public List<Classification> classifyAll(float[] pixels, int count) {
            if (batchFails) {
                throw new IllegalStateException("a batch breaks the model");
            }
            batches.add(count);
            return DigitClassifier.super.classifyAll(pixels, count);
        }
    }
}
