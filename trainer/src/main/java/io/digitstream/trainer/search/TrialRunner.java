package io.digitstream.trainer.search;

import io.digitstream.trainer.model.Hyperparameters;

/** Trains one configuration from scratch for a number of epochs and says how well it validated. */
@FunctionalInterface
public interface TrialRunner {

    TrialOutcome run(Hyperparameters hyperparameters, int epochs);
}
