package io.digitstream.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Objects;

/**
 * One classified image as written to the predictions and review topics. {@code label} and {@code correct} are null
 * (and left out of the JSON) when the ground truth is unknown. Times are epoch milliseconds. {@code accepted} is false
 * when the classifier judged the image to be no digit at all; then {@code rejectReason} says why
 * ({@value #NOT_A_DIGIT}) and {@code oodScore} holds the score that decided it, while {@code digit} and
 * {@code confidence} are still what the model would have answered. Both are null (left out) for an accepted image.
 * The field order is the JSON's; the last three were added later, and a record without them reads as accepted.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PredictionEvent(String id, int digit, float confidence, float[] probabilities, String modelVersion,
                              Integer label, Boolean correct, long receivedAt, long classifiedAt, boolean accepted,
                              String rejectReason, Double oodScore) {

    /** The {@code rejectReason} of an image whose OOD score is above the not-a-digit threshold. Never rename. */
    public static final String NOT_A_DIGIT = "not-a-digit";

    public PredictionEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(probabilities, "probabilities");
        Objects.requireNonNull(modelVersion, "modelVersion");
        if ((label == null) != (correct == null)) {
            throw new IllegalArgumentException("label and correct go together: " + label + ", " + correct);
        }
        if (accepted == (rejectReason != null)) {
            throw new IllegalArgumentException("a rejected prediction, and only one, has a reject reason: accepted="
                    + accepted + ", rejectReason=" + rejectReason);
        }
    }

    /** An accepted prediction. */
    public PredictionEvent(String id, int digit, float confidence, float[] probabilities, String modelVersion,
                           Integer label, Boolean correct, long receivedAt, long classifiedAt) {
        this(id, digit, confidence, probabilities, modelVersion, label, correct, receivedAt, classifiedAt, true, null,
                null);
    }

    /** Jackson's way in: a record written before {@code accepted} existed was an accepted prediction. */
    @JsonCreator
    static PredictionEvent fromJsonFields(@JsonProperty("id") String id, @JsonProperty("digit") int digit,
                                          @JsonProperty("confidence") float confidence,
                                          @JsonProperty("probabilities") float[] probabilities,
                                          @JsonProperty("modelVersion") String modelVersion,
                                          @JsonProperty("label") Integer label, @JsonProperty("correct") Boolean correct,
                                          @JsonProperty("receivedAt") long receivedAt,
                                          @JsonProperty("classifiedAt") long classifiedAt,
                                          @JsonProperty("accepted") Boolean accepted,
                                          @JsonProperty("rejectReason") String rejectReason,
                                          @JsonProperty("oodScore") Double oodScore) {
        return new PredictionEvent(id, digit, confidence, probabilities, modelVersion, label, correct, receivedAt,
                classifiedAt, accepted == null || accepted, rejectReason, oodScore);
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
                receivedAt, classifiedAt, accepted, rejectReason, oodScore);
    }

    /** This prediction rejected for {@code reason} (such as {@value #NOT_A_DIGIT}) with the score that decided it. */
    public PredictionEvent rejected(String reason, double score) {
        return new PredictionEvent(id, digit, confidence, probabilities, modelVersion, label, correct, receivedAt,
                classifiedAt, false, Objects.requireNonNull(reason, "reason"), score);
    }

    // records compare arrays by identity; an event is a value
    @Override
    public boolean equals(Object o) {
        return o instanceof PredictionEvent p && p.id.equals(id) && p.digit == digit
                && Float.compare(p.confidence, confidence) == 0 && Arrays.equals(p.probabilities, probabilities)
                && p.modelVersion.equals(modelVersion) && Objects.equals(p.label, label)
                && Objects.equals(p.correct, correct) && p.receivedAt == receivedAt
                && p.classifiedAt == classifiedAt && p.accepted == accepted
                && Objects.equals(p.rejectReason, rejectReason) && Objects.equals(p.oodScore, oodScore);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, digit, confidence, Arrays.hashCode(probabilities), modelVersion, label, correct,
                receivedAt, classifiedAt, accepted, rejectReason, oodScore);
    }

    @Override
    public String toString() {
        return "PredictionEvent[id=" + id + ", digit=" + digit + ", confidence=" + confidence + ", probabilities="
                + Arrays.toString(probabilities) + ", modelVersion=" + modelVersion + ", label=" + label
                + ", correct=" + correct + ", receivedAt=" + receivedAt + ", classifiedAt=" + classifiedAt
                + ", accepted=" + accepted + ", rejectReason=" + rejectReason + ", oodScore=" + oodScore + "]";
    }
}
