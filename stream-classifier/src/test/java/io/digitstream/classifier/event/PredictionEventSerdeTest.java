package io.digitstream.classifier.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.digitstream.contract.PredictionEvent;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class PredictionEventSerdeTest {

    private static final float[] PROBS = {0.01f, 0.02f, 0.9f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f};

    private final PredictionEventSerde serde = new PredictionEventSerde();

    @Test
    void writesTheContractsJson() {
        PredictionEvent event = new PredictionEvent("a", 2, 0.9f, PROBS, "v1", 2, true, 10L, 20L);

        byte[] json = serde.serializer().serialize("t", event);

        assertThat(json).isEqualTo(PredictionEvent.toJson(event));
        assertThat(serde.deserializer().deserialize("t", json)).isEqualTo(event);
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
    }
}
