package io.digitstream.contract;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One record of the accuracy topic: the running accuracy of a model version, cumulative ({@code windowStart} and
 * {@code windowEnd} null, left out of the JSON) or over one tumbling window ({@code [windowStart, windowEnd)}, epoch
 * milliseconds). {@code confusion[label][predicted]}; precision, recall and F1 are per digit, and 0 where undefined
 * (no prediction of, or no label of, that digit), as scikit-learn's {@code zero_division=0}. The field order is the
 * JSON's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccuracyReport(String modelVersion, Long windowStart, Long windowEnd, long total, long correct,
                             double accuracy, long[][] confusion, double[] precision, double[] recall, double[] f1) {

    public static AccuracyReport of(String modelVersion, Long windowStart, Long windowEnd, ConfusionMatrix matrix) {
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
                matrix.accuracy(), matrix.toArray(), precision, recall, f1);
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
