package io.digitstream.classifier;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exception thrown while processing one record (a bug of ours, a model that fails on one image) makes that record
 * a dead letter with reason {@code internal-error}, and the stream goes on. The dead letter holds the source record
 * as it was read, when Kafka Streams still has it, else the record the failing step was given.
 */
public final class DeadLetterProcessingExceptionHandler implements ProcessingExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessingExceptionHandler.class);

    private DeadLetterHandlers handlers;

    @Override
    public void configure(Map<String, ?> configs) {
        handlers = DeadLetterHandlers.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        log.warn("Processing step {} failed on the record at {}-{}@{} ({}); it goes to the dead-letter topic as "
                        + "internal-error", context.processorNodeId(), context.topic(), context.partition(),
                context.offset(), exception.toString(), exception);
        byte[] key = context.sourceRawKey();
        byte[] value = context.sourceRawValue();
        if (key == null && value == null && record != null) {
            key = record.key() instanceof byte[] k ? k : null;
            value = record.value() instanceof byte[] v ? v : null;
        }
        return Response.resume(List.of(handlers.deadLetter(context, key, value,
                context.headers() == null ? new RecordHeaders() : context.headers(),
                "processing step " + context.processorNodeId() + " failed", exception)));
    }
}
