package io.digitstream.classifier;

import io.digitstream.classifier.ClassificationOutcome.Predicted;
import io.digitstream.classifier.observe.ClassifierMetrics;
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
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Decodes, preprocesses and classifies one input record and forwards what came of it: a {@link Predicted} under the
 * input key (rejected as not-a-digit, and so for review, when its OOD score is above the threshold), or, for an input error (an event id that breaks {@link EventIds}' rules included), a {@link DeadLettered}
 * with its reason; so every record that leaves here is bounded in size. {@link ClassifierTopology} routes them.
 * Anything else thrown here reaches {@link DeadLetterProcessingExceptionHandler}.
 */
final class ClassifyProcessor implements Processor<byte[], byte[], byte[], ClassificationOutcome> {

    private final ClassifierConfig config;
    private final DigitClassifier classifier;
    private final ClassifierMetrics metrics;
    private final Clock clock;
    private final ImageEventDecoder decoder;
    private final DigitPreprocessor preprocessor;
    // read once: a setting's getter is a map lookup, and the profile charged reviewThreshold()'s 5% of the CPU
    private final int eventIdMaxBytes;
    private final double reviewThreshold;
    private final int recordMaxBytes;
    private ProcessorContext<byte[], ClassificationOutcome> context;

    ClassifyProcessor(ClassifierConfig config, DigitClassifier classifier, ClassifierMetrics metrics, Clock clock) {
        this.config = config;
        this.classifier = classifier;
        this.metrics = metrics;
        this.clock = clock;
        this.decoder = new ImageEventDecoder(config.maxJsonBytes());
        this.preprocessor = new DigitPreprocessor(config.imageLimits());
        this.eventIdMaxBytes = config.eventIdMaxBytes();
        this.reviewThreshold = config.reviewThreshold();
        this.recordMaxBytes = config.recordMaxBytes();
    }

    @Override
    public void init(ProcessorContext<byte[], ClassificationOutcome> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        ImageEvent event;
        float[] pixels;
        long started = System.nanoTime();
        try {
            // an empty key names nothing, so it gets the same stable fallback as a missing one
            String id = record.key() == null || record.key().length == 0
                    ? source.topic() + "-" + source.partition() + "-" + source.offset()
                    : EventIds.fromKey(record.key(), eventIdMaxBytes);
            event = decoder.decode(id, record.value(), lastValue(record.headers(), ImageHeaders.LABEL),
                    lastValue(record.headers(), ImageHeaders.CONTENT_TYPE));
            EventIds.check(event.id(), eventIdMaxBytes);
            pixels = preprocessor.preprocess(event.image());
        } catch (RejectedEventException e) {
            deadLetter(record, source, e.reason(), e.getMessage());
            return;
        } catch (ImageRejectedException e) {
            deadLetter(record, source, e.reason().code(), e.getMessage());
            return;
        }
        Classification classification = classifier.classify(pixels);
        Prediction p = classification.prediction();
        String modelVersion = classification.modelVersion();
        long inferenceNanos = System.nanoTime() - started;
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
                new Predicted(prediction, PredictionEvent.toJson(prediction), belowThreshold || notADigit),
                record.timestamp(), new RecordHeaders()));
        // a record without a timestamp (negative) has no end-to-end latency to report
        long endToEndMillis = record.timestamp() < 0 ? -1 : Math.max(0, classifiedAt - record.timestamp());
        metrics.recordPrediction(p.digit(), modelVersion, belowThreshold, inferenceNanos,
                endToEndMillis);
        if (notADigit) {
            metrics.recordRejected(PredictionEvent.NOT_A_DIGIT);
        }
    }

    private void deadLetter(Record<byte[], byte[]> record, RecordMetadata source, String reason, String message) {
        context.forward(DeadLetterRecords.of(record, source, reason, message, recordMaxBytes));
        metrics.recordInvalid(reason);
    }

    private static byte[] lastValue(Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null ? null : h.value();
    }
}
