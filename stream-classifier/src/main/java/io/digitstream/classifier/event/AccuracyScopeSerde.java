package io.digitstream.classifier.event;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@link AccuracyScope} as the key of the partial accuracy stores: a tag byte ({@value #CUMULATIVE} cumulative,
 * {@value #WINDOWED} windowed), the window start as a big-endian long when windowed, then the model version in UTF-8.
 * A tag below any byte that starts JSON lets {@link AccuracyDeltaSerde} records share a topic with JSON ones.
 */
public final class AccuracyScopeSerde implements Serde<AccuracyScope> {

    static final byte CUMULATIVE = 0;
    static final byte WINDOWED = 1;

    @Override
    public Serializer<AccuracyScope> serializer() {
        return (topic, scope) -> scope == null ? null : write(scope, 0).array();
    }

    @Override
    public Deserializer<AccuracyScope> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(ByteBuffer.wrap(bytes), 0);
    }

    /** The scope's bytes, {@code before} bytes into a buffer that has room for them first. */
    static ByteBuffer write(AccuracyScope scope, int before) {
        byte[] version = scope.modelVersion().getBytes(StandardCharsets.UTF_8);
        int head = scope.isCumulative() ? 1 : 1 + Long.BYTES;
        ByteBuffer buffer = ByteBuffer.allocate(head + before + version.length);
        if (scope.isCumulative()) {
            buffer.put(CUMULATIVE);
        } else {
            buffer.put(WINDOWED).putLong(scope.windowStart());
        }
        return buffer.position(head + before).put(version).position(head);
    }

    /** Reads a scope written by {@link #write}, skipping the {@code before} bytes after its head. */
    static AccuracyScope read(ByteBuffer bytes, int before) {
        if (!bytes.hasRemaining()) {
            throw new SerializationException("not an accuracy scope: no bytes");
        }
        byte tag = bytes.get();
        Long windowStart;
        if (tag == CUMULATIVE) {
            windowStart = null;
        } else if (tag == WINDOWED && bytes.remaining() >= Long.BYTES) {
            windowStart = bytes.getLong();
        } else {
            throw new SerializationException("not an accuracy scope: tag " + tag + ", " + bytes.remaining()
                    + " bytes after it");
        }
        int head = bytes.position();
        if (bytes.remaining() < before) {
            throw new SerializationException("not an accuracy delta: " + bytes.remaining() + " bytes after the scope");
        }
        String version = new String(bytes.array(), head + before, bytes.limit() - head - before,
                StandardCharsets.UTF_8);
        return new AccuracyScope(version, windowStart);
    }
}
