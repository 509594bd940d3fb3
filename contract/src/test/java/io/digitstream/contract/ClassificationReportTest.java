package io.digitstream.contract;

import io.digitstream.contract.ClassificationReport.ClassMetrics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ClassificationReportTest {

    // truth 0 0 0 0 1 1 1 2 2 2, predicted 0 0 1 2 1 1 0 2 2 2
    private static final int[] LABELS = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
    private static final int[] PREDICTIONS = {0, 0, 1, 2, 1, 1, 0, 2, 2, 2};

    @Test
    void perClassAndAveragedMetricsMatchTheHandComputation() {
        ClassificationReport report = ClassificationReport.from(ConfusionMatrix.of(LABELS, PREDICTIONS, 3));

        // class 0: precision 2/3, recall 2/4, f1 = 2pr/(p+r) = 4/7
        assertThat(report.perClass().get(0).precision()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(report.perClass().get(0).recall()).isCloseTo(0.5, within(1e-12));
        assertThat(report.perClass().get(0).f1()).isCloseTo(4.0 / 7, within(1e-12));
        assertThat(report.perClass().get(0).support()).isEqualTo(4);
        // class 1: 2/3, 2/3, 2/3; class 2: 3/4, 1, 6/7
        assertThat(report.perClass().get(1).f1()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(report.perClass().get(2).precision()).isCloseTo(0.75, within(1e-12));
        assertThat(report.perClass().get(2).recall()).isEqualTo(1.0);
        assertThat(report.perClass().get(2).f1()).isCloseTo(6.0 / 7, within(1e-12));

        assertThat(report.accuracy()).isEqualTo(0.7);
        assertThat(report.macroAverage().precision()).isCloseTo((2.0 / 3 + 2.0 / 3 + 0.75) / 3, within(1e-12));
        assertThat(report.macroAverage().recall()).isCloseTo((0.5 + 2.0 / 3 + 1) / 3, within(1e-12));
        assertThat(report.macroAverage().f1()).isCloseTo((4.0 / 7 + 2.0 / 3 + 6.0 / 7) / 3, within(1e-12));
        assertThat(report.weightedAverage().precision()).isCloseTo((4 * 2.0 / 3 + 3 * 2.0 / 3 + 3 * 0.75) / 10, within(1e-12));
        assertThat(report.weightedAverage().recall()).isCloseTo(0.7, within(1e-12));
        assertThat(report.weightedAverage().f1()).isCloseTo((4 * 4.0 / 7 + 3 * 2.0 / 3 + 3 * 6.0 / 7) / 10, within(1e-12));
        assertThat(report.weightedAverage().support()).isEqualTo(10);
    }

    @Test
    void textIsCharacterForCharacterScikitLearnsLayout() {
        ClassificationReport report = ClassificationReport.from(ConfusionMatrix.of(LABELS, PREDICTIONS, 3));

        // sklearn.metrics.classification_report(LABELS, PREDICTIONS, digits=4)
        assertThat(report.toText()).isEqualTo("""
                              precision    recall  f1-score   support

                           0     0.6667    0.5000    0.5714         4
                           1     0.6667    0.6667    0.6667         3
                           2     0.7500    1.0000    0.8571         3

                    accuracy                         0.7000        10
                   macro avg     0.6944    0.7222    0.6984        10
                weighted avg     0.6917    0.7000    0.6857        10
                """);
    }

    @Test
    void aClassNeverSeenNorPredictedScoresZeroAsScikitLearnDoesWithZeroDivisionZero() {
        ClassificationReport report = ClassificationReport.from(ConfusionMatrix.of(LABELS, PREDICTIONS, 4));

        // classification_report(LABELS, PREDICTIONS, labels=[0, 1, 2, 3], zero_division=0)
        assertThat(report.toText(2)).isEqualTo("""
                              precision    recall  f1-score   support

                           0       0.67      0.50      0.57         4
                           1       0.67      0.67      0.67         3
                           2       0.75      1.00      0.86         3
                           3       0.00      0.00      0.00         0

                    accuracy                           0.70        10
                   macro avg       0.52      0.54      0.52        10
                weighted avg       0.69      0.70      0.69        10
                """);
    }

    @Test
    void anEmptyMatrixReportsZerosNotNaN() {
        ClassificationReport report = ClassificationReport.from(ConfusionMatrix.emptyDigits());

        assertThat(report.perClass()).hasSize(10).allSatisfy(row -> assertThat(row)
                .extracting(ClassMetrics::precision, ClassMetrics::recall, ClassMetrics::f1, ClassMetrics::support)
                .containsExactly(0.0, 0.0, 0.0, 0L));
        assertThat(report.accuracy()).isZero();
        assertThat(report.weightedAverage().f1()).isZero();
        assertThat(report.toText()).doesNotContain("NaN");
    }
}
