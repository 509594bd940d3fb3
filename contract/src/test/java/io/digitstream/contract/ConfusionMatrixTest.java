package io.digitstream.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    // truth 0 0 0 0 1 1 1 2 2 2, predicted 0 0 1 2 1 1 0 2 2 2
    private static final int[] LABELS = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
    private static final int[] PREDICTIONS = {0, 0, 1, 2, 1, 1, 0, 2, 2, 2};

    @Test
    void countsTruthByRowAndPredictionByColumn() {
        ConfusionMatrix matrix = ConfusionMatrix.of(LABELS, PREDICTIONS, 3);

        assertThat(matrix.toArray()).isDeepEqualTo(new long[][] {{2, 1, 1}, {1, 2, 0}, {0, 0, 3}});
        assertThat(matrix.total()).isEqualTo(10);
        assertThat(matrix.correct()).isEqualTo(7);
        assertThat(matrix.accuracy()).isEqualTo(0.7);
        assertThat(matrix.actualTotal(0)).isEqualTo(4);
        assertThat(matrix.predictedTotal(0)).isEqualTo(3);
    }

    @Test
    void perClassMetricsAreScikitLearnsWithZeroDivisionZero() {
        ConfusionMatrix matrix = ConfusionMatrix.of(LABELS, PREDICTIONS, 4);

        // class 0: precision 2/3, recall 2/4, f1 = 2pr/(p+r) = 4/7
        assertThat(matrix.precision(0)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(matrix.recall(0)).isEqualTo(0.5);
        assertThat(matrix.f1(0)).isCloseTo(4.0 / 7, within(1e-12));
        // class 3 is neither a label nor a prediction
        assertThat(matrix.precision(3)).isZero();
        assertThat(matrix.recall(3)).isZero();
        assertThat(matrix.f1(3)).isZero();
    }

    @Test
    void addingCountsOneExampleAndLeavesTheOriginalAsItWas() {
        ConfusionMatrix empty = ConfusionMatrix.emptyDigits();

        ConfusionMatrix one = empty.add(7, 1);
        ConfusionMatrix two = one.add(7, 7);

        assertThat(empty.total()).isZero();
        assertThat(one.count(7, 1)).isEqualTo(1);
        assertThat(one.total()).isEqualTo(1);
        assertThat(two.count(7, 1)).isEqualTo(1);
        assertThat(two.count(7, 7)).isEqualTo(1);
        assertThat(two.correct()).isEqualTo(1);
        assertThat(two.classes()).isEqualTo(10);
    }

    @Test
    void anEmptyMatrixHasAccuracyZero() {
        assertThat(ConfusionMatrix.emptyDigits().accuracy()).isZero();
    }

    @Test
    void theCountsRoundTripAndAreACopy() {
        ConfusionMatrix matrix = ConfusionMatrix.of(LABELS, PREDICTIONS, 3);
        long[][] counts = matrix.toArray();

        counts[0][0] = 99;

        assertThat(matrix.count(0, 0)).isEqualTo(2);
        assertThat(ConfusionMatrix.fromCounts(matrix.toArray())).isEqualTo(matrix).hasSameHashCodeAs(matrix);
        assertThat(ConfusionMatrix.fromCounts(counts)).isNotEqualTo(matrix);
    }

    @Test
    void rejectsWhatIsNotAConfusionMatrix() {
        assertThatThrownBy(() -> ConfusionMatrix.of(new int[] {1, 2}, new int[] {1}, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfusionMatrix.ofDigits(new int[] {10}, new int[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfusionMatrix.emptyDigits().add(3, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfusionMatrix.fromCounts(new long[][] {{1, 2}, {3}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("square");
        assertThatThrownBy(() -> ConfusionMatrix.fromCounts(new long[][] {{1, -2}, {3, 4}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }

    @Test
    void textIsARightAlignedTableWithPredictionsAcross() {
        assertThat(ConfusionMatrix.of(LABELS, PREDICTIONS, 3).toText()).isEqualTo(
                "       0   1   2\n"
                + "   0   2   1   1\n"
                + "   1   1   2   0\n"
                + "   2   0   0   3\n");
    }
}
