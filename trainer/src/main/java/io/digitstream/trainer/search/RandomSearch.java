package io.digitstream.trainer.search;

import io.digitstream.trainer.model.Hyperparameters;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Trains {@code trials} distinct seeded samples of the space, each for the same number of epochs. */
public final class RandomSearch implements SearchStrategy {

    private final SearchSpace space;
    private final int trials;
    private final int epochs;
    private final long seed;

    public RandomSearch(SearchSpace space, int trials, int epochs, long seed) {
        if (trials < 1 || trials > space.size()) {
            throw new IllegalArgumentException("trials must be in 1.." + space.size() + ": " + trials);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be positive: " + epochs);
        }
        this.space = space;
        this.trials = trials;
        this.epochs = epochs;
        this.seed = seed;
    }

    @Override
    public String description() {
        return "random(trials=" + trials + ", epochs=" + epochs + ", seed=" + seed + ")";
    }

    @Override
    public int plannedTrials() {
        return trials;
    }

    @Override
    public SearchResult run(TrialRunner runner, Consumer<Trial> progress) {
        List<Trial> done = new ArrayList<>(trials);
        for (Hyperparameters hp : space.sample(trials, seed)) {
            TrialOutcome outcome = runner.run(hp, epochs);
            Trial trial = new Trial(done.size() + 1, hp, epochs, 0, outcome.validationAccuracy(), outcome.seconds());
            done.add(trial);
            progress.accept(trial);
        }
        return new SearchResult(description(), done);
    }
}
