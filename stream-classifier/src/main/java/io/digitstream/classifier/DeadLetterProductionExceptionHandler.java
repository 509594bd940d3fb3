package io.digitstream.classifier;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that cannot be serialized, or that the producer or the broker refuses as such (too large, invalid), becomes
 * a dead letter with reason {@code internal-error} holding (a bounded copy of) that output record, and the stream goes
 * on. A retriable error (a topic missing for a while, a broker gone) makes the task start again from its last commit.
 * Any other send error (authorization, fencing) is not about one record: it fails the stream thread, and
 * {@link StreamThreadFailureHandler} decides what follows.
 *
 * <p>Under exactly-once a producer that refused a record aborts its transaction anyway, so the task starts again from
 * its last commit and meets the same record: that is why the processors bound every record before they send it, and
 * this handler is the second line, not the first.
 */
public final class DeadLetterProductionExceptionHandler implements ProductionExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterProductionExceptionHandler.class);

    private DeadLetterHandlers handlers;

    @Override
    public void configure(Map<String, ?> configs) {
        handlers = DeadLetterHandlers.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                Exception exception) {
        if (exception instanceof RetriableException) {
            // a topic missing for a while, a broker gone: the task starts again from its last commit, nothing lost
            log.warn("Could not write to {} for now ({}); the task retries from its last commit", record.topic(),
                    exception.toString());
            return Response.retry();
        }
        if (!(exception instanceof RecordTooLargeException || exception instanceof RecordBatchTooLargeException
                || exception instanceof InvalidRecordException)) {
            return Response.fail();
        }
        log.warn("Could not write a record to {} for the input at {}-{}@{} ({}); it goes to the dead-letter topic as "
                + "internal-error", record.topic(), context.topic(), context.partition(), context.offset(),
                exception.toString());
        return Response.resume(List.of(handlers.deadLetter(context, record.key(), record.value(), record.headers(),
                "could not write to " + record.topic(), exception)));
    }

    @Override
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        log.warn("Could not serialize the {} of a record for {} from the input at {}-{}@{} ({}); the input goes to the "
                + "dead-letter topic as internal-error", origin, record.topic(), context.topic(), context.partition(),
                context.offset(), exception.toString());
        return Response.resume(List.of(handlers.deadLetter(context, context.sourceRawKey(), context.sourceRawValue(),
                context.headers(), "could not serialize the " + origin.toString().toLowerCase() + " for "
                        + record.topic(), exception)));
    }
}
