package io.digitstream.trainer.ood;

import io.digitstream.core.model.ModelMetadata;
import io.digitstream.core.model.OodScore;
import io.digitstream.trainer.robustness.Auroc;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The not-a-digit score and threshold a model ships with, chosen on held-out digits (the validation split) and
 * held-out synthetic outliers, never on a benchmark set. Each score gets the threshold that rejects at most
 * {@code maxDigitRejection} of the digits; the score that then rejects the most outliers wins (the larger AUROC breaks
 * a tie).
 *
 * @param score       the chosen score
 * @param threshold   its threshold: an image is rejected when its score is strictly above
 * @param separations every score measured, the chosen one first
 */
public record OodCalibration(OodScore score, double threshold, List<OodSeparation> separations) {

    /** Half the 1% of digits the product may reject, so that the test set stays within 1% with room to spare. */
    public static final double MAX_VALIDATION_REJECTION = 0.005;

    public OodCalibration {
        Objects.requireNonNull(score, "score");
        separations = List.copyOf(separations);
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold must be finite: " + threshold);
        }
    }

    /** One score's values on the digits and on the outliers. */
    public record Candidate(OodScore score, double[] digits, double[] outliers) {
    }

    /** Measures the three scores computed from logits and picks as described above. */
    public static OodCalibration choose(float[][] digitLogits, float[][] outlierLogits, double maxDigitRejection) {
        return choose(fromLogits(digitLogits, outlierLogits), maxDigitRejection);
    }

    /** The three scores computed from logits, as candidates. */
    public static List<Candidate> fromLogits(float[][] digitLogits, float[][] outlierLogits) {
        List<Candidate> candidates = new ArrayList<>();
        for (OodScore score : OodScore.FROM_LOGITS) {
            candidates.add(new Candidate(score, scores(score, digitLogits), scores(score, outlierLogits)));
        }
        return candidates;
    }

    /** Measures every candidate and picks as described above. */
    public static OodCalibration choose(List<Candidate> candidates, double maxDigitRejection) {
        List<OodSeparation> separations = new ArrayList<>();
        for (Candidate candidate : candidates) {
            OodScore score = candidate.score();
            double[] digits = candidate.digits();
            double[] outliers = candidate.outliers();
            double threshold = thresholdRejectingAtMost(digits, maxDigitRejection);
            separations.add(new OodSeparation(score, Auroc.of(outliers, digits), threshold,
                    rejected(digits, threshold), rejected(outliers, threshold)));
        }
        separations.sort(Comparator.comparingDouble(OodSeparation::outliersRejected)
                .thenComparingDouble(OodSeparation::auroc).reversed());
        OodSeparation best = separations.get(0);
        return new OodCalibration(best.score(), best.threshold(), separations);
    }

    /** The score of each image from its logits (softmax taken here for {@link OodScore#MSP}). */
    public static double[] scores(OodScore score, float[][] logits) {
        double[] scores = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            scores[i] = score.of(score.needsLogits() ? null : softmax(logits[i]), logits[i]);
        }
        return scores;
    }

    /** The softmax of one image's logits, shifted by the largest so that exp never overflows. */
    public static float[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp(v - max);
        }
        float[] probabilities = new float[logits.length];
        for (int k = 0; k < logits.length; k++) {
            probabilities[k] = (float) (Math.exp(logits[k] - max) / sum);
        }
        return probabilities;
    }

    /**
     * The smallest threshold among the scores such that no more than {@code share} of them lie strictly above it:
     * with {@code k = floor(share * n)} allowed rejections, the {@code (k+1)}-th largest score.
     */
    public static double thresholdRejectingAtMost(double[] scores, double share) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("no scores to choose a threshold on");
        }
        if (!(share >= 0 && share < 1)) {
            throw new IllegalArgumentException("share must be in [0, 1): " + share);
        }
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        int allowed = (int) Math.floor(share * sorted.length);
        return sorted[sorted.length - 1 - allowed];
    }

    /** The share of {@code scores} strictly above {@code threshold}. */
    public static double rejected(double[] scores, double threshold) {
        if (scores.length == 0) {
            return Double.NaN;
        }
        long above = Arrays.stream(scores).filter(s -> s > threshold).count();
        return (double) above / scores.length;
    }

    /** The same measurements with {@code chosen} as the score, at the threshold measured for it. */
    public OodCalibration with(OodScore chosen) {
        OodSeparation separation = separations.stream().filter(s -> s.score() == chosen).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(chosen + " was not measured"));
        List<OodSeparation> reordered = new ArrayList<>(separations);
        reordered.remove(separation);
        reordered.add(0, separation);
        return new OodCalibration(chosen, separation.threshold(), reordered);
    }

    public OodSeparation chosen() {
        return separations.get(0);
    }

    /** The model metadata entries: {@value ModelMetadata#KEY_OOD_SCORE} and {@value ModelMetadata#KEY_OOD_THRESHOLD}. */
    public Map<String, String> metadata() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(ModelMetadata.KEY_OOD_SCORE, score.id());
        metadata.put(ModelMetadata.KEY_OOD_THRESHOLD, BigDecimal.valueOf(threshold).toPlainString());
        return metadata;
    }
}
