package io.digitstream.trainer.search;

import io.digitstream.trainer.model.Hyperparameters;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SearchSpaceTest {

    @Test
    void studySpaceHoldsTheKerasAxesTimesBatchNormAndDropout() {
        SearchSpace space = SearchSpace.study();

        assertThat(space.size()).isEqualTo(3 * 3 * 3 * 2 * 2);
        assertThat(space.points()).hasSize(108).doesNotHaveDuplicates().allMatch(space::contains);
        assertThat(space.contains(new Hyperparameters(64, 128, 1e-3, true, 0.25))).isTrue();
        assertThat(space.contains(new Hyperparameters(16, 128, 1e-3, true, 0.25))).isFalse();
    }

    @Test
    void samplingTheWholeSpaceIsAPermutationOfIt() {
        SearchSpace space = SearchSpace.study();

        List<Hyperparameters> sample = space.sample(space.size(), 3);

        assertThat(new HashSet<>(sample)).isEqualTo(new HashSet<>(space.points()));
        assertThat(sample).isNotEqualTo(space.points());
    }

    @Test
    void rejectsEmptyOrRepeatedAxesAndOversizedSamples() {
        assertThatThrownBy(() -> new SearchSpace(List.of(), List.of(32), List.of(1e-3), List.of(true), List.of(0.25)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("filters");
        assertThatThrownBy(() -> new SearchSpace(List.of(32, 32), List.of(32), List.of(1e-3), List.of(true), List.of(0.25)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SearchSpace.study().sample(109, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
