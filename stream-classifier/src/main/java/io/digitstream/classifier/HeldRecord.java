package io.digitstream.classifier;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * An input record as {@link ClassifyProcessor} holds it for a batch: the record as read (key, value, headers,
 * timestamp) and where it was read from, which its dead letter names. {@link #toBytes} and {@link #fromBytes} are its
 * form in the batch's state store, so a restart after a crash classifies it from there.
 */
record HeldRecord(Record<byte[], byte[]> record, Source source) {

    private static final byte FORMAT = 1;
    private static final int ABSENT = -1;

    /** The input position of a held record: what the processor context's {@code recordMetadata()} said when it was read. */
    record Source(String topic, int partition, long offset) implements RecordMetadata {

        static Source of(RecordMetadata metadata) {
            return new Source(metadata.topic(), metadata.partition(), metadata.offset());
        }
    }

    /** The bytes this record takes in memory and in the store, near enough to bound a batch by. */
    int size() {
        int size = length(record.key()) + length(record.value());
        for (Header h : record.headers()) {
            size += h.key().length() + length(h.value());
        }
        return size;
    }

    byte[] toBytes() {
        byte[] topic = source.topic() == null ? null : source.topic().getBytes(StandardCharsets.UTF_8);
        Header[] headers = record.headers().toArray();
        int size = 1 + Long.BYTES + Integer.BYTES + Long.BYTES + field(topic) + field(record.key())
                + field(record.value()) + Integer.BYTES;
        for (Header h : headers) {
            size += field(h.key().getBytes(StandardCharsets.UTF_8)) + field(h.value());
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(FORMAT).putLong(record.timestamp()).putInt(source.partition()).putLong(source.offset());
        put(out, topic);
        put(out, record.key());
        put(out, record.value());
        out.putInt(headers.length);
        for (Header h : headers) {
            put(out, h.key().getBytes(StandardCharsets.UTF_8));
            put(out, h.value());
        }
        return out.array();
    }

    /** @throws IllegalStateException when {@code bytes} are not a held record that {@link #toBytes} wrote */
    static HeldRecord fromBytes(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte format = in.get();
            if (format != FORMAT) {
                throw new IllegalStateException("a held record of format " + format + "; this version reads "
                        + FORMAT);
            }
            long timestamp = in.getLong();
            int partition = in.getInt();
            long offset = in.getLong();
            byte[] topic = get(in);
            byte[] key = get(in);
            byte[] value = get(in);
            int headerCount = in.getInt();
            // each header takes at least two lengths, so a count beyond the bytes left is damage, not a size to trust
            if (headerCount < 0 || headerCount > in.remaining() / (2 * Integer.BYTES)) {
                throw new IllegalStateException("a held record with " + headerCount + " headers in "
                        + in.remaining() + " bytes");
            }
            Headers headers = new RecordHeaders();
            for (int i = 0; i < headerCount; i++) {
                byte[] headerKey = get(in);
                headers.add(headerKey == null ? "" : new String(headerKey, StandardCharsets.UTF_8), get(in));
            }
            if (in.hasRemaining()) {
                throw new IllegalStateException("a held record with " + in.remaining() + " bytes too many");
            }
            return new HeldRecord(new Record<>(key, value, timestamp, headers), new Source(
                    topic == null ? null : new String(topic, StandardCharsets.UTF_8), partition, offset));
        } catch (BufferUnderflowException e) {
            throw new IllegalStateException("a held record cut short at " + bytes.length + " bytes", e);
        }
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static int field(byte[] bytes) {
        return Integer.BYTES + length(bytes);
    }

    private static void put(ByteBuffer out, byte[] bytes) {
        out.putInt(bytes == null ? ABSENT : bytes.length);
        if (bytes != null) {
            out.put(bytes);
        }
    }

    private static byte[] get(ByteBuffer in) {
        int length = in.getInt();
        if (length == ABSENT) {
            return null;
        }
        if (length < 0 || length > in.remaining()) {
            throw new IllegalStateException("a held record's field of " + length + " bytes in " + in.remaining());
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}
