package io.digitstream.classifier.observe;

import io.digitstream.contract.ConfusionMatrix;
import io.digitstream.contract.DigitShape;
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

    void cumulative(String modelVersion, ConfusionMatrix counts, long rejected) {
        ModelAccuracy accuracy = forVersion(modelVersion);
        accuracy.cumulativeRejected = rejected;
        accuracy.cumulative = counts;
        accuracy.registerCells(counts);
    }

    /** Updates of older windows (late labels) leave the gauges on the newest window. */
    void window(String modelVersion, long windowStartMillis, ConfusionMatrix counts, long rejected) {
        ModelAccuracy accuracy = forVersion(modelVersion);
        synchronized (accuracy) {
            if (windowStartMillis >= accuracy.lastWindowStart) {
                accuracy.lastWindowStart = windowStartMillis;
                accuracy.lastWindowRejected = rejected;
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

    /** NaN, not 0, before the first labelled prediction: Prometheus shows no value rather than a wrong one. */
    private static double accuracy(ConfusionMatrix counts) {
        return counts.total() == 0 ? Double.NaN : counts.accuracy();
    }

    private final class ModelAccuracy {

        private final String version;
        private final boolean[] cellRegistered = new boolean[DigitShape.CLASSES * DigitShape.CLASSES];
        private final List<Meter> meters = new ArrayList<>();
        private volatile ConfusionMatrix cumulative = ConfusionMatrix.emptyDigits();
        private volatile ConfusionMatrix lastWindow = ConfusionMatrix.emptyDigits();
        private volatile long lastWindowStart = Long.MIN_VALUE;
        private volatile long cumulativeRejected;
        private volatile long lastWindowRejected;

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
                                () -> (cumulativeScope ? cumulative : lastWindow).total())
                        .description("Labelled predictions behind digits_accuracy_ratio, by scope")
                        .tags(tags).register(registry));
                meters.add(Gauge.builder("digits.accuracy.rejected",
                                () -> cumulativeScope ? cumulativeRejected : lastWindowRejected)
                        .description("Labelled predictions rejected as not-a-digit, by scope: digits by their label "
                                + "that the classifier refused, left out of digits_accuracy_ratio")
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
        synchronized void registerCells(ConfusionMatrix counts) {
            for (int label = 0; label < DigitShape.CLASSES; label++) {
                for (int predicted = 0; predicted < DigitShape.CLASSES; predicted++) {
                    int cell = label * DigitShape.CLASSES + predicted;
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
