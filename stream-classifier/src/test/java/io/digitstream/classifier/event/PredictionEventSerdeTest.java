package io.digitstream.classifier.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.digitstream.contract.PredictionEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class PredictionEventSerdeTest {

    private static final float[] PROBS = {0.01f, 0.02f, 0.9f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f};

    private final PredictionEventSerde serde = new PredictionEventSerde();

    @Test
    void everyFieldSurvivesTheBinaryForm() {
        PredictionEvent labelled = new PredictionEvent("scan-é-1", 2, 0.9f, PROBS, "1.3.0-int8", 2, true, 10L, 20L);
        PredictionEvent rejected = new PredictionEvent("b", 7, 0.31f, PROBS, "v1", null, null, -1L, 20L)
                .rejected(PredictionEvent.NOT_A_DIGIT, 0.875);

        for (PredictionEvent event : new PredictionEvent[] {labelled, rejected}) {
            byte[] bytes = serde.serializer().serialize("t", event);

            assertThat(bytes[0]).isEqualTo(PredictionEventSerde.BINARY);
            assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(event);
        }
    }

    @Test
    void theBinaryFormIsSmallerThanTheJson() {
        PredictionEvent event = new PredictionEvent("scan-000123", 7, 0.9987f, PROBS, "1.3.0-int8", null, null,
                1_764_110_000_000L, 1_764_110_000_042L);

        // 108 bytes against 216
        assertThat(serde.serializer().serialize("t", event).length)
                .isLessThan(PredictionEvent.toJson(event).length * 6 / 10);
    }

    @Test
    void readsTheJsonOfEarlierStores() {
        PredictionEvent event = new PredictionEvent("a", 2, 0.9f, PROBS, "v1", 2, true, 10L, 20L);

        assertThat(serde.deserializer().deserialize("t", PredictionEvent.toJson(event))).isEqualTo(event);
    }

    @Test
    void aCountOfProbabilitiesPastTheValueFailsAsKafkaExpects() {
        byte[] bytes = serde.serializer().serialize("t", new PredictionEvent("a", 2, 0.9f, PROBS, "v1", 2, true, 10L,
                20L));
        // 1 format byte, the id's length and byte, the digit and the confidence: then the count of probabilities
        int count = 1 + 4 + 1 + 1 + 4;
        for (byte declared : new byte[] {(byte) 200, (byte) 0xFF}) {
            bytes[count] = declared;
            byte[] value = bytes.clone();
            assertThatThrownBy(() -> serde.deserializer().deserialize("t", value))
                    .isInstanceOf(SerializationException.class).hasMessageContaining("probabilities");
        }
    }

    @Test
    void aValueWithoutItsIdFailsAsKafkaExpects() {
        byte[] bytes = serde.serializer().serialize("t", new PredictionEvent("a", 2, 0.9f, PROBS, "v1", 2, true, 10L,
                20L));
        // the id's length (after the format byte) says absent: the id is required
        byte[] absent = new byte[bytes.length - 1];
        absent[0] = bytes[0];
        ByteBuffer.wrap(absent, 1, 4).putInt(-1);
        System.arraycopy(bytes, 1 + 4 + 1, absent, 1 + 4, bytes.length - (1 + 4 + 1));
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", absent))
                .isInstanceOf(SerializationException.class).hasMessageContaining("no id");
    }

    @Test
    void nullStaysNull() {
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void anotherValueFailsAsKafkaExpects() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", "{".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessage("not a prediction event");
        byte[] cut = serde.serializer().serialize("t", new PredictionEvent("a", 2, 0.9f, PROBS, "v1", 2, true, 10L,
                20L));
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", Arrays.copyOf(cut, cut.length - 3)))
                .isInstanceOf(SerializationException.class).hasMessageStartingWith("not a prediction event");
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", Arrays.copyOf(cut, cut.length + 1)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("after the event");
    }
}
