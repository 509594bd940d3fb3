package io.digitstream.trainer.search;

import io.digitstream.trainer.model.Hyperparameters;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class SuccessiveHalvingTest {

    /** The Keras study's 27 points: filters x dense units x learning rate. */
    private static final SearchSpace STUDY_AXES = new SearchSpace(
            List.of(32, 64, 128), List.of(32, 64, 128), List.of(1e-2, 1e-3, 1e-4), List.of(true), List.of(0.4));

    @Test
    void rungsShrinkByEtaWhileEpochsGrowByEta() {
        SuccessiveHalving halving = new SuccessiveHalving(STUDY_AXES, 27, 1, 27, 3, 7);

        SearchResult result = halving.run(new SyntheticObjective(), t -> { });

        assertThat(halving.schedule()).containsExactly(
                new SuccessiveHalving.Rung(0, 27, 1), new SuccessiveHalving.Rung(1, 9, 3),
                new SuccessiveHalving.Rung(2, 3, 9), new SuccessiveHalving.Rung(3, 1, 27));
        assertThat(countsByRung(result)).containsExactly(27, 9, 3, 1);
        for (Trial t : result.trials()) {
            assertThat(t.epochs()).isEqualTo((int) Math.pow(3, t.rung()));
        }
        assertThat(result.trials()).hasSize(halving.plannedTrials()).hasSize(40);
        assertThat(result.totalEpochs()).isEqualTo(4 * 27);
    }

    @Test
    void eachRungPromotesTheBestThirdOfThePreviousOne() {
        SearchResult result = new SuccessiveHalving(STUDY_AXES, 27, 1, 27, 3, 7).run(new SyntheticObjective(), t -> { });

        for (int rung = 1; rung <= 3; rung++) {
            List<Trial> previous = rung(result, rung - 1);
            Set<Hyperparameters> expected = previous.stream()
                    .sorted(Comparator.comparingDouble(Trial::validationAccuracy).reversed())
                    .limit(previous.size() / 3)
                    .map(Trial::hyperparameters)
                    .collect(Collectors.toSet());
            assertThat(rung(result, rung)).extracting(Trial::hyperparameters)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void findsTheOptimumOfTheObjective() {
        Hyperparameters optimum = STUDY_AXES.points().stream()
                .max(Comparator.comparingDouble(SyntheticObjective::quality)).orElseThrow();

        SearchResult result = new SuccessiveHalving(STUDY_AXES, 27, 1, 27, 3, 7).run(new SyntheticObjective(), t -> { });

        assertThat(optimum).isEqualTo(new Hyperparameters(64, 128, 1e-3, true, 0.4));
        assertThat(result.best().hyperparameters()).isEqualTo(optimum);
        assertThat(result.best().rung()).isEqualTo(3);
        assertThat(result.best().epochs()).isEqualTo(27);
    }

    @Test
    void stopsAtMaxEpochsAndPicksTheBestOfTheLastRung() {
        SuccessiveHalving halving = new SuccessiveHalving(SearchSpace.study(), 10, 2, 6, 3, 3);
        List<Trial> seen = new ArrayList<>();

        SearchResult result = halving.run(new SyntheticObjective(), seen::add);

        // 10 configs at 2 epochs, floor(10/3) = 3 at 6 epochs; 6 is the cap, so no third rung
        assertThat(countsByRung(result)).containsExactly(10, 3);
        assertThat(rung(result, 1)).extracting(Trial::epochs).containsOnly(6);
        Trial bestOfLastRung = rung(result, 1).stream()
                .max(Comparator.comparingDouble(Trial::validationAccuracy)).orElseThrow();
        assertThat(result.best()).isEqualTo(bestOfLastRung);
        assertThat(seen).isEqualTo(result.trials());
    }

    @Test
    void theSameSeedRunsTheSameTrials() {
        SyntheticObjective first = new SyntheticObjective();
        SyntheticObjective second = new SyntheticObjective();

        new SuccessiveHalving(SearchSpace.study(), 12, 1, 8, 2, 21).run(first, t -> { });
        new SuccessiveHalving(SearchSpace.study(), 12, 1, 8, 2, 21).run(second, t -> { });

        assertThat(second.calls).isEqualTo(first.calls).hasSize(12 + 6 + 3 + 1);
    }

    private static List<Trial> rung(SearchResult result, int rung) {
        return result.trials().stream().filter(t -> t.rung() == rung).toList();
    }

    private static List<Integer> countsByRung(SearchResult result) {
        int last = result.trials().stream().mapToInt(Trial::rung).max().orElseThrow();
        List<Integer> counts = new ArrayList<>();
        for (int r = 0; r <= last; r++) {
            counts.add(rung(result, r).size());
        }
        return counts;
    }
}
