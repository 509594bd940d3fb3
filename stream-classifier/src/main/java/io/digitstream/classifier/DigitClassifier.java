package io.digitstream.classifier;

import io.digitstream.contract.DigitShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What the topology needs from a model: one prediction per preprocessed image, named by the model that made it. */
public interface DigitClassifier {

    /**
     * Classifies 784 preprocessed pixels (28x28, row-major, 0..1). Must be thread-safe. The prediction and the model
     * version come back together, so a model swapped in between cannot be credited with another model's answer.
     */
    Classification classify(float[] pixels);

    /**
     * Classifies {@code count} images held in the first {@code count * 784} floats of {@code pixels}, all by the same
     * model. This default classifies them one by one; the ONNX classifiers run them in one call, which costs less per
     * image ({@link ClassifyProcessor} batches for that).
     */
    default List<Classification> classifyAll(float[] pixels, int count) {
        List<Classification> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            all.add(classify(Arrays.copyOfRange(pixels, i * DigitShape.PIXELS, (i + 1) * DigitShape.PIXELS)));
        }
        return all;
    }
}
