package io.digitstream.trainer.model;

/**
 * One point of the CNN family. {@code filters}, {@code denseUnits} and {@code learningRate} are the axes the
 * Keras study tuned; {@code batchNorm} and {@code dropout} are what the best single MNIST CNNs add.
 */
public record Hyperparameters(int filters, int denseUnits, double learningRate, boolean batchNorm, double dropout) {

    public Hyperparameters {
        if (filters <= 0 || denseUnits <= 0) {
            throw new IllegalArgumentException("filters and denseUnits must be positive");
        }
        if (!(learningRate > 0 && learningRate < 1)) {
            throw new IllegalArgumentException("learningRate must be in (0, 1): " + learningRate);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1): " + dropout);
        }
    }
}
