package io.digitstream.trainer.train;

import io.digitstream.trainer.data.AffineAugmentation;
import java.util.Objects;

/**
 * How to train, as opposed to what to train ({@link io.digitstream.trainer.model.Hyperparameters}).
 *
 * @param epochs           passes over the training set
 * @param batchSize        images per optimizer step
 * @param seed             seeds weight init, dropout, shuffling, augmentation and outliers: the same seed repeats a run
 * @param augmentation     random affine ranges, {@link AffineAugmentation#NONE} for none
 * @param showProgress     a progress bar per epoch on stderr
 * @param outlierExposure  synthetic non-digits mixed into every batch, {@link OutlierExposure#NONE} for none
 */
public record TrainingOptions(int epochs, int batchSize, long seed, AffineAugmentation augmentation,
                              boolean showProgress, OutlierExposure outlierExposure) {

    public TrainingOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1: " + epochs);
        }
        if (batchSize < 2) {
            throw new IllegalArgumentException("batchSize must be >= 2 (batch norm needs two images): " + batchSize);
        }
        Objects.requireNonNull(augmentation, "augmentation");
        Objects.requireNonNull(outlierExposure, "outlierExposure");
    }

    /** Without outlier exposure. */
    public TrainingOptions(int epochs, int batchSize, long seed, AffineAugmentation augmentation, boolean showProgress) {
        this(epochs, batchSize, seed, augmentation, showProgress, OutlierExposure.NONE);
    }

    public TrainingOptions withEpochs(int newEpochs) {
        return new TrainingOptions(newEpochs, batchSize, seed, augmentation, showProgress, outlierExposure);
    }

    public TrainingOptions withSeed(long newSeed) {
        return new TrainingOptions(epochs, batchSize, newSeed, augmentation, showProgress, outlierExposure);
    }

    public TrainingOptions withProgress(boolean show) {
        return new TrainingOptions(epochs, batchSize, seed, augmentation, show, outlierExposure);
    }

    public TrainingOptions withOutlierExposure(OutlierExposure exposure) {
        return new TrainingOptions(epochs, batchSize, seed, augmentation, showProgress, exposure);
    }
}
