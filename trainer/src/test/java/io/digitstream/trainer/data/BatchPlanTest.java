package io.digitstream.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchPlanTest {

    @Test
    void shuffledPlanHasOnlyFullBatchesOfDistinctIndices() {
        List<int[]> batches = BatchPlan.shuffled(103, 10, 5);

        assertThat(batches).hasSize(10).allSatisfy(b -> assertThat(b).hasSize(10));
        int[] all = batches.stream().flatMapToInt(Arrays::stream).toArray();
        assertThat(all).doesNotHaveDuplicates();
        assertThat(Arrays.stream(all).min().getAsInt()).isGreaterThanOrEqualTo(0);
        assertThat(Arrays.stream(all).max().getAsInt()).isLessThanOrEqualTo(102);
        assertThat(all).isNotEqualTo(IntStream.range(0, 100).toArray());
    }

    @Test
    void shuffledPlanRepeatsForTheSameSeed() {
        assertThat(BatchPlan.shuffled(50, 8, 3)).usingRecursiveComparison().isEqualTo(BatchPlan.shuffled(50, 8, 3));
        assertThat(BatchPlan.shuffled(50, 8, 3).get(0)).isNotEqualTo(BatchPlan.shuffled(50, 8, 4).get(0));
    }

    @Test
    void sequentialPlanCoversEveryIndexInOrder() {
        List<int[]> batches = BatchPlan.sequential(10, 4);

        assertThat(batches).hasSize(3);
        assertThat(batches.stream().flatMapToInt(Arrays::stream).toArray()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }
}
