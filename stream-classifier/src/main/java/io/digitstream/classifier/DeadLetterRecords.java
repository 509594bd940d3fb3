package io.digitstream.classifier;

import io.digitstream.contract.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Builds dead letters as {@link DeadLetter} describes them, for the processors and the exception handlers: the
 * original key, value and headers plus the reason and the source, never larger than the record limit. What does not
 * fit is kept as a truncated copy (value first, then key) and said so in headers, so a huge record cannot make its
 * own dead letter fail to send.
 */
final class DeadLetterRecords {

    /** Parser messages can quote the input; a header is no place for a copy of it. */
    static final int MAX_MESSAGE_CHARS = 500;
    /** Room for the batch framing and the record's own fields (the producer counts 61 + 21 bytes at most). */
    static final int RECORD_OVERHEAD = 128;
    /** A header's framing: two varint lengths. */
    static final int HEADER_OVERHEAD = 10;
    /** Most of the limit that the producer's original headers may take; the rest are left out and counted. */
    static final int MAX_ORIGINAL_HEADER_BYTES = 16 * 1024;
    /** A key is truncated only below this much, so that a dead letter keeps the start of its id. */
    static final int MIN_KEY_KEPT = 1024;

    /** The pieces of one dead letter, already within the limit. */
    record DeadLetterRecord(byte[] key, byte[] value, Headers headers) {
    }

    /** Where the record came from and why it is a dead letter. {@code exception} is null unless internal-error. */
    record Cause(String sourceTopic, int sourcePartition, long sourceOffset, String reason, String message,
                 String exception) {
    }

    private DeadLetterRecords() {
    }

    /** The dead letter of a rejected input record, within {@code maxRecordBytes}, as a processor forwards it. */
    static Record<byte[], DeadLettered> of(Record<byte[], byte[]> record, RecordMetadata source, String reason,
                                           String message, int maxRecordBytes) {
        DeadLetterRecord letter = bounded(record.key(), record.value(), record.headers(),
                new Cause(source.topic(), source.partition(), source.offset(), reason, message, null), maxRecordBytes);
        return new Record<>(letter.key(), new DeadLettered(letter.value()), record.timestamp(), letter.headers());
    }

    /** The {@code internal-error} dead letter of an input record that {@code exception} stopped {@code what} on. */
    static Record<byte[], DeadLettered> internalError(Record<byte[], byte[]> record, RecordMetadata source,
                                                      String what, Exception exception, int maxRecordBytes) {
        DeadLetterRecord letter = bounded(record.key(), record.value(), record.headers(),
                internalError(source.topic(), source.partition(), source.offset(), what, exception), maxRecordBytes);
        return new Record<>(letter.key(), new DeadLettered(letter.value()), record.timestamp(), letter.headers());
    }

    /** Why a record is an {@code internal-error} dead letter: {@code what} failed, with the exception's message. */
    static Cause internalError(String topic, int partition, long offset, String what, Exception exception) {
        String message = what + ": " + Objects.requireNonNullElse(exception.getMessage(), "(no message)");
        return new Cause(topic, partition, offset, DeadLetter.INTERNAL_ERROR, message, exception.getClass().getName());
    }

    /**
     * The original key, value and headers (none of them changed: copies are made), with the dead-letter headers
     * added, cut down to fit {@code maxRecordBytes} as the producer counts a record.
     */
    static DeadLetterRecord bounded(byte[] key, byte[] value, Headers original, Cause cause, int maxRecordBytes) {
        Headers headers = new RecordHeaders();
        add(headers, DeadLetter.REASON, cause.reason());
        add(headers, DeadLetter.MESSAGE, shorten(cause.message() == null ? cause.reason() : cause.message()));
        if (cause.exception() != null) {
            add(headers, DeadLetter.EXCEPTION, shorten(cause.exception()));
        }
        add(headers, DeadLetter.SOURCE_TOPIC, cause.sourceTopic() == null ? "" : cause.sourceTopic());
        add(headers, DeadLetter.SOURCE_PARTITION, Integer.toString(cause.sourcePartition()));
        add(headers, DeadLetter.SOURCE_OFFSET, Long.toString(cause.sourceOffset()));
        // the truncation headers are added at the end; this is their room
        int room = maxRecordBytes - RECORD_OVERHEAD - size(headers) - 4 * (HEADER_OVERHEAD + 24);

        int dropped = 0;
        int originalBudget = Math.max(0, Math.min(MAX_ORIGINAL_HEADER_BYTES, room / 4));
        int kept = 0;
        Headers copied = new RecordHeaders();
        for (Header h : original == null ? new Header[0] : original.toArray()) {
            if (isDeadLetterHeader(h.key())) {
                continue; // a dead letter sent again: the new reason replaces the old one
            }
            int hs = size(h);
            if (kept + hs <= originalBudget) {
                copied.add(h);
                kept += hs;
            } else {
                dropped++;
            }
        }
        room -= kept;

        int keyLength = key == null ? 0 : key.length;
        int valueLength = value == null ? 0 : value.length;
        byte[] keptKey = key;
        byte[] keptValue = value;
        if (keyLength + valueLength > room) {
            int keyRoom = Math.max(0, Math.min(keyLength, Math.max(Math.min(MIN_KEY_KEPT, room), room - valueLength)));
            int valueRoom = Math.max(0, Math.min(valueLength, room - keyRoom));
            if (keyRoom < keyLength) {
                keptKey = Arrays.copyOf(key, keyRoom);
                add(headers, DeadLetter.KEY_TRUNCATED, "true");
                add(headers, DeadLetter.KEY_SIZE, Integer.toString(keyLength));
            }
            if (valueRoom < valueLength) {
                keptValue = Arrays.copyOf(value, valueRoom);
                add(headers, DeadLetter.VALUE_TRUNCATED, "true");
                add(headers, DeadLetter.VALUE_SIZE, Integer.toString(valueLength));
            }
        }
        if (dropped > 0) {
            add(headers, DeadLetter.HEADERS_DROPPED, Integer.toString(dropped));
        }
        // the producer's headers first, as they came; ours after them
        for (Header h : headers) {
            copied.add(h);
        }
        return new DeadLetterRecord(keptKey, keptValue, copied);
    }

    /** An upper bound of the bytes the producer counts for a record with these parts. */
    static int serializedSize(byte[] key, byte[] value, Headers headers) {
        return RECORD_OVERHEAD + (key == null ? 0 : key.length) + (value == null ? 0 : value.length) + size(headers);
    }

    private static boolean isDeadLetterHeader(String key) {
        return key.startsWith("error.") || key.equals(DeadLetter.SOURCE_TOPIC)
                || key.equals(DeadLetter.SOURCE_PARTITION) || key.equals(DeadLetter.SOURCE_OFFSET);
    }

    private static int size(Headers headers) {
        int total = 0;
        for (Header h : headers) {
            total += size(h);
        }
        return total;
    }

    private static int size(Header h) {
        return HEADER_OVERHEAD + h.key().getBytes(StandardCharsets.UTF_8).length
                + (h.value() == null ? 0 : h.value().length);
    }

    private static void add(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String shorten(String message) {
        return message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS) + "...";
    }
}
