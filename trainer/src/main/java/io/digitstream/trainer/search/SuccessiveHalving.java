package io.digitstream.trainer.search;

import io.digitstream.trainer.model.Hyperparameters;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Successive halving, the inner loop of Hyperband: train {@code configs} seeded samples for {@code minEpochs},
 * keep the best {@code 1/eta} of them, multiply the epochs by {@code eta} (capped at {@code maxEpochs}) and repeat
 * until one configuration remains or a rung has trained for {@code maxEpochs}. Each rung retrains from scratch,
 * so a {@link TrialRunner} needs no checkpoints.
 */
public final class SuccessiveHalving implements SearchStrategy {

    private final SearchSpace space;
    private final int configs;
    private final int minEpochs;
    private final int maxEpochs;
    private final int eta;
    private final long seed;

    public SuccessiveHalving(SearchSpace space, int configs, int minEpochs, int maxEpochs, int eta, long seed) {
        if (configs < 1 || configs > space.size()) {
            throw new IllegalArgumentException("configs must be in 1.." + space.size() + ": " + configs);
        }
        if (minEpochs < 1 || maxEpochs < minEpochs) {
            throw new IllegalArgumentException("need 1 <= minEpochs <= maxEpochs: " + minEpochs + ", " + maxEpochs);
        }
        if (eta < 2) {
            throw new IllegalArgumentException("eta must be at least 2: " + eta);
        }
        this.space = space;
        this.configs = configs;
        this.minEpochs = minEpochs;
        this.maxEpochs = maxEpochs;
        this.eta = eta;
        this.seed = seed;
    }

    @Override
    public String description() {
        return "successive-halving(configs=" + configs + ", epochs=" + minEpochs + ".." + maxEpochs
                + ", eta=" + eta + ", seed=" + seed + ")";
    }

    /** Size and epochs of each rung, in order: the schedule {@link #run} follows. */
    public List<Rung> schedule() {
        List<Rung> rungs = new ArrayList<>();
        int size = configs;
        int epochs = minEpochs;
        while (true) {
            rungs.add(new Rung(rungs.size(), size, epochs));
            if (size == 1 || epochs >= maxEpochs) {
                return rungs;
            }
            size = Math.max(1, size / eta);
            epochs = (int) Math.min(maxEpochs, (long) epochs * eta);
        }
    }

    @Override
    public int plannedTrials() {
        return schedule().stream().mapToInt(Rung::configs).sum();
    }

    @Override
    public SearchResult run(TrialRunner runner, Consumer<Trial> progress) {
        List<Trial> done = new ArrayList<>();
        List<Hyperparameters> candidates = space.sample(configs, seed);
        for (Rung rung : schedule()) {
            candidates = candidates.subList(0, rung.configs());
            List<Trial> results = new ArrayList<>(candidates.size());
            for (Hyperparameters hp : candidates) {
                TrialOutcome outcome = runner.run(hp, rung.epochs());
                Trial trial = new Trial(done.size() + 1, hp, rung.epochs(), rung.index(),
                        outcome.validationAccuracy(), outcome.seconds());
                done.add(trial);
                results.add(trial);
                progress.accept(trial);
            }
            // the next rung takes a prefix of this ranking: best first, ties to the earlier trial
            candidates = results.stream()
                    .sorted(Comparator.comparingDouble(Trial::validationAccuracy).reversed()
                            .thenComparingInt(Trial::id))
                    .map(Trial::hyperparameters)
                    .toList();
        }
        return new SearchResult(description(), done);
    }

    /** One stage of the schedule: {@code configs} configurations trained for {@code epochs} each. */
    public record Rung(int index, int configs, int epochs) {
    }
}
