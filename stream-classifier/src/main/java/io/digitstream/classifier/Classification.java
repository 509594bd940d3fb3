package io.digitstream.classifier;

import io.digitstream.core.model.Prediction;
import java.util.Objects;

/**
 * One prediction, the version of the model that made it, and that model's not-a-digit threshold (its
 * {@code ood.threshold}; NaN when it has none): they come from one model, so a reload in between cannot mix them.
 */
public record Classification(Prediction prediction, String modelVersion, double modelNotDigitThreshold) {

    public Classification {
        Objects.requireNonNull(prediction, "prediction");
        Objects.requireNonNull(modelVersion, "modelVersion");
    }

    /** A classification by a model without a not-a-digit threshold. */
    public Classification(Prediction prediction, String modelVersion) {
        this(prediction, modelVersion, Double.NaN);
    }
}
