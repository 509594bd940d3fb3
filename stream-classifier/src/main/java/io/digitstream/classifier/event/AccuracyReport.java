package io.digitstream.classifier.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * One record of the accuracy topic: the running accuracy of a model version, cumulative ({@code windowStart} and
 * {@code windowEnd} null, left out of the JSON) or over one tumbling window ({@code [windowStart, windowEnd)}, epoch
 * milliseconds). {@code confusion[label][predicted]}; precision, recall and F1 are per digit, and 0 where undefined
 * (no prediction of, or no label of, that digit), as scikit-learn's {@code zero_division=0}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccuracyReport(String modelVersion, Long windowStart, Long windowEnd, long total, long correct,
                             double accuracy, long[][] confusion, double[] precision, double[] recall, double[] f1) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public static AccuracyReport of(String modelVersion, Long windowStart, Long windowEnd, ConfusionCounts counts) {
        int n = ConfusionCounts.DIGITS;
        long[][] confusion = new long[n][n];
        long[] labelled = new long[n];
        long[] predicted = new long[n];
        long total = 0;
        long correct = 0;
        for (int label = 0; label < n; label++) {
            for (int digit = 0; digit < n; digit++) {
                long c = counts.count(label, digit);
                confusion[label][digit] = c;
                labelled[label] += c;
                predicted[digit] += c;
                total += c;
            }
            correct += counts.count(label, label);
        }
        double[] precision = new double[n];
        double[] recall = new double[n];
        double[] f1 = new double[n];
        for (int d = 0; d < n; d++) {
            precision[d] = ratio(confusion[d][d], predicted[d]);
            recall[d] = ratio(confusion[d][d], labelled[d]);
            f1[d] = precision[d] + recall[d] == 0 ? 0 : 2 * precision[d] * recall[d] / (precision[d] + recall[d]);
        }
        return new AccuracyReport(modelVersion, windowStart, windowEnd, total, correct, ratio(correct, total),
                confusion, precision, recall, f1);
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    public static byte[] toJson(AccuracyReport report) {
        try {
            return JSON.writeValueAsBytes(report);
        } catch (IOException e) {
            throw new SerializationException("cannot write " + report, e);
        }
    }

    public static AccuracyReport fromJson(byte[] json) {
        try {
            return JSON.readValue(json, AccuracyReport.class);
        } catch (IOException e) {
            throw new SerializationException("not an accuracy report", e);
        }
    }
}
