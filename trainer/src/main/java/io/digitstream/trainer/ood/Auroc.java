package io.digitstream.trainer.ood;

import java.util.Arrays;

/** The area under the ROC curve of a score that should be higher for positives than for negatives. */
public final class Auroc {

    private Auroc() {
    }

    /**
     * The probability that a random positive scores above a random negative, ties counting one half (the
     * Mann-Whitney U statistic over both counts): 1 separates perfectly, 0.5 is chance.
     */
    public static double of(double[] negatives, double[] positives) {
        if (negatives.length == 0 || positives.length == 0) {
            throw new IllegalArgumentException("AUROC needs negatives and positives: " + negatives.length + ", "
                    + positives.length);
        }
        int n = negatives.length + positives.length;
        double[] values = new double[n];
        boolean[] positive = new boolean[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            boolean pos = i >= negatives.length;
            values[i] = pos ? positives[i - negatives.length] : negatives[i];
            positive[i] = pos;
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        double positiveRankSum = 0;
        for (int start = 0; start < n; ) {
            int end = start;
            while (end + 1 < n && values[order[end + 1]] == values[order[start]]) {
                end++;
            }
            double meanRank = (start + end) / 2.0 + 1; // ranks from 1; a run of ties shares its mean rank
            for (int k = start; k <= end; k++) {
                if (positive[order[k]]) {
                    positiveRankSum += meanRank;
                }
            }
            start = end + 1;
        }
        double p = positives.length;
        return (positiveRankSum - p * (p + 1) / 2) / (p * negatives.length);
    }
}
