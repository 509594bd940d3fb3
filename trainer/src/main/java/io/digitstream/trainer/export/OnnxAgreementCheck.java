package io.digitstream.trainer.export;

import io.digitstream.contract.DigitShape;
import io.digitstream.core.model.Prediction;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.model.OnnxDigitModel;
import io.digitstream.trainer.data.DigitArrays;
import io.digitstream.trainer.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs an exported file through ONNX Runtime ({@link OnnxDigitModel}, the serving path) and DJL on the same images:
 * any difference in the predicted digit means the export is wrong, whatever the accuracy says. The logits output, which
 * the not-a-digit scores are computed from, must match DJL's to {@value #MAX_LOGIT_DIFFERENCE} (relative to the logit,
 * absolute below 1).
 */
public final class OnnxAgreementCheck {

    public static final double REQUIRED_AGREEMENT = 0.9999;
    public static final double MAX_LOGIT_DIFFERENCE = 1e-3;
    private static final int BATCH = 256;
    private static final int ONNX_THREADS = 2;

    /**
     * @param agreement                fraction of images with the same predicted digit
     * @param disagreements            indices of the images where the digits differ
     * @param maxProbabilityDifference largest absolute difference of any class probability
     * @param maxLogitDifference       largest difference of any logit, relative to the logit where it exceeds 1 (NaN
     *                                 when the file has no logits output)
     */
    public record Result(int images, double agreement, List<Integer> disagreements, double maxProbabilityDifference,
                         double maxLogitDifference) {
        public Result {
            disagreements = List.copyOf(disagreements);
        }
    }

    private OnnxAgreementCheck() {
    }

    public static Result compare(Path onnxFile, TrainingResult trained, MnistDataset data) throws IOException {
        float[][] djl = trained.predict(data);
        float[][] onnx = new float[data.size()][];
        try (OnnxDigitModel model = OnnxDigitModel.load(onnxFile, ONNX_THREADS)) {
            float[] buffer = new float[BATCH * DigitShape.PIXELS];
            for (int from = 0; from < data.size(); from += BATCH) {
                int count = Math.min(BATCH, data.size() - from);
                for (int i = 0; i < count; i++) {
                    float[] image = data.normalizedImage(from + i);
                    System.arraycopy(image, 0, buffer, i * DigitShape.PIXELS, DigitShape.PIXELS);
                }
                System.arraycopy(model.probabilities(buffer, count), 0, onnx, from, count);
            }
        }
        List<Integer> disagreements = new ArrayList<>();
        double maxDifference = 0;
        for (int i = 0; i < data.size(); i++) {
            if (Prediction.mostProbableDigit(djl[i]) != Prediction.mostProbableDigit(onnx[i])) {
                disagreements.add(i);
            }
            for (int c = 0; c < djl[i].length; c++) {
                maxDifference = Math.max(maxDifference, Math.abs(djl[i][c] - onnx[i][c]));
            }
        }
        double agreement = data.size() == 0 ? 1.0 : 1.0 - (double) disagreements.size() / data.size();
        return new Result(data.size(), agreement, disagreements, maxDifference, maxLogitDifference(onnxFile, trained, data));
    }

    private static double maxLogitDifference(Path onnxFile, TrainingResult trained, MnistDataset data) throws IOException {
        try (OnnxModelOutputs model = OnnxModelOutputs.load(onnxFile, ONNX_THREADS)) {
            if (!model.hasLogits()) {
                return Double.NaN;
            }
            float[][] onnx = model.run(DigitArrays.from(data).pixels()).logits();
            float[][] djl = trained.logits(data);
            double max = 0;
            for (int i = 0; i < djl.length; i++) {
                for (int c = 0; c < djl[i].length; c++) {
                    max = Math.max(max, Math.abs(djl[i][c] - onnx[i][c]) / Math.max(1, Math.abs(djl[i][c])));
                }
            }
            return max;
        }
    }

    /**
     * {@link #compare} that fails unless at least {@value #REQUIRED_AGREEMENT} of the images agree and the logits, when
     * there are any, match.
     *
     * @throws IllegalStateException with the figures, when the export does not reproduce the trained model
     */
    public static Result verify(Path onnxFile, TrainingResult trained, MnistDataset data) throws IOException {
        Result result = compare(onnxFile, trained, data);
        if (result.agreement() < REQUIRED_AGREEMENT) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s disagrees with the trained model on %d of %d images (agreement %.5f < %.4f, max probability "
                            + "difference %.2e), first at %s",
                    onnxFile, result.disagreements().size(), result.images(), result.agreement(), REQUIRED_AGREEMENT,
                    result.maxProbabilityDifference(),
                    result.disagreements().subList(0, Math.min(10, result.disagreements().size()))));
        }
        if (result.maxLogitDifference() > MAX_LOGIT_DIFFERENCE) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s: ONNX Runtime's logits differ from the trained model's by up to %.2e (allowed %.0e)",
                    onnxFile, result.maxLogitDifference(), MAX_LOGIT_DIFFERENCE));
        }
        return result;
    }

}
