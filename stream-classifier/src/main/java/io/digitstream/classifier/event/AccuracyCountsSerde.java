package io.digitstream.classifier.event;

import io.digitstream.contract.ConfusionMatrix;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@link AccuracyCounts} in the accuracy state stores and their changelogs: the matrix as {@link ConfusionMatrixSerde}
 * lays it out (100 big-endian longs), followed by the rejected count as one more long only when it is not zero. So
 * the stores of a classifier from before rejections existed read as counts with none rejected, and as long as nothing
 * is rejected (a model without a not-a-digit threshold) the stores stay readable by such a classifier.
 */
public final class AccuracyCountsSerde implements Serde<AccuracyCounts> {

    static final int WITH_REJECTED_BYTES = ConfusionMatrixSerde.BYTES + Long.BYTES;

    private final Serde<ConfusionMatrix> matrix = new ConfusionMatrixSerde();

    @Override
    public Serializer<AccuracyCounts> serializer() {
        Serializer<ConfusionMatrix> matrixWriter = matrix.serializer();
        return (topic, counts) -> {
            if (counts == null) {
                return null;
            }
            byte[] bytes = matrixWriter.serialize(topic, counts.matrix());
            if (counts.rejected() == 0) {
                return bytes;
            }
            return ByteBuffer.allocate(WITH_REJECTED_BYTES).put(bytes).putLong(counts.rejected()).array();
        };
    }

    @Override
    public Deserializer<AccuracyCounts> deserializer() {
        Deserializer<ConfusionMatrix> matrixReader = matrix.deserializer();
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length == ConfusionMatrixSerde.BYTES) {
                return new AccuracyCounts(matrixReader.deserialize(topic, bytes), 0);
            }
            if (bytes.length != WITH_REJECTED_BYTES) {
                throw new SerializationException("not accuracy counts: " + bytes.length + " bytes");
            }
            long rejected = ByteBuffer.wrap(bytes, ConfusionMatrixSerde.BYTES, Long.BYTES).getLong();
            if (rejected < 0) {
                throw new SerializationException("not accuracy counts: rejected " + rejected);
            }
            ConfusionMatrix counts = matrixReader.deserialize(topic,
                    Arrays.copyOf(bytes, ConfusionMatrixSerde.BYTES));
            return new AccuracyCounts(counts, rejected);
        };
    }
}
