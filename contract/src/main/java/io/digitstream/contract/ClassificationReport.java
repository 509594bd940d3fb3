package io.digitstream.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Per-class precision, recall, F1 and support with accuracy and macro/weighted averages of a {@link ConfusionMatrix},
 * computed as scikit-learn's {@code classification_report(y, p, labels=range(classes), zero_division=0)} does: the
 * trainer's report and model card, and the summaries of {@code tail} and {@code demo}.
 */
public record ClassificationReport(
        List<ClassMetrics> perClass,
        double accuracy,
        ClassMetrics macroAverage,
        ClassMetrics weightedAverage) {

    public ClassificationReport {
        perClass = List.copyOf(perClass);
    }

    /** One row of the report; {@code label} is the class index as text, or the name of an average. */
    public record ClassMetrics(String label, double precision, double recall, double f1, long support) {
    }

    public static ClassificationReport from(ConfusionMatrix matrix) {
        List<ClassMetrics> rows = new ArrayList<>(matrix.classes());
        for (int c = 0; c < matrix.classes(); c++) {
            rows.add(new ClassMetrics(Integer.toString(c), matrix.precision(c), matrix.recall(c), matrix.f1(c),
                    matrix.actualTotal(c)));
        }
        long total = matrix.total();
        ClassMetrics macro = new ClassMetrics("macro avg",
                rows.stream().mapToDouble(ClassMetrics::precision).average().orElse(0),
                rows.stream().mapToDouble(ClassMetrics::recall).average().orElse(0),
                rows.stream().mapToDouble(ClassMetrics::f1).average().orElse(0),
                total);
        ClassMetrics weighted = new ClassMetrics("weighted avg",
                weightedMean(rows, ClassMetrics::precision, total),
                weightedMean(rows, ClassMetrics::recall, total),
                weightedMean(rows, ClassMetrics::f1, total),
                total);
        return new ClassificationReport(rows, matrix.accuracy(), macro, weighted);
    }

    /** Same as {@link #toText(int)} with 4 digits, enough to tell 98.80% from 98.84%. */
    public String toText() {
        return toText(4);
    }

    /** The report laid out character for character like scikit-learn's text report with {@code digits} decimals. */
    public String toText(int digits) {
        int width = "weighted avg".length();
        for (ClassMetrics row : perClass) {
            width = Math.max(width, row.label().length());
        }
        width = Math.max(width, digits);
        String number = "%9." + digits + "f";
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%" + width + "s  %9s %9s %9s %9s\n\n",
                "", "precision", "recall", "f1-score", "support"));
        for (ClassMetrics row : perClass) {
            appendRow(out, row, width, number);
        }
        out.append(String.format(Locale.ROOT, "\n%" + width + "s  %9s %9s " + number + " %9d\n",
                "accuracy", "", "", accuracy, macroAverage.support()));
        appendRow(out, macroAverage, width, number);
        appendRow(out, weightedAverage, width, number);
        return out.toString();
    }

    private static void appendRow(StringBuilder out, ClassMetrics row, int width, String number) {
        out.append(String.format(Locale.ROOT, "%" + width + "s  " + number + " " + number + " " + number + " %9d\n",
                row.label(), row.precision(), row.recall(), row.f1(), row.support()));
    }

    private static double weightedMean(List<ClassMetrics> rows, ToDoubleFunction<ClassMetrics> metric,
                                       long total) {
        if (total == 0) {
            return 0;
        }
        return rows.stream().mapToDouble(r -> metric.applyAsDouble(r) * r.support()).sum() / total;
    }
}
