package io.digitstream.classifier;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.utils.Utils;

/**
 * Where the label join needs a prediction: the partition of {@code predictions-by-id} its event id goes to. Kafka
 * Streams gives that topic as many partitions as the input topic (the join co-partitions it with the input, which
 * {@link ClassifierTopology} merges into the join), and its producer picks a key's partition by murmur2, as Java
 * clients do by default. So an image keyed by its id and partitioned that way is already in its join partition, and its
 * prediction joins in the task that made it instead of crossing the repartition topic.
 *
 * @param partitions the input topic's partitions; 0 when unknown: every prediction then crosses the topic
 */
record ByIdPartitions(int partitions) {

    static final ByIdPartitions UNKNOWN = new ByIdPartitions(0);

    ByIdPartitions {
        if (partitions < 0) {
            throw new IllegalArgumentException("partitions must be >= 0, was " + partitions);
        }
    }

    /** The partition a record keyed by {@code key} goes to on the repartition topic (Kafka's built-in partitioner). */
    int partitionOf(byte[] key) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    /**
     * True when the prediction of the record read from {@code sourcePartition} under {@code key} would come back to
     * that partition: the key is the event id (as the contract asks) and hashes there.
     */
    boolean joinsWhereRead(byte[] key, String id, int sourcePartition) {
        return partitions > 0 && key != null && key.length > 0 && isUtf8Of(key, id)
                && partitionOf(key) == sourcePartition;
    }

    /** Whether {@code key} is {@code id} in UTF-8; an ASCII id (the usual) is compared without encoding it. */
    private static boolean isUtf8Of(byte[] key, String id) {
        if (key.length != id.length()) {
            return Arrays.equals(key, id.getBytes(StandardCharsets.UTF_8));
        }
        // as many bytes as chars: equal only if every char is ASCII and its byte
        for (int i = 0; i < key.length; i++) {
            char c = id.charAt(i);
            if (c >= 0x80 || key[i] != (byte) c) {
                return false;
            }
        }
        return true;
    }
}
