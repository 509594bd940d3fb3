package io.digitstream.benchmarks;

import java.util.Arrays;

/** Percentiles of a set of latencies in milliseconds (nearest rank). */
public record LatencySummary(int count, long p50, long p99, long max) {

    public static final LatencySummary NONE = new LatencySummary(0, 0, 0, 0);

    public static LatencySummary of(long[] millis) {
        if (millis.length == 0) {
            return NONE;
        }
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        return new LatencySummary(sorted.length, rank(sorted, 0.50), rank(sorted, 0.99), sorted[sorted.length - 1]);
    }

    private static long rank(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
