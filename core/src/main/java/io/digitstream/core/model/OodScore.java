package io.digitstream.core.model;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How a model scores how little an image looks like a digit (out of distribution, "OOD"): the higher the score, the
 * less like a digit. A model names its method in {@link ModelMetadata#KEY_OOD_SCORE}; an image is rejected as
 * not-a-digit when its score is strictly above the model's (or the operator's) threshold, see
 * {@link Prediction#rejectedAt(double)}.
 */
public enum OodScore {

    /** {@code -logsumexp(logits)}, temperature 1: needs the model's {@code logits} output. */
    ENERGY("energy", true),
    /** {@code -max logits}: needs the model's {@code logits} output. */
    MAX_LOGIT("max-logit", true),
    /** {@code -max probabilities}: the only one possible for a model without logits, and what old models get. */
    MSP("msp", false),
    /**
     * Computed by the model itself, in its {@code ood_score} output (see {@link OnnxDigitModel}); the trainer puts a
     * feature-distance score there. It cannot be computed from probabilities or logits.
     */
    IN_GRAPH("in-graph", false);

    /** The scores computed from a model's probabilities and logits, as {@link #of} does. */
    public static final List<OodScore> FROM_LOGITS = List.of(ENERGY, MAX_LOGIT, MSP);

    private final String id;
    private final boolean needsLogits;

    OodScore(String id, boolean needsLogits) {
        this.id = id;
        this.needsLogits = needsLogits;
    }

    /** The name in model metadata: {@code energy}, {@code max-logit}, {@code msp}. */
    public String id() {
        return id;
    }

    public boolean needsLogits() {
        return needsLogits;
    }

    /** Whether the model's {@code ood_score} output holds the score, rather than {@link #of} computing it. */
    public boolean inGraph() {
        return this == IN_GRAPH;
    }

    /** @throws IllegalArgumentException naming the methods there are */
    public static OodScore named(String id) {
        for (OodScore score : values()) {
            if (score.id.equals(id)) {
                return score;
            }
        }
        throw new IllegalArgumentException("unknown OOD score '" + id + "'; known: "
                + Arrays.stream(values()).map(OodScore::id).collect(Collectors.joining(", ")));
    }

    /**
     * The score of one image from the model's outputs, computed in double precision.
     *
     * @param logits the pre-softmax outputs; may be null for {@link #MSP}
     * @throws IllegalArgumentException when this method needs logits and there are none, or is {@link #IN_GRAPH}
     */
    public double of(float[] probabilities, float[] logits) {
        if (inGraph()) {
            throw new IllegalArgumentException("the " + id + " score is the model's own ood_score output");
        }
        if (needsLogits && logits == null) {
            throw new IllegalArgumentException("the " + id + " score needs the model's logits");
        }
        return switch (this) {
            case ENERGY -> -logSumExp(logits);
            case MAX_LOGIT -> -max(logits);
            case MSP -> -max(probabilities);
            case IN_GRAPH -> throw new AssertionError("handled above");
        };
    }

    private static double max(float[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    /** Shifted by the largest logit, so that exp never overflows. */
    private static double logSumExp(float[] logits) {
        double max = max(logits);
        if (Double.isInfinite(max)) {
            return max;
        }
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }
}
