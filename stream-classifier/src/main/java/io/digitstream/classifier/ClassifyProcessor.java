package io.digitstream.classifier;

import io.digitstream.classifier.ClassificationOutcome.Predicted;
import io.digitstream.classifier.HeldRecord.Source;
import io.digitstream.classifier.ImageBatch.Held;
import io.digitstream.classifier.observe.ClassifierMetrics;
import io.digitstream.contract.DeadLetter;
import io.digitstream.contract.DigitShape;
import io.digitstream.contract.EventIds;
import io.digitstream.contract.ImageEvent;
import io.digitstream.contract.ImageEventDecoder;
import io.digitstream.contract.ImageHeaders;
import io.digitstream.contract.PredictionEvent;
import io.digitstream.contract.RejectedEventException;
import io.digitstream.core.image.DigitPreprocessor;
import io.digitstream.core.image.ImageRejectedException;
import io.digitstream.core.model.Prediction;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes and preprocesses each input record, classifies the images in batches, and forwards what came of each: a
 * {@link Predicted} under the input key (rejected as not-a-digit, and so for review, when its OOD score is above the
 * threshold), or, for an input error (an event id that breaks {@link EventIds}' rules included), a
 * {@link DeadLettered} with its reason; so every record that leaves here is bounded in size.
 * {@link ClassifierTopology} routes them.
 *
 * <p>A batch ({@link ImageBatch}) goes to the model when it holds {@code classify.batch.size} images or when a
 * wall-clock punctuation finds it waiting, every {@code classify.batch.linger.ms}: one model call for many images costs
 * less per image than one each. Input errors leave at once. When the model fails on a batch, each of its images is
 * classified alone, so one image that breaks the model becomes an {@code internal-error} dead letter with its source
 * record and the others are predicted. Anything else thrown here reaches {@link DeadLetterProcessingExceptionHandler}.
 */
final class ClassifyProcessor implements Processor<byte[], byte[], byte[], ClassificationOutcome> {

    private static final Logger log = LoggerFactory.getLogger(ClassifyProcessor.class);

    private final ClassifierConfig config;
    private final DigitClassifier classifier;
    private final ClassifierMetrics metrics;
    private final Clock clock;
    private final String batchStoreName;
    private final ImageEventDecoder decoder;
    private final DigitPreprocessor preprocessor;
    // read once: a setting's getter is a map lookup, and the profile charged reviewThreshold()'s 5% of the CPU
    private final int eventIdMaxBytes;
    private final double reviewThreshold;
    private final int recordMaxBytes;
    private final int batchSize;
    private ProcessorContext<byte[], ClassificationOutcome> context;
    private ImageBatch batch;
    // what a batch held when the task last committed without classifying it: classified before anything new
    private List<HeldRecord> restored = List.of();
    // the punctuation that classifies a partial batch; null while nothing is held
    private Cancellable linger;

    ClassifyProcessor(ClassifierConfig config, DigitClassifier classifier, ClassifierMetrics metrics, Clock clock,
                      String batchStoreName) {
        this.config = config;
        this.classifier = classifier;
        this.metrics = metrics;
        this.clock = clock;
        this.batchStoreName = batchStoreName;
        this.decoder = new ImageEventDecoder(config.maxJsonBytes());
        this.preprocessor = new DigitPreprocessor(config.imageLimits());
        this.eventIdMaxBytes = config.eventIdMaxBytes();
        this.reviewThreshold = config.reviewThreshold();
        this.recordMaxBytes = config.recordMaxBytes();
        this.batchSize = config.classifyBatchSize();
    }

    @Override
    public void init(ProcessorContext<byte[], ClassificationOutcome> context) {
        this.context = context;
        linger = null; // a task started again drops its punctuations; its held images come back from the store
        HeldRecordStore store = context.getStateStore(batchStoreName);
        // read even at batch size 1: an earlier run with larger batches may have left records here
        restored = store.restored();
        if (!restored.isEmpty()) {
            log.info("Classifying {} image(s) held in a batch when task {} last committed", restored.size(),
                    context.taskId());
        }
        batch = new ImageBatch(store, batchSize);
        if (!restored.isEmpty()) {
            startLinger();
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        takeRestored();
        hold(new HeldRecord(record, Source.of(context.recordMetadata().orElseThrow())));
    }

    /** What is held stays in the store, committed with the task's last commit, for the task's next owner. */
    @Override
    public void close() {
        if (linger != null) {
            linger.cancel();
            linger = null;
        }
    }

    private void takeRestored() {
        if (restored.isEmpty()) {
            return;
        }
        List<HeldRecord> records = restored;
        restored = List.of();
        // the store still holds them where they were; they are held again here (or dead-lettered) in this one call,
        // so no commit comes between
        batch.clear();
        records.forEach(this::hold);
    }

    /** Decodes and preprocesses a record into the batch, or dead-letters it; classifies the batch when it is due. */
    private void hold(HeldRecord input) {
        Record<byte[], byte[]> record = input.record();
        Source source = input.source();
        ImageEvent event;
        long started = System.nanoTime();
        try {
            // an empty key names nothing, so it gets the same stable fallback as a missing one
            String id = record.key() == null || record.key().length == 0
                    ? source.topic() + "-" + source.partition() + "-" + source.offset()
                    : EventIds.fromKey(record.key(), eventIdMaxBytes);
            event = decoder.decode(id, record.value(), lastValue(record.headers(), ImageHeaders.LABEL),
                    lastValue(record.headers(), ImageHeaders.CONTENT_TYPE));
            EventIds.check(event.id(), eventIdMaxBytes);
            // straight into the batch's next place: no array per image
            preprocessor.preprocess(event.image(), batch.pixels(), batch.nextOffset());
        } catch (RejectedEventException e) {
            deadLetter(input, e.reason(), e.getMessage());
            return;
        } catch (ImageRejectedException e) {
            deadLetter(input, e.reason().code(), e.getMessage());
            return;
        }
        if (batch.add(new Held(input, event, System.nanoTime() - started))) {
            classifyBatch();
        } else if (linger == null) {
            startLinger();
        }
    }

    /**
     * Classifies what is held once {@code classify.batch.linger.ms} has passed. The punctuation is scheduled only
     * while images wait, so an idle or fully loaded task does not run one every 2 ms for nothing (and Kafka Streams
     * marks a task that punctuated as needing a commit).
     */
    private void startLinger() {
        linger = context.schedule(config.classifyBatchLinger(), PunctuationType.WALL_CLOCK_TIME, now -> {
            takeRestored();
            classifyBatch();
        });
    }

    /** Classifies the held images in one model call, or one by one when that call fails, and empties the batch. */
    private void classifyBatch() {
        if (linger != null) {
            linger.cancel();
            linger = null;
        }
        int count = batch.size();
        if (count == 0) {
            return;
        }
        long started = System.nanoTime();
        List<Classification> classifications = null;
        try {
            classifications = classifier.classifyAll(batch.pixels(), count);
        } catch (RuntimeException e) {
            log.warn("The model failed on a batch of {} image(s); classifying them one by one", count, e);
        }
        long modelNanosPerImage = (System.nanoTime() - started) / count;
        metrics.recordBatch(count);
        try {
            for (int i = 0; i < count; i++) {
                Held image = batch.get(i);
                // each image gets its own outcome: an exception here (ours, or a downstream step's) is this image's
                // dead letter, not one for whichever record Kafka Streams is processing now
                try {
                    if (classifications != null) {
                        forwardPrediction(image, classifications.get(i), image.decodeNanos() + modelNanosPerImage);
                    } else {
                        classifyAlone(image, i);
                    }
                } catch (RuntimeException e) {
                    log.warn("Forwarding the prediction of the image at {}-{}@{} failed; it goes to the dead-letter "
                                    + "topic as internal-error", image.input().source().topic(),
                            image.input().source().partition(), image.input().source().offset(), e);
                    internalError(image, "forwarding its prediction failed", e);
                }
            }
        } finally {
            batch.clear();
        }
    }

    private void classifyAlone(Held image, int index) {
        long started = System.nanoTime();
        Classification classification;
        try {
            classification = classifier.classify(Arrays.copyOfRange(batch.pixels(), index * DigitShape.PIXELS,
                    (index + 1) * DigitShape.PIXELS));
        } catch (RuntimeException e) {
            internalError(image, "the model failed on this image", e);
            return;
        }
        forwardPrediction(image, classification, image.decodeNanos() + System.nanoTime() - started);
    }

    private void internalError(Held image, String what, RuntimeException e) {
        context.forward(DeadLetterRecords.internalError(image.input().record(), image.input().source(), what, e,
                recordMaxBytes));
        metrics.recordInvalid(DeadLetter.INTERNAL_ERROR);
    }

    private void forwardPrediction(Held image, Classification classification, long inferenceNanos) {
        Record<byte[], byte[]> record = image.input().record();
        ImageEvent event = image.event();
        Prediction p = classification.prediction();
        String modelVersion = classification.modelVersion();
        long classifiedAt = clock.millis();
        Integer label = event.label().isPresent() ? event.label().getAsInt() : null;
        PredictionEvent prediction = new PredictionEvent(event.id(), p.digit(), p.confidence(), p.probabilities(),
                modelVersion, label, label == null ? null : label == p.digit(), record.timestamp(),
                classifiedAt);
        // the threshold of the model that made this prediction, unless the operator set one
        boolean notADigit = p.rejectedAt(config.notDigitThreshold(classification.modelNotDigitThreshold()));
        if (notADigit) {
            prediction = prediction.rejected(PredictionEvent.NOT_A_DIGIT, p.oodScore());
        }
        boolean belowThreshold = p.confidence() < reviewThreshold;
        context.forward(new Record<>(record.key(),
                new Predicted(prediction, PredictionEvent.toJson(prediction), belowThreshold || notADigit,
                        image.input().source().partition()),
                record.timestamp(), new RecordHeaders()));
        // a record without a timestamp (negative) has no end-to-end latency to report
        long endToEndMillis = record.timestamp() < 0 ? -1 : Math.max(0, classifiedAt - record.timestamp());
        metrics.recordPrediction(p.digit(), modelVersion, belowThreshold, inferenceNanos, endToEndMillis);
        if (notADigit) {
            metrics.recordRejected(PredictionEvent.NOT_A_DIGIT);
        }
    }

    private void deadLetter(HeldRecord input, String reason, String message) {
        context.forward(DeadLetterRecords.of(input.record(), input.source(), reason, message, recordMaxBytes));
        metrics.recordInvalid(reason);
    }

    private static byte[] lastValue(Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null ? null : h.value();
    }
}
