package io.digitstream.classifier.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.digitstream.contract.PredictionEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PredictionEventSerdeTest {

    private static final float[] PROBS = {0.01f, 0.02f, 0.9f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f};

    @Test
    void roundTripsThroughJson() {
        PredictionEvent event = new PredictionEvent("a", 2, 0.9f, PROBS, "v1", 2, true, 10L, 20L);
        PredictionEventSerde serde = new PredictionEventSerde();

        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", event))).isEqualTo(event);
    }

    @Test
    void writesTheContractFieldNames() throws Exception {
        byte[] json = PredictionEventSerde.toJson(new PredictionEvent("a", 2, 0.9f, PROBS, "v1", 3, false, 10L, 20L));

        JsonNode node = new ObjectMapper().readTree(json);
        assertThat(node.fieldNames()).toIterable().containsExactlyInAnyOrder("id", "digit", "confidence",
                "probabilities", "modelVersion", "label", "correct", "receivedAt", "classifiedAt");
        assertThat(node.get("probabilities")).hasSize(10);
    }

    @Test
    void leavesOutUnknownTruth() {
        byte[] json = PredictionEventSerde.toJson(new PredictionEvent("a", 2, 0.9f, PROBS, "v1", null, null, 1L, 2L));

        assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain("label").doesNotContain("correct");
    }
}
