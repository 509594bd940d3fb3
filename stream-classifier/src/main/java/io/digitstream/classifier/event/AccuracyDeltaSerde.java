package io.digitstream.classifier.event;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@link AccuracyDelta} on the accuracy's internal topics: the scope's head as {@link AccuracyScopeSerde} writes it (a
 * tag byte, the window start when windowed), the counts with their rejected count (matrix and rejected always,
 * {@link #COUNTS_BYTES}), then the model version in UTF-8. Its first byte is 0 or 1, which no JSON text starts with,
 * so {@link #isDelta} tells a delta from a prediction's JSON on a topic that carries both.
 */
public final class AccuracyDeltaSerde implements Serde<AccuracyDelta> {

    static final int COUNTS_BYTES = AccuracyCountsSerde.WITH_REJECTED_BYTES;

    private final AccuracyCountsSerde counts = new AccuracyCountsSerde();

    /** Whether {@code value} is a delta rather than JSON (which starts with '{', or whitespace, never 0 or 1). */
    public static boolean isDelta(byte[] value) {
        return value != null && value.length > 0
                && (value[0] == AccuracyScopeSerde.CUMULATIVE || value[0] == AccuracyScopeSerde.WINDOWED);
    }

    @Override
    public Serializer<AccuracyDelta> serializer() {
        Serializer<AccuracyCounts> countsWriter = counts.serializer();
        return (topic, delta) -> {
            if (delta == null) {
                return null;
            }
            byte[] written = countsWriter.serialize(topic, delta.counts());
            // the counts serde leaves a zero rejected count out; here the layout is fixed, so it is always there
            byte[] full = Arrays.copyOf(written, COUNTS_BYTES);
            return AccuracyScopeSerde.write(delta.scope(), COUNTS_BYTES).put(full).array();
        };
    }

    @Override
    public Deserializer<AccuracyDelta> deserializer() {
        Deserializer<AccuracyCounts> countsReader = counts.deserializer();
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            AccuracyScope scope = AccuracyScopeSerde.read(buffer, COUNTS_BYTES);
            if (bytes.length - buffer.position() < COUNTS_BYTES) {
                throw new SerializationException("not an accuracy delta: " + bytes.length + " bytes");
            }
            byte[] countBytes = Arrays.copyOfRange(bytes, buffer.position(), buffer.position() + COUNTS_BYTES);
            return new AccuracyDelta(scope, countsReader.deserialize(topic, countBytes));
        };
    }
}
