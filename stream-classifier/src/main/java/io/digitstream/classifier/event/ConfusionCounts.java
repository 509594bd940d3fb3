package io.digitstream.classifier.event;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The state behind running accuracy: how often each label (row) was predicted as each digit (column). Immutable, so
 * an aggregation never changes a value a state store still holds.
 */
public record ConfusionCounts(long[] counts) {

    public static final int DIGITS = 10;

    public ConfusionCounts {
        if (counts.length != DIGITS * DIGITS) {
            throw new IllegalArgumentException("need " + DIGITS * DIGITS + " counts, got " + counts.length);
        }
        counts = counts.clone();
    }

    public static ConfusionCounts empty() {
        return new ConfusionCounts(new long[DIGITS * DIGITS]);
    }

    public ConfusionCounts add(int label, int predicted) {
        long[] next = counts.clone();
        next[label * DIGITS + predicted]++;
        return new ConfusionCounts(next);
    }

    public long count(int label, int predicted) {
        return counts[label * DIGITS + predicted];
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionCounts c && Arrays.equals(c.counts, counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "ConfusionCounts" + Arrays.toString(counts);
    }

    /** 100 big-endian longs: fixed size, and state stores hold many of them. */
    public static Serde<ConfusionCounts> serde() {
        Serializer<ConfusionCounts> serializer = (topic, c) -> {
            if (c == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.allocate(Long.BYTES * DIGITS * DIGITS);
            buffer.asLongBuffer().put(c.counts);
            return buffer.array();
        };
        Deserializer<ConfusionCounts> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length != Long.BYTES * DIGITS * DIGITS) {
                throw new SerializationException("not confusion counts: " + bytes.length + " bytes");
            }
            long[] counts = new long[DIGITS * DIGITS];
            ByteBuffer.wrap(bytes).asLongBuffer().get(counts);
            return new ConfusionCounts(counts);
        };
        return org.apache.kafka.common.serialization.Serdes.serdeFrom(serializer, deserializer);
    }
}
