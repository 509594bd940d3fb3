package io.digitstream.classifier.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.digitstream.contract.ConfusionMatrix;
import io.digitstream.contract.PredictionEvent;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The accuracy stores and changelogs of a classifier from before rejections, and of one after: each reads both. */
class AccuracyCountsSerdeTest {

    private static final ConfusionMatrix MATRIX = ConfusionMatrix.emptyDigits().add(0, 0).add(7, 1);

    private final AccuracyCountsSerde serde = new AccuracyCountsSerde();

    @Test
    void countsWithNothingRejectedAreTheMatrixAloneAsBefore() {
        byte[] bytes = serde.serializer().serialize("changelog", new AccuracyCounts(MATRIX, 0));

        assertThat(bytes).isEqualTo(new ConfusionMatrixSerde().serializer().serialize("changelog", MATRIX));
    }

    @Test
    void aStoreWrittenBeforeRejectionsExistedReadsAsNoneRejected() {
        byte[] old = new ConfusionMatrixSerde().serializer().serialize("changelog", MATRIX);

        assertThat(serde.deserializer().deserialize("changelog", old)).isEqualTo(new AccuracyCounts(MATRIX, 0));
    }

    @Test
    void theRejectedCountFollowsTheMatrix() {
        byte[] bytes = serde.serializer().serialize("changelog", new AccuracyCounts(MATRIX, 3));

        assertThat(bytes).hasSize(808);
        assertThat(ByteBuffer.wrap(bytes).getLong(800)).isEqualTo(3);
        assertThat(serde.deserializer().deserialize("changelog", bytes)).isEqualTo(new AccuracyCounts(MATRIX, 3));
    }

    @Test
    void otherBytesAreRefused() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[804]))
                .isInstanceOf(SerializationException.class).hasMessageContaining("804 bytes");
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", ByteBuffer.allocate(808).putLong(800, -1)
                .array())).isInstanceOf(SerializationException.class).hasMessageContaining("rejected -1");
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void anAcceptedPredictionGoesIntoTheMatrixAndARejectedOneBesideIt() {
        PredictionEvent seven = new PredictionEvent("a", 7, 0.9f, new float[10], "v1", 7, true, 1L, 2L);
        PredictionEvent refused = new PredictionEvent("b", 1, 0.9f, new float[10], "v1", 4, false, 1L, 2L)
                .rejected(PredictionEvent.NOT_A_DIGIT, 3.5);

        AccuracyCounts counts = AccuracyCounts.empty().add(seven).add(refused);

        assertThat(counts.matrix()).isEqualTo(ConfusionMatrix.emptyDigits().add(7, 7));
        assertThat(counts.rejected()).isEqualTo(1);
        assertThat(counts.report("v1", null, null)).satisfies(r -> {
            assertThat(r.total()).isEqualTo(1);
            assertThat(r.accuracy()).isEqualTo(1.0);
            assertThat(r.rejected()).isEqualTo(1);
        });
        assertThatThrownBy(() -> counts.add(new PredictionEvent("c", 1, 0.9f, new float[10], "v1", null, null, 1L,
                2L))).isInstanceOf(IllegalArgumentException.class);
    }
}
