package io.digitstream.trainer.search;

import io.digitstream.trainer.model.Hyperparameters;

/**
 * One finished training run of a search. {@code id} counts from 1 in run order; {@code rung} is the successive
 * halving stage (always 0 for random search).
 */
public record Trial(
        int id,
        Hyperparameters hyperparameters,
        int epochs,
        int rung,
        double validationAccuracy,
        double seconds) {
}
