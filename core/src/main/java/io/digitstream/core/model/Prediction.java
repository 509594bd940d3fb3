package io.digitstream.core.model;

import io.digitstream.contract.DigitShape;
import java.util.Arrays;

/**
 * One classified image: the most probable digit, its probability, all ten class probabilities, and the image's OOD
 * score (higher: less like a digit; see {@link OodScore}).
 */
public record Prediction(int digit, float confidence, float[] probabilities, double oodScore) {

    public Prediction {
        if (probabilities.length != DigitShape.CLASSES) {
            throw new IllegalArgumentException("expected " + DigitShape.CLASSES + " probabilities, got "
                    + probabilities.length);
        }
        if (digit < 0 || digit >= DigitShape.CLASSES) {
            throw new IllegalArgumentException("digit must be 0..9: " + digit);
        }
    }

    /** A prediction scored as a model without logits is: {@link OodScore#MSP}. */
    public Prediction(int digit, float confidence, float[] probabilities) {
        this(digit, confidence, probabilities, OodScore.MSP.of(probabilities, null));
    }

    /** The argmax of {@code probabilities}, scored {@link OodScore#MSP}; the lowest digit wins a tie. */
    public static Prediction fromProbabilities(float[] probabilities) {
        int best = mostProbableDigit(probabilities);
        return new Prediction(best, probabilities[best], probabilities);
    }

    /**
     * The argmax of {@code probabilities}, scored by {@code score} from the model's outputs.
     *
     * @param logits the model's pre-softmax outputs, or null when it has none (then only {@link OodScore#MSP} works)
     */
    public static Prediction of(float[] probabilities, float[] logits, OodScore score) {
        int best = mostProbableDigit(probabilities);
        return new Prediction(best, probabilities[best], probabilities, score.of(probabilities, logits));
    }

    /** The argmax of {@code probabilities}, with the OOD score the model computed itself ({@link OodScore#IN_GRAPH}). */
    public static Prediction withScore(float[] probabilities, double oodScore) {
        int best = mostProbableDigit(probabilities);
        return new Prediction(best, probabilities[best], probabilities, oodScore);
    }

    /** The index of the largest probability; the lowest digit wins a tie. */
    public static int mostProbableDigit(float[] probabilities) {
        int best = 0;
        for (int d = 1; d < probabilities.length; d++) {
            if (probabilities[d] > probabilities[best]) {
                best = d;
            }
        }
        return best;
    }

    /**
     * Whether this image is rejected as not-a-digit at {@code threshold}: its OOD score is strictly above it. A NaN
     * threshold (none: see {@link ModelMetadata#oodThreshold()}) rejects nothing.
     */
    public boolean rejectedAt(double threshold) {
        return oodScore > threshold;
    }

    // records compare arrays by identity; a prediction is a value
    @Override
    public boolean equals(Object o) {
        return o instanceof Prediction p && p.digit == digit && Float.compare(p.confidence, confidence) == 0
                && Arrays.equals(p.probabilities, probabilities) && Double.compare(p.oodScore, oodScore) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * digit + Float.hashCode(confidence)) + Arrays.hashCode(probabilities))
                + Double.hashCode(oodScore);
    }

    @Override
    public String toString() {
        return "Prediction[digit=" + digit + ", confidence=" + confidence + ", probabilities="
                + Arrays.toString(probabilities) + ", oodScore=" + oodScore + "]";
    }
}
