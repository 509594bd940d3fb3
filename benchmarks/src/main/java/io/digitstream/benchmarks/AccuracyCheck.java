package io.digitstream.benchmarks;

import io.digitstream.contract.AccuracyReport;
import io.digitstream.contract.ConfusionMatrix;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A model phase's accuracy as the classifier instances reported it, against the offline counts of the images sent
 * (warm-up and load): the last cumulative {@code digits.accuracy} record of the model version, and the cumulative
 * gauges of the instance that exports them.
 *
 * @param expectedAccepted   offline: the accepted labelled predictions by label and digit
 * @param expectedRejected   offline: the labelled predictions rejected as not-a-digit
 * @param record             the last cumulative record; empty when none came
 * @param gaugeLabelled      {@code digits_accuracy_labelled{scope="cumulative"}} of the version, the largest any
 *                           instance exported; NaN when none did
 * @param gaugeRejected      {@code digits_accuracy_rejected{scope="cumulative"}} the same way
 * @param exportingInstances the instances (numbered from 1) that exported those gauges: the one holding the version's
 *                           aggregate
 */
public record AccuracyCheck(String modelVersion, ConfusionMatrix expectedAccepted, long expectedRejected,
                            Optional<AccuracyReport> record, double gaugeLabelled, double gaugeRejected,
                            List<Integer> exportingInstances) {

    public AccuracyCheck {
        exportingInstances = List.copyOf(exportingInstances);
    }

    /** Whether the record counts exactly what the model gives offline: the whole confusion matrix and the rejected. */
    public boolean recordMatches() {
        if (record.isEmpty()) {
            return false;
        }
        AccuracyReport r = record.get();
        return r.total() == expectedAccepted.total() && r.correct() == expectedAccepted.correct()
                && r.rejected() == expectedRejected
                && ConfusionMatrix.fromCounts(r.confusion()).equals(expectedAccepted);
    }

    /** Whether an instance exported the cumulative gauges, with the offline counts. */
    public boolean gaugesMatch() {
        return !exportingInstances.isEmpty() && gaugeLabelled == expectedAccepted.total()
                && gaugeRejected == expectedRejected;
    }

    /** One line for the report. */
    public String summary() {
        String counted = record.map(r -> String.format(Locale.ROOT, "%,d accepted (%,d correct), %,d rejected",
                r.total(), r.correct(), r.rejected())).orElse("no record");
        return String.format(Locale.ROOT, "accuracy of %s: offline %,d accepted (%,d correct), %,d rejected; "
                        + "record %s: %s; gauges %s (exported by instance %s): %s",
                modelVersion, expectedAccepted.total(), expectedAccepted.correct(), expectedRejected, counted,
                recordMatches() ? "equal" : "**not equal**",
                Double.isNaN(gaugeLabelled) ? "-" : String.format(Locale.ROOT, "%,.0f accepted, %,.0f rejected",
                        gaugeLabelled, gaugeRejected),
                exportingInstances.isEmpty() ? "none" : exportingInstances.toString().replaceAll("[\\[\\]]", ""),
                gaugesMatch() ? "equal" : "**not equal**");
    }
}
