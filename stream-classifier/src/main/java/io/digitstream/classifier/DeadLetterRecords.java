package io.digitstream.classifier;

import io.digitstream.classifier.event.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Builds the dead letter of a rejected input record, as {@link DeadLetter} describes it, for every processor. */
final class DeadLetterRecords {

    /** Parser messages can quote the input; a header is no place for a copy of it. */
    private static final int MAX_MESSAGE_CHARS = 500;

    private DeadLetterRecords() {
    }

    /** The original key, value and timestamp with the reason and the source added to a copy of the headers. */
    static Record<byte[], byte[]> of(Record<byte[], byte[]> record, RecordMetadata source, String reason,
                                     String message) {
        return new Record<>(record.key(), record.value(), record.timestamp(),
                headers(record.headers(), source, reason, message));
    }

    /** A copy of {@code original} (it may be shared with other children of the source) with the dead-letter headers. */
    static Headers headers(Headers original, RecordMetadata source, String reason, String message) {
        Headers headers = new RecordHeaders(original.toArray());
        headers.remove(DeadLetter.REASON).add(DeadLetter.REASON, utf8(reason))
                .remove(DeadLetter.MESSAGE).add(DeadLetter.MESSAGE, utf8(shorten(message == null ? reason : message)))
                .remove(DeadLetter.SOURCE_TOPIC).add(DeadLetter.SOURCE_TOPIC, utf8(source.topic()))
                .remove(DeadLetter.SOURCE_PARTITION)
                .add(DeadLetter.SOURCE_PARTITION, utf8(Integer.toString(source.partition())))
                .remove(DeadLetter.SOURCE_OFFSET).add(DeadLetter.SOURCE_OFFSET, utf8(Long.toString(source.offset())));
        return headers;
    }

    private static String shorten(String message) {
        return message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS) + "...";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
