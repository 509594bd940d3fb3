package io.digitstream.trainer.robustness;

import java.util.Arrays;

/**
 * The area under the ROC curve of a score that should be higher for {@code positives} than for {@code negatives}:
 * the probability that a random positive outscores a random negative, ties counting one half (the Mann-Whitney U
 * statistic over the product of the two counts). 1 separates perfectly, 0.5 is chance.
 */
public final class Auroc {

    private Auroc() {
    }

    public static double of(double[] positives, double[] negatives) {
        if (positives.length == 0 || negatives.length == 0) {
            throw new IllegalArgumentException("AUROC needs at least one positive and one negative, got "
                    + positives.length + " and " + negatives.length);
        }
        double[] neg = negatives.clone();
        for (double n : neg) {
            if (Double.isNaN(n)) {
                throw new IllegalArgumentException("a score is NaN");
            }
        }
        Arrays.sort(neg);
        double wins = 0;
        for (double p : positives) {
            if (Double.isNaN(p)) {
                throw new IllegalArgumentException("a score is NaN");
            }
            int below = lowerBound(neg, p);
            int notAbove = upperBound(neg, p);
            wins += below + 0.5 * (notAbove - below);
        }
        return wins / ((double) positives.length * negatives.length);
    }

    /** The number of values strictly below {@code key}. */
    private static int lowerBound(double[] sorted, double key) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The number of values at or below {@code key}. */
    private static int upperBound(double[] sorted, double key) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
