package io.digitstream.contract;

import java.util.Arrays;

/** Counts of (true label, predicted label) pairs; row = truth, column = prediction, as scikit-learn lays it out. */
public final class ConfusionMatrix {

    private final int[][] counts;

    private ConfusionMatrix(int[][] counts) {
        this.counts = counts;
    }

    /** The 10x10 matrix of digit labels against digit predictions. */
    public static ConfusionMatrix ofDigits(int[] labels, int[] predictions) {
        return of(labels, predictions, 10);
    }

    /** A matrix from counts already tallied elsewhere (a stream's running counts): row = truth, column = prediction. */
    public static ConfusionMatrix fromCounts(int[][] counts) {
        int[][] copy = new int[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            if (counts[i].length != counts.length) {
                throw new IllegalArgumentException("a confusion matrix is square: row " + i + " has "
                        + counts[i].length + " of " + counts.length + " columns");
            }
            copy[i] = counts[i].clone();
        }
        return new ConfusionMatrix(copy);
    }

    public static ConfusionMatrix of(int[] labels, int[] predictions, int classes) {
        if (labels.length != predictions.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + predictions.length + " predictions");
        }
        int[][] counts = new int[classes][classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes || predictions[i] < 0 || predictions[i] >= classes) {
                throw new IllegalArgumentException("class out of 0.." + (classes - 1) + " at " + i + ": "
                        + labels[i] + " -> " + predictions[i]);
            }
            counts[labels[i]][predictions[i]]++;
        }
        return new ConfusionMatrix(counts);
    }

    public int classes() {
        return counts.length;
    }

    public int count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /** How many examples have true label {@code actual} (scikit-learn's "support"). */
    public int actualTotal(int actual) {
        return Arrays.stream(counts[actual]).sum();
    }

    public int predictedTotal(int predicted) {
        int sum = 0;
        for (int[] row : counts) {
            sum += row[predicted];
        }
        return sum;
    }

    public int total() {
        return Arrays.stream(counts).flatMapToInt(Arrays::stream).sum();
    }

    public int correct() {
        int sum = 0;
        for (int c = 0; c < counts.length; c++) {
            sum += counts[c][c];
        }
        return sum;
    }

    public double accuracy() {
        int total = total();
        return total == 0 ? 0 : (double) correct() / total;
    }

    /** A copy of the counts, row = truth. */
    public int[][] toArray() {
        return Arrays.stream(counts).map(int[]::clone).toArray(int[][]::new);
    }

    /** The counts as a right-aligned text table with a header row of predictions, for terminals and logs. */
    public String toText() {
        int width = Math.max(4, Integer.toString(total()).length() + 1);
        StringBuilder out = new StringBuilder(String.format("%" + width + "s", ""));
        for (int p = 0; p < classes(); p++) {
            out.append(String.format("%" + width + "d", p));
        }
        out.append('\n');
        for (int a = 0; a < classes(); a++) {
            out.append(String.format("%" + width + "d", a));
            for (int p = 0; p < classes(); p++) {
                out.append(String.format("%" + width + "d", counts[a][p]));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
