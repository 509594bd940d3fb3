package io.digitstream.classifier;

/** What the topology needs from a model: one prediction per preprocessed image, named by the model that made it. */
public interface DigitClassifier {

    /**
     * Classifies 784 preprocessed pixels (28x28, row-major, 0..1). Must be thread-safe. The prediction and the model
     * version come back together, so a model swapped in between cannot be credited with another model's answer.
     */
    Classification classify(float[] pixels);
}
