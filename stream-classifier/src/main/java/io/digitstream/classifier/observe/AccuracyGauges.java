package io.digitstream.classifier.observe;

import io.digitstream.classifier.event.ConfusionCounts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Running accuracy per model version as gauges, read from the confusion matrices the topology keeps in its state
 * stores. Gauges, not counters: they mirror state that survives restarts and reprocessing, so they stay equal to
 * the {@code digits.accuracy} topic rather than counting a record twice after an aborted transaction. Each model
 * version's aggregates live in one partition, and an instance exports them only while its task of that partition runs:
 * the task {@link #release releases} them when it is closed (revoked in a rebalance), so a sum over instances counts
 * each prediction once.
 */
final class AccuracyGauges {

    static final String CUMULATIVE = "cumulative";
    static final String LAST_WINDOW = "last_window";

    private final MeterRegistry registry;
    private final Map<String, ModelAccuracy> byVersion = new ConcurrentHashMap<>();

    AccuracyGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    void cumulative(String modelVersion, ConfusionCounts counts) {
        ModelAccuracy accuracy = forVersion(modelVersion);
        accuracy.cumulative = counts;
        accuracy.registerCells(counts);
    }

    /** Updates of older windows (late labels) leave the gauges on the newest window. */
    void window(String modelVersion, long windowStartMillis, ConfusionCounts counts) {
        ModelAccuracy accuracy = forVersion(modelVersion);
        synchronized (accuracy) {
            if (windowStartMillis >= accuracy.lastWindowStart) {
                accuracy.lastWindowStart = windowStartMillis;
                accuracy.lastWindow = counts;
            }
        }
    }

    /** Removes every gauge of {@code modelVersion}: this instance no longer holds its counts. */
    void release(String modelVersion) {
        ModelAccuracy accuracy = byVersion.remove(modelVersion);
        if (accuracy != null) {
            accuracy.removeMeters();
        }
    }

    private ModelAccuracy forVersion(String modelVersion) {
        return byVersion.computeIfAbsent(modelVersion, ModelAccuracy::new);
    }

    private static long total(ConfusionCounts counts) {
        long total = 0;
        for (long c : counts.counts()) {
            total += c;
        }
        return total;
    }

    private static double accuracy(ConfusionCounts counts) {
        long total = total(counts);
        long correct = 0;
        for (int d = 0; d < ConfusionCounts.DIGITS; d++) {
            correct += counts.count(d, d);
        }
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    private final class ModelAccuracy {

        private final String version;
        private final boolean[] cellRegistered = new boolean[ConfusionCounts.DIGITS * ConfusionCounts.DIGITS];
        private final List<Meter> meters = new ArrayList<>();
        private volatile ConfusionCounts cumulative = ConfusionCounts.empty();
        private volatile ConfusionCounts lastWindow = ConfusionCounts.empty();
        private volatile long lastWindowStart = Long.MIN_VALUE;

        ModelAccuracy(String version) {
            this.version = version;
            for (String scope : new String[] {CUMULATIVE, LAST_WINDOW}) {
                Tags tags = Tags.of("model_version", version, "scope", scope);
                boolean cumulativeScope = scope.equals(CUMULATIVE);
                meters.add(Gauge.builder("digits.accuracy", () -> accuracy(cumulativeScope ? cumulative : lastWindow))
                        .description("Share of labelled predictions that were correct, since the start of the "
                                + "accuracy state (cumulative) or in the newest tumbling window (last_window)")
                        .baseUnit("ratio").tags(tags).register(registry));
                meters.add(Gauge.builder("digits.accuracy.labelled",
                                () -> total(cumulativeScope ? cumulative : lastWindow))
                        .description("Labelled predictions behind digits_accuracy_ratio, by scope")
                        .tags(tags).register(registry));
            }
            meters.add(Gauge.builder("digits.accuracy.window.start", () -> lastWindowStart == Long.MIN_VALUE
                            ? Double.NaN : lastWindowStart / 1000.0)
                    .description("Start of the newest accuracy window, seconds since the epoch")
                    .baseUnit("seconds").tags("model_version", version).register(registry));
        }

        synchronized void removeMeters() {
            meters.forEach(registry::remove);
            meters.clear();
        }

        /** One series per (label, predicted) pair that has occurred: at most 100 per model version. */
        synchronized void registerCells(ConfusionCounts counts) {
            for (int label = 0; label < ConfusionCounts.DIGITS; label++) {
                for (int predicted = 0; predicted < ConfusionCounts.DIGITS; predicted++) {
                    int cell = label * ConfusionCounts.DIGITS + predicted;
                    if (!cellRegistered[cell] && counts.count(label, predicted) > 0) {
                        cellRegistered[cell] = true;
                        int l = label;
                        int p = predicted;
                        meters.add(Gauge.builder("digits.labelled.predictions", () -> cumulative.count(l, p))
                                .description("Labelled predictions by true label and predicted digit: the "
                                        + "cumulative confusion matrix")
                                .tags("model_version", version, "label", Integer.toString(label),
                                        "predicted", Integer.toString(predicted))
                                .register(registry));
                    }
                }
            }
        }
    }
}
