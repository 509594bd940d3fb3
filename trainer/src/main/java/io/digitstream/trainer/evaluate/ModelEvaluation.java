package io.digitstream.trainer.evaluate;

import io.digitstream.contract.ClassificationReport;
import io.digitstream.contract.ConfusionMatrix;
import io.digitstream.contract.DigitShape;
import io.digitstream.core.model.Prediction;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.model.OnnxDigitModel;

/**
 * An exported model's predictions on a labelled dataset, with the figures the CLI and the tests report.
 *
 * @param probabilities one row of ten class probabilities per image
 */
public record ModelEvaluation(int[] labels, int[] predictions, float[][] probabilities, double seconds) {

    /** Images per ONNX Runtime call: large enough to amortise the call, small enough to stay cache friendly. */
    private static final int BATCH = 128;

    /** Runs {@code model} over every image of {@code data}. */
    public static ModelEvaluation of(OnnxDigitModel model, MnistDataset data) {
        long start = System.nanoTime();
        int n = data.size();
        int[] labels = new int[n];
        int[] predictions = new int[n];
        float[][] probabilities = new float[n][];
        for (int from = 0; from < n; from += BATCH) {
            int count = Math.min(BATCH, n - from);
            float[] pixels = new float[count * DigitShape.PIXELS];
            for (int i = 0; i < count; i++) {
                System.arraycopy(data.normalizedImage(from + i), 0, pixels, i * DigitShape.PIXELS, DigitShape.PIXELS);
            }
            float[][] batch = model.probabilities(pixels, count);
            for (int i = 0; i < count; i++) {
                labels[from + i] = data.label(from + i);
                probabilities[from + i] = batch[i];
                predictions[from + i] = Prediction.mostProbableDigit(batch[i]);
            }
        }
        return new ModelEvaluation(labels, predictions, probabilities, (System.nanoTime() - start) / 1e9);
    }

    public ConfusionMatrix confusionMatrix() {
        return ConfusionMatrix.ofDigits(labels, predictions);
    }

    public ClassificationReport classificationReport() {
        return ClassificationReport.from(confusionMatrix());
    }

    public double accuracy() {
        return confusionMatrix().accuracy();
    }

}
