package io.digitstream.classifier.event;

import io.digitstream.contract.AccuracyReport;
import io.digitstream.contract.ConfusionMatrix;
import io.digitstream.contract.PredictionEvent;
import java.util.Objects;

/**
 * What the accuracy state stores count per model version: the confusion matrix of the accepted labelled predictions,
 * and apart from it how many labelled predictions were rejected as not-a-digit. Immutable, like the matrix.
 */
public record AccuracyCounts(ConfusionMatrix matrix, long rejected) {

    public AccuracyCounts {
        Objects.requireNonNull(matrix, "matrix");
        if (rejected < 0) {
            throw new IllegalArgumentException("a count is never negative: rejected " + rejected);
        }
    }

    public static AccuracyCounts empty() {
        return new AccuracyCounts(ConfusionMatrix.emptyDigits(), 0);
    }

    /** These counts with one more labelled prediction: in the matrix when accepted, else counted as rejected. */
    public AccuracyCounts add(PredictionEvent labelled) {
        if (labelled.label() == null) {
            throw new IllegalArgumentException("only a labelled prediction is counted: " + labelled.id());
        }
        return labelled.accepted() ? new AccuracyCounts(matrix.add(labelled.label(), labelled.digit()), rejected)
                : new AccuracyCounts(matrix, rejected + 1);
    }

    /** These counts and {@code other}'s together: a delta merged into running counts. */
    public AccuracyCounts plus(AccuracyCounts other) {
        long[][] sum = matrix.toArray();
        long[][] more = other.matrix.toArray();
        if (sum.length != more.length) {
            throw new IllegalArgumentException(sum.length + " classes against " + more.length);
        }
        for (int label = 0; label < sum.length; label++) {
            for (int predicted = 0; predicted < sum.length; predicted++) {
                sum[label][predicted] += more[label][predicted];
            }
        }
        return new AccuracyCounts(ConfusionMatrix.fromCounts(sum), rejected + other.rejected);
    }

    public AccuracyReport report(String modelVersion, Long windowStart, Long windowEnd) {
        return AccuracyReport.of(modelVersion, windowStart, windowEnd, matrix, rejected);
    }
}
