package io.digitstream.classifier;

import io.digitstream.core.model.Prediction;

/** What the topology needs from a model: one prediction per preprocessed image, and the model's version. */
public interface DigitClassifier {

    /** Classifies 784 preprocessed pixels (28x28, row-major, 0..1). Must be thread-safe. */
    Prediction classify(float[] pixels);

    /** Written into every prediction, so results can be traced to the model that made them. */
    String modelVersion();
}
