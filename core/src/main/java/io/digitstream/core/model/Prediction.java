package io.digitstream.core.model;

import io.digitstream.contract.DigitShape;
import java.util.Arrays;

/** One classified image: the most probable digit, its probability, and all ten class probabilities. */
public record Prediction(int digit, float confidence, float[] probabilities) {

    public Prediction {
        if (probabilities.length != DigitShape.CLASSES) {
            throw new IllegalArgumentException("expected " + DigitShape.CLASSES + " probabilities, got "
                    + probabilities.length);
        }
        if (digit < 0 || digit >= DigitShape.CLASSES) {
            throw new IllegalArgumentException("digit must be 0..9: " + digit);
        }
    }

    /** The argmax of {@code probabilities}; the lowest digit wins a tie. */
    public static Prediction fromProbabilities(float[] probabilities) {
        int best = mostProbableDigit(probabilities);
        return new Prediction(best, probabilities[best], probabilities);
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

    // records compare arrays by identity; a prediction is a value
    @Override
    public boolean equals(Object o) {
        return o instanceof Prediction p && p.digit == digit && Float.compare(p.confidence, confidence) == 0
                && Arrays.equals(p.probabilities, probabilities);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * digit + Float.hashCode(confidence)) + Arrays.hashCode(probabilities);
    }

    @Override
    public String toString() {
        return "Prediction[digit=" + digit + ", confidence=" + confidence + ", probabilities="
                + Arrays.toString(probabilities) + "]";
    }
}
