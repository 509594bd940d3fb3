package io.digitstream.trainer.ood;

import java.util.Locale;

/**
 * How a model's outputs become a not-a-digit score: higher means less like a digit, and an image is rejected when its
 * score is strictly above the model's threshold. The names are the values of the model metadata key
 * {@value #METADATA_KEY}, shared with the classifier that serves the model.
 */
public enum OodScore {

    /** {@code -logsumexp(logits)}, temperature 1 (Liu et al. 2020). */
    ENERGY("energy"),
    /** {@code -max_k logits_k}. */
    MAX_LOGIT("max-logit"),
    /** {@code -max_k softmax_k}: the only score a model without logits allows. */
    MSP("msp");

    /** Model metadata key naming the score a model's threshold is for. */
    public static final String METADATA_KEY = "ood.score";
    /** Model metadata key holding the threshold, as decimal text. */
    public static final String THRESHOLD_METADATA_KEY = "ood.threshold";

    private final String key;

    OodScore(String key) {
        this.key = key;
    }

    /** The name in model metadata. */
    public String key() {
        return key;
    }

    public static OodScore fromKey(String key) {
        for (OodScore score : values()) {
            if (score.key.equals(key.strip().toLowerCase(Locale.ROOT))) {
                return score;
            }
        }
        throw new IllegalArgumentException("unknown " + METADATA_KEY + " '" + key + "', expected energy, max-logit or msp");
    }

    /** The score of one image from its ten logits. */
    public double of(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        if (this == MAX_LOGIT) {
            return -max;
        }
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp(v - max);
        }
        // logsumexp = max + log(sum); the largest softmax value = exp(max - logsumexp) = 1 / sum
        return this == ENERGY ? -(max + Math.log(sum)) : -1 / sum;
    }

    /** Scores of many images, one row of logits each. */
    public double[] of(float[][] logits) {
        double[] scores = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            scores[i] = of(logits[i]);
        }
        return scores;
    }

    /** {@link #MSP} from probabilities, for models that have no logits output. */
    public static double[] mspOfProbabilities(float[][] probabilities) {
        double[] scores = new double[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            float max = 0;
            for (float p : probabilities[i]) {
                max = Math.max(max, p);
            }
            scores[i] = -max;
        }
        return scores;
    }

    @Override
    public String toString() {
        return key;
    }
}
