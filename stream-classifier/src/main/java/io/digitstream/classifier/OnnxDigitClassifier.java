package io.digitstream.classifier;

import io.digitstream.core.model.OnnxDigitModel;
import io.digitstream.core.model.Prediction;
import java.util.List;
import java.util.Objects;

/**
 * A {@link DigitClassifier} over one loaded {@link OnnxDigitModel}, shared by every stream thread and task (the model
 * is thread-safe). The caller owns the model and closes it after the Kafka Streams instance.
 */
public final class OnnxDigitClassifier implements DigitClassifier {

    private final OnnxDigitModel model;
    private final String modelVersion;
    private final double notDigitThreshold;

    public OnnxDigitClassifier(OnnxDigitModel model) {
        this.model = Objects.requireNonNull(model, "model");
        this.modelVersion = model.metadata().modelVersion();
        this.notDigitThreshold = model.metadata().oodThreshold();
    }

    @Override
    public Classification classify(float[] pixels) {
        return new Classification(model.predict(pixels), modelVersion, notDigitThreshold);
    }

    @Override
    public List<Classification> classifyAll(float[] pixels, int count) {
        List<Prediction> predictions = model.predictions(pixels, count);
        return predictions.stream().map(p -> new Classification(p, modelVersion, notDigitThreshold)).toList();
    }

    public String modelVersion() {
        return modelVersion;
    }
}
