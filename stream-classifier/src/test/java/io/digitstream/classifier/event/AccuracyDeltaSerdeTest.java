package io.digitstream.classifier.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.digitstream.contract.ConfusionMatrix;
import io.digitstream.contract.PredictionEvent;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The deltas and partial-count keys on the accuracy's internal topics and stores. */
class AccuracyDeltaSerdeTest {

    private static final AccuracyCounts COUNTS = new AccuracyCounts(ConfusionMatrix.emptyDigits().add(7, 1), 2);

    private final AccuracyDeltaSerde deltas = new AccuracyDeltaSerde();
    private final AccuracyScopeSerde scopes = new AccuracyScopeSerde();

    @Test
    void aDeltaReadsBackAsWrittenInEitherScope() {
        for (AccuracyScope scope : new AccuracyScope[] {AccuracyScope.cumulative("cnn@2024-01-01"),
                AccuracyScope.window("cnn@2024-01-01", 1_690_000_020_000L), AccuracyScope.window("é", 0)}) {
            AccuracyDelta delta = new AccuracyDelta(scope, COUNTS);

            assertThat(deltas.deserializer().deserialize("t", deltas.serializer().serialize("t", delta)))
                    .isEqualTo(delta);
            assertThat(scopes.deserializer().deserialize("t", scopes.serializer().serialize("t", scope)))
                    .isEqualTo(scope);
        }
    }

    @Test
    void aDeltaWithNothingRejectedKeepsItsFixedLayout() {
        AccuracyDelta delta = new AccuracyDelta(AccuracyScope.cumulative("v"),
                new AccuracyCounts(ConfusionMatrix.emptyDigits().add(3, 3), 0));

        byte[] bytes = deltas.serializer().serialize("t", delta);

        assertThat(bytes).hasSize(1 + 808 + 1);
        assertThat(deltas.deserializer().deserialize("t", bytes)).isEqualTo(delta);
    }

    @Test
    void aDeltaIsToldApartFromAPredictionsJson() {
        byte[] delta = deltas.serializer().serialize("t", new AccuracyDelta(AccuracyScope.window("v", 60_000), COUNTS));
        PredictionEvent p = new PredictionEvent("a", 7, 0.9f, new float[10], "v", null, null, 1L, 2L);

        assertThat(AccuracyDeltaSerde.isDelta(delta)).isTrue();
        assertThat(AccuracyDeltaSerde.isDelta(PredictionEvent.toJson(p))).isFalse();
        assertThat(AccuracyDeltaSerde.isDelta(new byte[0])).isFalse();
        assertThat(AccuracyDeltaSerde.isDelta(null)).isFalse();
    }

    @Test
    void truncatedBytesAreASerializationError() {
        byte[] bytes = deltas.serializer().serialize("t", new AccuracyDelta(AccuracyScope.window("v", 60_000), COUNTS));
        byte[] cut = java.util.Arrays.copyOf(bytes, 100);

        assertThatThrownBy(() -> deltas.deserializer().deserialize("t", cut))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> scopes.deserializer().deserialize("t", "{".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void countsAddUp() {
        AccuracyCounts more = new AccuracyCounts(ConfusionMatrix.emptyDigits().add(7, 1).add(0, 0), 1);

        AccuracyCounts sum = COUNTS.plus(more);

        assertThat(sum.matrix().count(7, 1)).isEqualTo(2);
        assertThat(sum.matrix().count(0, 0)).isEqualTo(1);
        assertThat(sum.rejected()).isEqualTo(3);
    }
}
