package io.digitstream.trainer.train;

/** What one epoch of training measured; the report plots these per epoch. */
public record EpochMetrics(
        int epoch,
        double trainLoss,
        double trainAccuracy,
        double validationLoss,
        double validationAccuracy,
        double learningRate,
        double seconds) {
}
