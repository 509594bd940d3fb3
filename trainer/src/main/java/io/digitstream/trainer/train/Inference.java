package io.digitstream.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.digitstream.contract.DigitShape;
import io.digitstream.trainer.data.BatchPlan;
import io.digitstream.trainer.data.DigitArrays;

/**
 * Runs a trained block in inference mode (dropout off, batch norm on its running statistics). Gradients are off
 * because DJL's PyTorch engine only records them inside a GradientCollector; batches stay at 128 images so the
 * activations of a large data set never sit in memory at once.
 */
final class Inference {

    static final int BATCH = 128;

    /** Mean cross-entropy and accuracy over a data set. */
    record Scores(double loss, double accuracy) {
    }

    private Inference() {
    }

    /** Log-probabilities, {@code 10} per image, image after image. */
    static float[] logProbabilities(Block block, NDManager parent, DigitArrays data) {
        return outputs(block, parent, data, true);
    }

    /** The network's outputs before the softmax, {@code 10} per image, image after image. */
    static float[] logits(Block block, NDManager parent, DigitArrays data) {
        return outputs(block, parent, data, false);
    }

    private static float[] outputs(Block block, NDManager parent, DigitArrays data, boolean logSoftmax) {
        float[] out = new float[data.size() * DigitShape.CLASSES];
        int offset = 0;
        for (int[] batch : BatchPlan.sequential(data.size(), BATCH)) {
            try (NDManager manager = parent.newSubManager()) {
                NDArray logits = block.forward(new ParameterStore(manager, false),
                        new NDList(data.pixels(manager, batch)), false).singletonOrThrow();
                float[] values = (logSoftmax ? logits.logSoftmax(1) : logits).toFloatArray();
                System.arraycopy(values, 0, out, offset, values.length);
                offset += values.length;
            }
        }
        return out;
    }

    /** Mean cross-entropy and accuracy of log-probabilities against the labels of {@code data}. */
    static Scores scores(float[] logProbabilities, DigitArrays data) {
        if (data.size() == 0) {
            return new Scores(Double.NaN, Double.NaN);
        }
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < data.size(); i++) {
            int label = data.labels()[i];
            loss -= logProbabilities[i * DigitShape.CLASSES + label];
            if (argmax(logProbabilities, i * DigitShape.CLASSES) == label) {
                correct++;
            }
        }
        return new Scores(loss / data.size(), (double) correct / data.size());
    }

    static int argmax(float[] values, int offset) {
        int best = 0;
        for (int c = 1; c < DigitShape.CLASSES; c++) {
            if (values[offset + c] > values[offset + best]) {
                best = c;
            }
        }
        return best;
    }
}
