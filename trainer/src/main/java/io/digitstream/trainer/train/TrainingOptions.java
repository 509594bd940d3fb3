package io.digitstream.trainer.train;

import io.digitstream.trainer.data.AffineAugmentation;
import java.util.Objects;

/**
 * How to train, as opposed to what to train ({@link io.digitstream.trainer.model.Hyperparameters}).
 *
 * @param epochs       passes over the training set
 * @param batchSize    images per optimizer step
 * @param seed         seeds weight init, dropout, shuffling and augmentation: the same seed repeats a run
 * @param augmentation random affine ranges, {@link AffineAugmentation#NONE} for none
 * @param showProgress a progress bar per epoch on stderr
 */
public record TrainingOptions(int epochs, int batchSize, long seed, AffineAugmentation augmentation,
                              boolean showProgress) {

    public TrainingOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1: " + epochs);
        }
        if (batchSize < 2) {
            throw new IllegalArgumentException("batchSize must be >= 2 (batch norm needs two images): " + batchSize);
        }
        Objects.requireNonNull(augmentation, "augmentation");
    }

    public TrainingOptions withEpochs(int newEpochs) {
        return new TrainingOptions(newEpochs, batchSize, seed, augmentation, showProgress);
    }

    public TrainingOptions withSeed(long newSeed) {
        return new TrainingOptions(epochs, batchSize, newSeed, augmentation, showProgress);
    }

    public TrainingOptions withProgress(boolean show) {
        return new TrainingOptions(epochs, batchSize, seed, augmentation, show);
    }
}
