package io.digitstream.classifier;

import io.digitstream.classifier.DeadLetterRecords.DeadLetterRecord;
import io.digitstream.classifier.observe.ClassifierMetrics;
import io.digitstream.contract.DeadLetter;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * What {@link DeadLetterProcessingExceptionHandler} and {@link DeadLetterProductionExceptionHandler} share: their
 * settings, which Kafka Streams hands them through its own configuration (it creates them by class name), and the
 * dead letter of a record that failed.
 */
final class DeadLetterHandlers {

    static final String DLQ_TOPIC = "digits.handler.dlq.topic";
    static final String RECORD_MAX_BYTES = "digits.handler.record.max.bytes";
    static final String METRICS = "digits.handler.metrics";

    private final String dlqTopic;
    private final int recordMaxBytes;
    private final ClassifierMetrics metrics;

    private DeadLetterHandlers(String dlqTopic, int recordMaxBytes, ClassifierMetrics metrics) {
        this.dlqTopic = dlqTopic;
        this.recordMaxBytes = recordMaxBytes;
        this.metrics = metrics;
    }

    /** Adds both handlers and what they need to Kafka Streams' properties. */
    static void install(Properties streams, ClassifierConfig config, ClassifierMetrics metrics) {
        streams.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterProcessingExceptionHandler.class.getName());
        streams.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterProductionExceptionHandler.class.getName());
        streams.put(DLQ_TOPIC, config.dlqTopic());
        streams.put(RECORD_MAX_BYTES, config.recordMaxBytes());
        streams.put(METRICS, metrics);
    }

    /** Reads what {@link #install} put there; fails clearly when a handler was configured some other way. */
    static DeadLetterHandlers from(Map<String, ?> configs) {
        Object topic = configs.get(DLQ_TOPIC);
        Object max = configs.get(RECORD_MAX_BYTES);
        if (!(topic instanceof String) || !(max instanceof Integer)) {
            throw new IllegalStateException("the dead-letter exception handlers need " + DLQ_TOPIC + " and "
                    + RECORD_MAX_BYTES + "; install them with DeadLetterHandlers.install");
        }
        Object metrics = configs.get(METRICS);
        return new DeadLetterHandlers((String) topic, (Integer) max,
                metrics instanceof ClassifierMetrics m ? m : null);
    }

    /** The {@code internal-error} dead letter of a record, with the exception's class and message. */
    ProducerRecord<byte[], byte[]> deadLetter(ErrorHandlerContext context, byte[] key, byte[] value, Headers headers,
                                              String what, Exception exception) {
        DeadLetterRecord letter = DeadLetterRecords.bounded(key, value, headers, DeadLetterRecords.internalError(
                context.topic(), context.partition(), context.offset(), what, exception), recordMaxBytes);
        if (metrics != null) {
            metrics.recordInvalid(DeadLetter.INTERNAL_ERROR);
        }
        // a record without a timestamp (negative) gets the send time, as the producer would give it
        Long timestamp = context.timestamp() < 0 ? null : context.timestamp();
        return new ProducerRecord<>(dlqTopic, null, timestamp, letter.key(), letter.value(), letter.headers());
    }
}
