package io.digitstream.trainer.search;

import java.util.Comparator;
import java.util.List;

/**
 * Every trial of a search in run order, and the winner: the most accurate trial of the last rung, since
 * accuracies after different epoch budgets are not comparable. Ties go to the earlier trial.
 */
public record SearchResult(String strategy, List<Trial> trials) {

    public SearchResult {
        trials = List.copyOf(trials);
        if (trials.isEmpty()) {
            throw new IllegalArgumentException("a search result needs at least one trial");
        }
    }

    public Trial best() {
        int lastRung = trials.stream().mapToInt(Trial::rung).max().orElseThrow();
        return trials.stream()
                .filter(t -> t.rung() == lastRung)
                .max(Comparator.comparingDouble(Trial::validationAccuracy).thenComparing(Trial::id, Comparator.reverseOrder()))
                .orElseThrow();
    }

    public double totalSeconds() {
        return trials.stream().mapToDouble(Trial::seconds).sum();
    }

    public int totalEpochs() {
        return trials.stream().mapToInt(Trial::epochs).sum();
    }
}
