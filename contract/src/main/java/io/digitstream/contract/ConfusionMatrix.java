package io.digitstream.contract;

import java.util.Arrays;
import java.util.Locale;

/**
 * Counts of (true label, predicted label) pairs; row = truth, column = prediction, as scikit-learn lays it out. The one
 * matrix of the project: the trainer's evaluation, the classifier's running accuracy (a state store value, the gauges,
 * {@link AccuracyReport}) and the tools' summaries all count with it. Immutable: {@link #add} returns a new matrix, so
 * an aggregation never changes a value a state store still holds, and a reader on another thread sees whole counts.
 */
public final class ConfusionMatrix {

    private final int classes;
    /** Row-major: {@code counts[actual * classes + predicted]}. */
    private final long[] counts;

    private ConfusionMatrix(int classes, long[] counts) {
        this.classes = classes;
        this.counts = counts;
    }

    /** No counts yet, for the ten digits. */
    public static ConfusionMatrix emptyDigits() {
        return empty(DigitShape.CLASSES);
    }

    public static ConfusionMatrix empty(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("a confusion matrix needs at least one class: " + classes);
        }
        return new ConfusionMatrix(classes, new long[classes * classes]);
    }

    /** The 10x10 matrix of digit labels against digit predictions. */
    public static ConfusionMatrix ofDigits(int[] labels, int[] predictions) {
        return of(labels, predictions, DigitShape.CLASSES);
    }

    public static ConfusionMatrix of(int[] labels, int[] predictions, int classes) {
        if (labels.length != predictions.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + predictions.length + " predictions");
        }
        long[] counts = new long[classes * classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes || predictions[i] < 0 || predictions[i] >= classes) {
                throw new IllegalArgumentException("class out of 0.." + (classes - 1) + " at " + i + ": "
                        + labels[i] + " -> " + predictions[i]);
            }
            counts[labels[i] * classes + predictions[i]]++;
        }
        return new ConfusionMatrix(classes, counts);
    }

    /** A matrix from counts tallied elsewhere (a state store, a JSON record): row = truth, column = prediction. */
    public static ConfusionMatrix fromCounts(long[][] counts) {
        int classes = counts.length;
        long[] flat = new long[classes * classes];
        for (int i = 0; i < classes; i++) {
            if (counts[i].length != classes) {
                throw new IllegalArgumentException("a confusion matrix is square: row " + i + " has "
                        + counts[i].length + " of " + classes + " columns");
            }
            for (int j = 0; j < classes; j++) {
                if (counts[i][j] < 0) {
                    throw new IllegalArgumentException("a count is never negative: " + counts[i][j] + " at row " + i
                            + ", column " + j);
                }
            }
            System.arraycopy(counts[i], 0, flat, i * classes, classes);
        }
        return new ConfusionMatrix(classes, flat);
    }

    /** This matrix with one more example of true label {@code actual} predicted as {@code predicted}. */
    public ConfusionMatrix add(int actual, int predicted) {
        if (actual < 0 || actual >= classes || predicted < 0 || predicted >= classes) {
            throw new IllegalArgumentException("class out of 0.." + (classes - 1) + ": " + actual + " -> " + predicted);
        }
        long[] next = counts.clone();
        next[actual * classes + predicted]++;
        return new ConfusionMatrix(classes, next);
    }

    public int classes() {
        return classes;
    }

    public long count(int actual, int predicted) {
        return counts[actual * classes + predicted];
    }

    /** How many examples have true label {@code actual} (scikit-learn's "support"). */
    public long actualTotal(int actual) {
        long sum = 0;
        for (int p = 0; p < classes; p++) {
            sum += count(actual, p);
        }
        return sum;
    }

    public long predictedTotal(int predicted) {
        long sum = 0;
        for (int a = 0; a < classes; a++) {
            sum += count(a, predicted);
        }
        return sum;
    }

    public long total() {
        return Arrays.stream(counts).sum();
    }

    public long correct() {
        long sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += count(c, c);
        }
        return sum;
    }

    /** Correct share of all examples; 0 for an empty matrix, as scikit-learn's {@code zero_division=0}. */
    public double accuracy() {
        return ratio(correct(), total());
    }

    /** Of the examples predicted as {@code c}, the share that are {@code c}; 0 when none was. */
    public double precision(int c) {
        return ratio(count(c, c), predictedTotal(c));
    }

    /** Of the examples of true label {@code c}, the share predicted as {@code c}; 0 when there is none. */
    public double recall(int c) {
        return ratio(count(c, c), actualTotal(c));
    }

    /** Harmonic mean of {@link #precision} and {@link #recall}; 0 when both are. */
    public double f1(int c) {
        double precision = precision(c);
        double recall = recall(c);
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    /** A copy of the counts, row = truth. */
    public long[][] toArray() {
        long[][] rows = new long[classes][];
        for (int a = 0; a < classes; a++) {
            rows[a] = Arrays.copyOfRange(counts, a * classes, (a + 1) * classes);
        }
        return rows;
    }

    /** The counts as a right-aligned text table with a header row of predictions, for terminals and logs. */
    public String toText() {
        int width = Math.max(4, Long.toString(total()).length() + 1);
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%" + width + "s", ""));
        for (int p = 0; p < classes; p++) {
            out.append(String.format(Locale.ROOT, "%" + width + "d", p));
        }
        out.append('\n');
        for (int a = 0; a < classes; a++) {
            out.append(String.format(Locale.ROOT, "%" + width + "d", a));
            for (int p = 0; p < classes; p++) {
                out.append(String.format(Locale.ROOT, "%" + width + "d", count(a, p)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix m && m.classes == classes && Arrays.equals(m.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * classes + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "ConfusionMatrix" + Arrays.deepToString(toArray());
    }
}
