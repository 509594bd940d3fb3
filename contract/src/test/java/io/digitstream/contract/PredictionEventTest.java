package io.digitstream.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PredictionEventTest {

    private static final float[] PROBS = {0.01f, 0.02f, 0.9f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f};

    @Test
    void roundTripsThroughJson() {
        PredictionEvent event = new PredictionEvent("a", 2, 0.9f, PROBS, "v1", 2, true, 10L, 20L);

        assertThat(PredictionEvent.fromJson(PredictionEvent.toJson(event))).isEqualTo(event);
    }

    @Test
    void writesTheContractFieldNames() throws Exception {
        byte[] json = PredictionEvent.toJson(new PredictionEvent("a", 2, 0.9f, PROBS, "v1", 3, false, 10L, 20L));

        JsonNode node = new ObjectMapper().readTree(json);
        assertThat(node.fieldNames()).toIterable().containsExactlyInAnyOrder("id", "digit", "confidence",
                "probabilities", "modelVersion", "label", "correct", "receivedAt", "classifiedAt", "accepted");
        assertThat(node.get("probabilities")).hasSize(10);
    }

    @Test
    void leavesOutUnknownTruth() {
        byte[] json = PredictionEvent.toJson(new PredictionEvent("a", 2, 0.9f, PROBS, "v1", null, null, 1L, 2L));

        assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain("label").doesNotContain("correct");
    }

    /**
     * The bytes the classifier writes: field order, float and long formatting (docs/contract.md). {@code accepted},
     * and for a rejected image {@code rejectReason} and {@code oodScore}, were added at the end in issue 11; what came
     * before them is as it always was.
     */
    @Test
    void writesTheSameBytesAsEver() {
        PredictionEvent labelled = new PredictionEvent("scan-1", 7, 0.9987f,
                new float[] {0f, 0f, 1.0E-4f, 0f, 0f, 0f, 0f, 0.9987f, 0f, 0.0012f}, "1.0.0", 7, true,
                1764110000000L, 1764110000042L);
        PredictionEvent unlabelled = new PredictionEvent("a", 2, 0.33333334f,
                new float[] {0.1f, 0.2f, 0.33333334f, 1.0E-10f, 0f, 0f, 0f, 0f, 0f, 0.36666667f}, "v1", null, null,
                1L, 2L);

        assertThat(utf8(PredictionEvent.toJson(labelled))).isEqualTo("{\"id\":\"scan-1\",\"digit\":7,"
                + "\"confidence\":0.9987,\"probabilities\":[0.0,0.0,1.0E-4,0.0,0.0,0.0,0.0,0.9987,0.0,0.0012],"
                + "\"modelVersion\":\"1.0.0\",\"label\":7,\"correct\":true,\"receivedAt\":1764110000000,"
                + "\"classifiedAt\":1764110000042,\"accepted\":true}");
        assertThat(utf8(PredictionEvent.toJson(unlabelled))).isEqualTo("{\"id\":\"a\",\"digit\":2,"
                + "\"confidence\":0.33333334,\"probabilities\":[0.1,0.2,0.33333334,1.0E-10,0.0,0.0,0.0,0.0,0.0,"
                + "0.36666667],\"modelVersion\":\"v1\",\"receivedAt\":1,\"classifiedAt\":2,\"accepted\":true}");
        assertThat(utf8(PredictionEvent.toJson(unlabelled.rejected(PredictionEvent.NOT_A_DIGIT, 12.75))))
                .isEqualTo("{\"id\":\"a\",\"digit\":2,\"confidence\":0.33333334,\"probabilities\":[0.1,0.2,"
                        + "0.33333334,1.0E-10,0.0,0.0,0.0,0.0,0.0,0.36666667],\"modelVersion\":\"v1\",\"receivedAt\":1,"
                        + "\"classifiedAt\":2,\"accepted\":false,\"rejectReason\":\"not-a-digit\",\"oodScore\":12.75}");
    }

    @Test
    void aRecordWrittenBeforeRejectionsExistedReadsAsAccepted() {
        byte[] old = ("{\"id\":\"a\",\"digit\":2,\"confidence\":0.9,\"probabilities\":[0,0,0.9,0,0,0,0,0,0,0.1],"
                + "\"modelVersion\":\"v1\",\"label\":2,\"correct\":true,\"receivedAt\":1,\"classifiedAt\":2}")
                .getBytes(StandardCharsets.UTF_8);

        PredictionEvent event = PredictionEvent.fromJson(old);

        assertThat(event.accepted()).isTrue();
        assertThat(event.rejectReason()).isNull();
        assertThat(event.oodScore()).isNull();
        assertThat(event).isEqualTo(new PredictionEvent("a", 2, 0.9f,
                new float[] {0, 0, 0.9f, 0, 0, 0, 0, 0, 0, 0.1f}, "v1", 2, true, 1L, 2L));
    }

    @Test
    void aRejectedPredictionRoundTripsWithItsReasonAndScoreAndKeepsThemWhenALabelJoins() {
        PredictionEvent rejected = new PredictionEvent("a", 2, 0.9f, PROBS, "v1", null, null, 10L, 20L)
                .rejected(PredictionEvent.NOT_A_DIGIT, -1.5);

        PredictionEvent read = PredictionEvent.fromJson(PredictionEvent.toJson(rejected));

        assertThat(read).isEqualTo(rejected);
        assertThat(read.accepted()).isFalse();
        assertThat(read.rejectReason()).isEqualTo("not-a-digit");
        assertThat(read.oodScore()).isEqualTo(-1.5);
        assertThat(read.withLabel(2)).extracting(PredictionEvent::accepted, PredictionEvent::rejectReason,
                PredictionEvent::oodScore, PredictionEvent::correct).containsExactly(false, "not-a-digit", -1.5, true);
    }

    @Test
    void aRejectReasonGoesWithARejectionOnly() {
        assertThatThrownBy(() -> new PredictionEvent("a", 2, 0.9f, PROBS, "v1", null, null, 1L, 2L, true,
                PredictionEvent.NOT_A_DIGIT, 1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reject reason");
        assertThatThrownBy(() -> new PredictionEvent("a", 2, 0.9f, PROBS, "v1", null, null, 1L, 2L, false, null,
                1.0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsPastFieldsItDoesNotKnow() {
        byte[] json = ("{\"id\":\"a\",\"digit\":2,\"confidence\":0.9,\"probabilities\":[0,0,1,0,0,0,0,0,0,0],"
                + "\"modelVersion\":\"v1\",\"receivedAt\":1,\"classifiedAt\":2,\"addedLater\":{\"x\":1}}")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(PredictionEvent.fromJson(json).digit()).isEqualTo(2);
    }

    @Test
    void somethingElseIsNotAPrediction() {
        assertThatThrownBy(() -> PredictionEvent.fromJson("{\"id\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a prediction event");
        assertThatThrownBy(() -> PredictionEvent.fromJson("{\"digit\":2}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLateLabelSaysWhetherThePredictionWasRight() {
        PredictionEvent p = new PredictionEvent("a", 2, 0.9f, PROBS, "v1", null, null, 10L, 20L);

        assertThat(p.withLabel(2)).extracting(PredictionEvent::label, PredictionEvent::correct)
                .containsExactly(2, true);
        assertThat(p.withLabel(3)).extracting(PredictionEvent::label, PredictionEvent::correct)
                .containsExactly(3, false);
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
