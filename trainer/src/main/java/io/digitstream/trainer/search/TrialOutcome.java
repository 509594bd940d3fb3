package io.digitstream.trainer.search;

/** What one training run reported back to the search. */
public record TrialOutcome(double validationAccuracy, double seconds) {

    public TrialOutcome {
        if (!(validationAccuracy >= 0 && validationAccuracy <= 1)) {
            throw new IllegalArgumentException("validationAccuracy must be in [0, 1]: " + validationAccuracy);
        }
    }
}
