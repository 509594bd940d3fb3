package io.digitstream.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Arrays;
import java.util.Objects;

/**
 * One classified image as written to the predictions and review topics. {@code label} and {@code correct} are null
 * (and left out of the JSON) when the ground truth is unknown. Times are epoch milliseconds. The field order is the
 * JSON's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PredictionEvent(String id, int digit, float confidence, float[] probabilities, String modelVersion,
                              Integer label, Boolean correct, long receivedAt, long classifiedAt) {

    public PredictionEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(probabilities, "probabilities");
        Objects.requireNonNull(modelVersion, "modelVersion");
        if ((label == null) != (correct == null)) {
            throw new IllegalArgumentException("label and correct go together: " + label + ", " + correct);
        }
    }

    /** @throws java.io.UncheckedIOException when Jackson cannot write it (not for any value of these types) */
    public static byte[] toJson(PredictionEvent event) {
        return EventJson.write(event);
    }

    /**
     * Unknown fields are ignored, so consumers survive additions to the contract.
     *
     * @throws IllegalArgumentException when {@code json} is not a prediction event
     */
    public static PredictionEvent fromJson(byte[] json) {
        return EventJson.read(json, PredictionEvent.class, "a prediction event");
    }

    /** This prediction with its ground truth, as when a late label joins it. */
    public PredictionEvent withLabel(int truth) {
        return new PredictionEvent(id, digit, confidence, probabilities, modelVersion, truth, truth == digit,
                receivedAt, classifiedAt);
    }

    // records compare arrays by identity; an event is a value
    @Override
    public boolean equals(Object o) {
        return o instanceof PredictionEvent p && p.id.equals(id) && p.digit == digit
                && Float.compare(p.confidence, confidence) == 0 && Arrays.equals(p.probabilities, probabilities)
                && p.modelVersion.equals(modelVersion) && Objects.equals(p.label, label)
                && Objects.equals(p.correct, correct) && p.receivedAt == receivedAt
                && p.classifiedAt == classifiedAt;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, digit, confidence, Arrays.hashCode(probabilities), modelVersion, label, correct,
                receivedAt, classifiedAt);
    }

    @Override
    public String toString() {
        return "PredictionEvent[id=" + id + ", digit=" + digit + ", confidence=" + confidence + ", probabilities="
                + Arrays.toString(probabilities) + ", modelVersion=" + modelVersion + ", label=" + label
                + ", correct=" + correct + ", receivedAt=" + receivedAt + ", classifiedAt=" + classifiedAt + "]";
    }
}
