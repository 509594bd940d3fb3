package io.digitstream.classifier;

import io.digitstream.classifier.event.DeadLetter;
import io.digitstream.classifier.observe.ClassifierMetrics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Checks one record of the labels topic: a non-empty key (the event id) and a single digit as UTF-8 text. Good
 * labels go on unchanged to {@link ClassifierTopology#LABELS_VALID}, the rest to the DLQ as {@code bad-label}.
 * The key stays as it is: labels are keyed by id already (the topology still repartitions them, for producers whose
 * partitioner is not Java's).
 */
final class LabelProcessor implements FixedKeyProcessor<byte[], byte[], byte[]> {

    private final ClassifierMetrics metrics;
    private FixedKeyProcessorContext<byte[], byte[]> context;

    LabelProcessor(ClassifierMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        String problem = record.key() == null || record.key().length == 0 ? "a label needs the event id as its key"
                : digit(record.value()) < 0 ? "a label must be one digit 0-9" : null;
        if (problem == null) {
            context.forward(record, ClassifierTopology.LABELS_VALID);
        } else {
            context.forward(record.withHeaders(DeadLetterRecords.headers(record.headers(),
                    context.recordMetadata().orElseThrow(), DeadLetter.BAD_LABEL, problem)),
                    ClassifierTopology.LABELS_DLQ_SINK);
            metrics.recordInvalid(DeadLetter.BAD_LABEL);
        }
    }

    /** The digit a valid label value holds, or -1. */
    static int digit(byte[] value) {
        String text = value == null ? "" : new String(value, StandardCharsets.UTF_8).strip();
        return text.length() == 1 && text.charAt(0) >= '0' && text.charAt(0) <= '9' ? text.charAt(0) - '0' : -1;
    }
}
