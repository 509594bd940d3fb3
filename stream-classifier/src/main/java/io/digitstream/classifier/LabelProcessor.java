package io.digitstream.classifier;

import io.digitstream.classifier.event.DeadLetter;
import io.digitstream.classifier.event.EventIds;
import io.digitstream.classifier.event.RejectedEventException;
import io.digitstream.classifier.observe.ClassifierMetrics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Checks one record of the labels topic: a key that is a valid event id ({@link EventIds}) and a single digit as UTF-8
 * text. Good labels go on unchanged to {@link ClassifierTopology#LABELS_VALID}, the rest to the DLQ as
 * {@code bad-label} (or {@code bad-id}), within the record limit. The key stays as it is: labels are keyed by id
 * already (the topology still repartitions them, for producers whose partitioner is not Java's).
 */
final class LabelProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    private final ClassifierMetrics metrics;
    private final int eventIdMaxBytes;
    private final int recordMaxBytes;
    private ProcessorContext<byte[], byte[]> context;

    LabelProcessor(ClassifierConfig config, ClassifierMetrics metrics) {
        this.metrics = metrics;
        this.eventIdMaxBytes = config.eventIdMaxBytes();
        this.recordMaxBytes = config.recordMaxBytes();
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String reason = DeadLetter.BAD_LABEL;
        String problem = null;
        if (record.key() == null || record.key().length == 0) {
            problem = "a label needs the event id as its key";
        } else {
            try {
                EventIds.fromKey(record.key(), eventIdMaxBytes);
                problem = digit(record.value()) < 0 ? "a label must be one digit 0-9" : null;
            } catch (RejectedEventException e) {
                reason = e.reason();
                problem = e.getMessage();
            }
        }
        if (problem == null) {
            context.forward(record, ClassifierTopology.LABELS_VALID);
        } else {
            RecordMetadata source = context.recordMetadata().orElseThrow();
            context.forward(DeadLetterRecords.of(record, source, reason, problem, recordMaxBytes),
                    ClassifierTopology.LABELS_DLQ_SINK);
            metrics.recordInvalid(reason);
        }
    }

    /** The digit a valid label value holds, or -1. */
    static int digit(byte[] value) {
        String text = value == null ? "" : new String(value, StandardCharsets.UTF_8).strip();
        return text.length() == 1 && text.charAt(0) >= '0' && text.charAt(0) <= '9' ? text.charAt(0) - '0' : -1;
    }
}
