package io.digitstream.classifier;

import io.digitstream.core.model.Prediction;
import java.util.Objects;

/** One prediction and the version of the model that made it. */
public record Classification(Prediction prediction, String modelVersion) {

    public Classification {
        Objects.requireNonNull(prediction, "prediction");
        Objects.requireNonNull(modelVersion, "modelVersion");
    }
}
