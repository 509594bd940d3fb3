package io.digitstream.trainer.export;

import static io.digitstream.contract.DigitShape.CLASSES;

import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.model.CheckDigit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Chooses the labelled images a model file carries for its self-check. */
public final class CheckDigitPicker {

    private CheckDigitPicker() {
    }

    /**
     * For each digit, the image the model classifies correctly with the highest probability (the first on ties):
     * such an image flips only when the served model or its input path is broken, never through float rounding.
     * A digit the model never gets right is left out.
     *
     * @param probabilities the model's probabilities for {@code data}, one row per image
     */
    public static List<CheckDigit> mostConfident(MnistDataset data, float[][] probabilities) {
        if (probabilities.length != data.size()) {
            throw new IllegalArgumentException(probabilities.length + " rows of probabilities for " + data.size()
                    + " images");
        }
        int[] best = new int[CLASSES];
        Arrays.fill(best, -1);
        for (int i = 0; i < data.size(); i++) {
            int label = data.label(i);
            float p = probabilities[i][label];
            if (isArgmax(probabilities[i], label) && (best[label] < 0 || p > probabilities[best[label]][label])) {
                best[label] = i;
            }
        }
        int n = data.pixelsPerImage();
        List<CheckDigit> digits = new ArrayList<>();
        for (int d = 0; d < CLASSES; d++) {
            if (best[d] >= 0) {
                digits.add(new CheckDigit(d, Arrays.copyOfRange(data.images(), best[d] * n, (best[d] + 1) * n)));
            }
        }
        return digits;
    }

    private static boolean isArgmax(float[] row, int label) {
        for (int c = 0; c < row.length; c++) {
            if (row[c] > row[label]) {
                return false;
            }
        }
        return true;
    }
}
