package io.digitstream.classifier.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.digitstream.contract.ConfusionMatrix;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The accuracy state stores and their changelogs hold these bytes: a restarted classifier reads what it wrote. */
class ConfusionMatrixSerdeTest {

    private final ConfusionMatrixSerde serde = new ConfusionMatrixSerde();

    @Test
    void aMatrixIsAHundredBigEndianLongsRowByRow() {
        ConfusionMatrix matrix = ConfusionMatrix.emptyDigits().add(0, 0).add(7, 1).add(9, 9).add(9, 9);

        byte[] bytes = serde.serializer().serialize("changelog", matrix);

        assertThat(bytes).hasSize(800);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        assertThat(buffer.getLong(0)).isEqualTo(1);
        assertThat(buffer.getLong(Long.BYTES * (7 * 10 + 1))).isEqualTo(1);
        assertThat(buffer.getLong(Long.BYTES * 99)).isEqualTo(2);
        assertThat(buffer.getLong(Long.BYTES * (1 * 10 + 7))).isZero();
        assertThat(serde.deserializer().deserialize("changelog", bytes)).isEqualTo(matrix);
    }

    @Test
    void nullStaysNull() {
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void otherBytesAreRefused() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[799]))
                .isInstanceOf(SerializationException.class).hasMessageContaining("799 bytes");
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", ByteBuffer.allocate(800).putLong(-1).array()))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serde.serializer().serialize("t", ConfusionMatrix.empty(3)))
                .isInstanceOf(SerializationException.class);
    }
}
