package io.digitstream.classifier.event;

import io.digitstream.contract.ConfusionMatrix;
import io.digitstream.contract.DigitShape;
import java.nio.ByteBuffer;
import java.nio.LongBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The digits' {@link ConfusionMatrix} in the accuracy state stores and their changelogs (the start of
 * {@link AccuracyCountsSerde}'s layout): 100 big-endian longs, row after row (row = label). Fixed size, and state stores hold many of them. The layout is what stores and changelog
 * topics already hold: changing it makes a restarted classifier unable to read its own state.
 */
public final class ConfusionMatrixSerde implements Serde<ConfusionMatrix> {

    private static final int N = DigitShape.CLASSES;
    static final int BYTES = Long.BYTES * N * N;

    @Override
    public Serializer<ConfusionMatrix> serializer() {
        return (topic, matrix) -> {
            if (matrix == null) {
                return null;
            }
            if (matrix.classes() != N) {
                throw new SerializationException("not the digits' confusion matrix: " + matrix.classes()
                        + " classes");
            }
            ByteBuffer buffer = ByteBuffer.allocate(BYTES);
            LongBuffer longs = buffer.asLongBuffer();
            for (long[] row : matrix.toArray()) {
                longs.put(row);
            }
            return buffer.array();
        };
    }

    @Override
    public Deserializer<ConfusionMatrix> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length != BYTES) {
                throw new SerializationException("not confusion counts: " + bytes.length + " bytes");
            }
            LongBuffer longs = ByteBuffer.wrap(bytes).asLongBuffer();
            long[][] rows = new long[N][N];
            for (long[] row : rows) {
                longs.get(row);
            }
            try {
                return ConfusionMatrix.fromCounts(rows);
            } catch (IllegalArgumentException e) {
                throw new SerializationException("not confusion counts: " + e.getMessage(), e);
            }
        };
    }
}
