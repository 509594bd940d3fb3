package io.digitstream.trainer.ood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OodCalibrationTest {

    @Test
    void scoresOfFlatLogitsAreTheKnownValues() {
        float[] flat = new float[10];

        assertThat(OodScore.ENERGY.of(flat)).isCloseTo(-Math.log(10), within(1e-12));
        assertThat(OodScore.MAX_LOGIT.of(flat)).isZero();
        assertThat(OodScore.MSP.of(flat)).isCloseTo(-0.1, within(1e-12));
        float[] sure = {20, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(OodScore.ENERGY.of(sure)).isCloseTo(-(20 + Math.log(1 + 9 * Math.exp(-20))), within(1e-9));
        assertThat(OodScore.MSP.of(sure)).isCloseTo(-1 / (1 + 9 * Math.exp(-20)), within(1e-12));
        assertThat(OodScore.fromKey("max-logit")).isEqualTo(OodScore.MAX_LOGIT);
    }

    @Test
    void aurocCountsPairsAndHalvesTies() {
        assertThat(Auroc.of(new double[] {1, 2, 3}, new double[] {4, 5})).isEqualTo(1.0);
        assertThat(Auroc.of(new double[] {4, 5}, new double[] {1, 2, 3})).isEqualTo(0.0);
        assertThat(Auroc.of(new double[] {1, 1}, new double[] {1})).isEqualTo(0.5);
        // pairs (neg, pos): (1,2) yes, (3,2) no, (1,3) yes, (3,3) tie: 2.5 of 4
        assertThat(Auroc.of(new double[] {1, 3}, new double[] {2, 3})).isEqualTo(0.625);
    }

    @Test
    void theThresholdRejectsAtMostTheShareAsked() {
        double[] scores = new double[1000];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = i;
        }
        shuffle(scores);

        double threshold = OodCalibration.thresholdRejectingAtMost(scores, 0.005);

        assertThat(threshold).isEqualTo(994);
        assertThat(OodCalibration.rejected(scores, threshold)).isEqualTo(0.005);
        assertThat(OodCalibration.rejected(scores, OodCalibration.thresholdRejectingAtMost(scores, 0))).isZero();
        double[] ties = new double[100];
        Arrays.fill(ties, 1.0);
        assertThat(OodCalibration.rejected(ties, OodCalibration.thresholdRejectingAtMost(ties, 0.05))).isZero();
    }

    /**
     * Digits: one clear logit. Outliers: all ten logits high and equal. Energy calls the outliers more digit-like
     * (their logsumexp is larger), max-logit cannot tell them apart, only the softmax sees they are flat.
     */
    @Test
    void choosesTheScoreThatRejectsTheMostOutliersAndWritesItsMetadata() {
        SplittableRandom random = new SplittableRandom(1);
        float[][] digits = new float[400][10];
        float[][] outliers = new float[400][10];
        for (int i = 0; i < 400; i++) {
            digits[i][i % 10] = 10 + (float) random.nextDouble(-1, 1);
            Arrays.fill(outliers[i], 10 + (float) random.nextDouble(-1, 1));
        }

        OodCalibration calibration = OodCalibration.choose(digits, outliers, 0.005);

        assertThat(calibration.score()).isEqualTo(OodScore.MSP);
        assertThat(calibration.chosen().outliersRejected()).isEqualTo(1.0);
        assertThat(calibration.chosen().digitsRejected()).isLessThanOrEqualTo(0.005);
        assertThat(calibration.separations()).extracting(OodSeparation::score)
                .containsExactlyInAnyOrder(OodScore.values());
        OodSeparation energy = calibration.separations().stream().filter(s -> s.score() == OodScore.ENERGY)
                .findFirst().orElseThrow();
        assertThat(energy.auroc()).isLessThan(0.1);
        assertThat(calibration.metadata()).containsOnlyKeys("ood.score", "ood.threshold")
                .containsEntry("ood.score", "msp");
        assertThat(calibration.metadata().get("ood.threshold")).doesNotContain("E")
                .satisfies(text -> assertThat(Double.parseDouble(text)).isEqualTo(calibration.threshold()));
    }

    private static void shuffle(double[] values) {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            double swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }
}
