package io.digitstream.contract;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One record of the accuracy topic: the running accuracy of a model version, cumulative ({@code windowStart} and
 * {@code windowEnd} null, left out of the JSON) or over one tumbling window ({@code [windowStart, windowEnd)}, epoch
 * milliseconds). {@code confusion[label][predicted]}; precision, recall and F1 are per digit, and 0 where undefined
 * (no prediction of, or no label of, that digit), as scikit-learn's {@code zero_division=0}. Predictions rejected as
 * not-a-digit ({@link PredictionEvent#accepted()} false) are left out of all of these and counted apart in
 * {@code rejected}: how many labelled predictions, each of them a digit by its label, the classifier refused. The field
 * order is the JSON's; {@code rejected} was added later, and a record without it reads as 0.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccuracyReport(String modelVersion, Long windowStart, Long windowEnd, long total, long correct,
                             double accuracy, long[][] confusion, double[] precision, double[] recall, double[] f1,
                             long rejected) {

    /** The figures of {@code matrix}, with no rejected predictions. */
    public static AccuracyReport of(String modelVersion, Long windowStart, Long windowEnd, ConfusionMatrix matrix) {
        return of(modelVersion, windowStart, windowEnd, matrix, 0);
    }

    /**
     * @param matrix   the accepted labelled predictions
     * @param rejected the labelled predictions rejected as not-a-digit, which {@code matrix} does not hold
     */
    public static AccuracyReport of(String modelVersion, Long windowStart, Long windowEnd, ConfusionMatrix matrix,
                                    long rejected) {
        if (rejected < 0) {
            throw new IllegalArgumentException("a count is never negative: rejected " + rejected);
        }
        int n = matrix.classes();
        double[] precision = new double[n];
        double[] recall = new double[n];
        double[] f1 = new double[n];
        for (int d = 0; d < n; d++) {
            precision[d] = matrix.precision(d);
            recall[d] = matrix.recall(d);
            f1[d] = matrix.f1(d);
        }
        return new AccuracyReport(modelVersion, windowStart, windowEnd, matrix.total(), matrix.correct(),
                matrix.accuracy(), matrix.toArray(), precision, recall, f1, rejected);
    }

    /** @throws java.io.UncheckedIOException when Jackson cannot write it (not for any value of these types) */
    public static byte[] toJson(AccuracyReport report) {
        return EventJson.write(report);
    }

    /**
     * Unknown fields are ignored, so readers survive additions to the contract.
     *
     * @throws IllegalArgumentException when {@code json} is not an accuracy report
     */
    public static AccuracyReport fromJson(byte[] json) {
        return EventJson.read(json, AccuracyReport.class, "an accuracy report");
    }
}
