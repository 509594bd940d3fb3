package io.digitstream.trainer.search;

import io.digitstream.trainer.model.Hyperparameters;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RandomSearchTest {

    private static final SearchSpace SPACE = SearchSpace.study();

    @Test
    void trainsDistinctPointsOfTheSpaceForTheFixedEpochs() {
        SyntheticObjective objective = new SyntheticObjective();

        SearchResult result = new RandomSearch(SPACE, 20, 3, 11).run(objective, t -> { });

        assertThat(result.trials()).hasSize(20);
        assertThat(result.trials()).extracting(Trial::hyperparameters).allMatch(SPACE::contains).doesNotHaveDuplicates();
        assertThat(result.trials()).extracting(Trial::epochs).containsOnly(3);
        assertThat(result.trials()).extracting(Trial::rung).containsOnly(0);
        assertThat(result.trials()).extracting(Trial::id).containsExactly(
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20);
        assertThat(objective.calls).hasSize(20);
    }

    @Test
    void theSameSeedSamplesTheSameConfigurationsInTheSameOrder() {
        List<Hyperparameters> first = sampled(new RandomSearch(SPACE, 10, 1, 5));
        List<Hyperparameters> again = sampled(new RandomSearch(SPACE, 10, 1, 5));
        List<Hyperparameters> otherSeed = sampled(new RandomSearch(SPACE, 10, 1, 6));

        assertThat(again).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    @Test
    void bestIsTheMostAccurateOfTheSampledConfigurations() {
        SearchResult result = new RandomSearch(SPACE, 15, 2, 99).run(new SyntheticObjective(), t -> { });

        Hyperparameters expected = result.trials().stream()
                .map(Trial::hyperparameters)
                .max(Comparator.comparingDouble(SyntheticObjective::quality))
                .orElseThrow();
        assertThat(result.best().hyperparameters()).isEqualTo(expected);
        assertThat(result.best().validationAccuracy()).isEqualTo(SyntheticObjective.accuracy(expected, 2));
    }

    @Test
    void searchingTheWholeSpaceFindsTheOptimumAndReportsEveryTrialAsItFinishes() {
        List<Trial> seen = new ArrayList<>();

        SearchResult result = new RandomSearch(SPACE, SPACE.size(), 1, 1).run(new SyntheticObjective(), seen::add);

        assertThat(result.best().hyperparameters()).isEqualTo(SyntheticObjective.OPTIMUM);
        assertThat(seen).isEqualTo(result.trials());
        assertThat(result.totalEpochs()).isEqualTo(108);
    }

    @Test
    void rejectsMoreTrialsThanTheSpaceHolds() {
        assertThatThrownBy(() -> new RandomSearch(SPACE, 109, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Hyperparameters> sampled(RandomSearch search) {
        return search.run(new SyntheticObjective(), t -> { }).trials().stream().map(Trial::hyperparameters).toList();
    }
}
