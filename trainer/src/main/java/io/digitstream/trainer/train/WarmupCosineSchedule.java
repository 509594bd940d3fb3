package io.digitstream.trainer.train;

import ai.djl.training.tracker.Tracker;

/**
 * Learning rate rising linearly to {@code peak} over {@code warmupUpdates}, then falling along a half cosine to
 * {@code peak * finalFraction} at {@code totalUpdates}. The warm-up keeps Adam's first, badly-estimated steps small;
 * the decay lets the last epochs settle into a minimum instead of bouncing around it.
 */
public record WarmupCosineSchedule(float peak, int warmupUpdates, int totalUpdates, float finalFraction)
        implements Tracker {

    public WarmupCosineSchedule {
        if (warmupUpdates < 0 || totalUpdates <= warmupUpdates) {
            throw new IllegalArgumentException("need 0 <= warmupUpdates < totalUpdates: " + warmupUpdates + ", "
                    + totalUpdates);
        }
    }

    @Override
    public float getNewValue(int numUpdate) {
        if (numUpdate < warmupUpdates) {
            return peak * (numUpdate + 1) / warmupUpdates;
        }
        double progress = Math.min(1.0, (double) (numUpdate - warmupUpdates) / (totalUpdates - warmupUpdates));
        double floor = peak * finalFraction;
        return (float) (floor + (peak - floor) * (1 + Math.cos(Math.PI * progress)) / 2);
    }
}
