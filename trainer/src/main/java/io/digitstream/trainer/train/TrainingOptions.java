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
 * @param scanDamage       share of the training digits damaged anew every epoch like scans
 *                         ({@link io.digitstream.trainer.data.ScanDamageAugmenter}), 0 for none
 */
public record TrainingOptions(int epochs, int batchSize, long seed, AffineAugmentation augmentation,
                              boolean showProgress, OutlierExposure outlierExposure, double scanDamage) {

    public TrainingOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1: " + epochs);
        }
        if (batchSize < 2) {
            throw new IllegalArgumentException("batchSize must be >= 2 (batch norm needs two images): " + batchSize);
        }
        Objects.requireNonNull(augmentation, "augmentation");
        Objects.requireNonNull(outlierExposure, "outlierExposure");
        if (!(scanDamage >= 0 && scanDamage <= 1)) {
            throw new IllegalArgumentException("scanDamage must be in 0..1: " + scanDamage);
        }
    }

    /** Without outlier exposure. */
    public TrainingOptions(int epochs, int batchSize, long seed, AffineAugmentation augmentation, boolean showProgress) {
        this(epochs, batchSize, seed, augmentation, showProgress, OutlierExposure.NONE, 0);
    }

    public TrainingOptions withEpochs(int newEpochs) {
        return new TrainingOptions(newEpochs, batchSize, seed, augmentation, showProgress, outlierExposure, scanDamage);
    }

    public TrainingOptions withSeed(long newSeed) {
        return new TrainingOptions(epochs, batchSize, newSeed, augmentation, showProgress, outlierExposure, scanDamage);
    }

    public TrainingOptions withProgress(boolean show) {
        return new TrainingOptions(epochs, batchSize, seed, augmentation, show, outlierExposure, scanDamage);
    }

    public TrainingOptions withOutlierExposure(OutlierExposure exposure) {
        return new TrainingOptions(epochs, batchSize, seed, augmentation, showProgress, exposure, scanDamage);
    }

    public TrainingOptions withScanDamage(double share) {
        return new TrainingOptions(epochs, batchSize, seed, augmentation, showProgress, outlierExposure, share);
    }
}
