package io.digitstream.classifier;

import io.digitstream.classifier.LabelOutcome.ValidLabel;
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
 * text. A good label goes on as a {@link ValidLabel} holding its digit, with its key and headers; the rest as a
 * {@link DeadLettered} with reason {@code bad-label} (or {@code bad-id}), within the record limit.
 * {@link ClassifierTopology} routes them. The key stays as it is: labels are keyed by id already (the topology still
 * repartitions them, for producers whose partitioner is not Java's).
 */
final class LabelProcessor implements Processor<byte[], byte[], byte[], LabelOutcome> {

    private final ClassifierMetrics metrics;
    private final int eventIdMaxBytes;
    private final int recordMaxBytes;
    private ProcessorContext<byte[], LabelOutcome> context;

    LabelProcessor(ClassifierConfig config, ClassifierMetrics metrics) {
        this.metrics = metrics;
        this.eventIdMaxBytes = config.eventIdMaxBytes();
        this.recordMaxBytes = config.recordMaxBytes();
    }

    @Override
    public void init(ProcessorContext<byte[], LabelOutcome> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.key() == null || record.key().length == 0) {
            deadLetter(record, DeadLetter.BAD_LABEL, "a label needs the event id as its key");
            return;
        }
        try {
            EventIds.fromKey(record.key(), eventIdMaxBytes);
        } catch (RejectedEventException e) {
            deadLetter(record, e.reason(), e.getMessage());
            return;
        }
        int digit = digit(record.value());
        if (digit < 0) {
            deadLetter(record, DeadLetter.BAD_LABEL, "a label must be one digit 0-9");
        } else {
            context.forward(record.withValue(new ValidLabel(digit)));
        }
    }

    private void deadLetter(Record<byte[], byte[]> record, String reason, String problem) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        context.forward(DeadLetterRecords.of(record, source, reason, problem, recordMaxBytes));
        metrics.recordInvalid(reason);
    }

    /** The digit a label's value holds, or -1. */
    private static int digit(byte[] value) {
        String text = value == null ? "" : new String(value, StandardCharsets.UTF_8).strip();
        return text.length() == 1 && text.charAt(0) >= '0' && text.charAt(0) <= '9' ? text.charAt(0) - '0' : -1;
    }
}
