package io.digitstream.trainer.ood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.digitstream.core.model.OodScore;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OodCalibrationTest {

    @Test
    void scoresFromLogitsAreTheKnownValues() {
        float[][] flat = {new float[10]};
        assertThat(OodCalibration.scores(OodScore.ENERGY, flat)[0]).isCloseTo(-Math.log(10), within(1e-12));
        assertThat(OodCalibration.scores(OodScore.MAX_LOGIT, flat)[0]).isZero();
        assertThat(OodCalibration.scores(OodScore.MSP, flat)[0]).isCloseTo(-0.1, within(1e-7));
        float[][] sure = {{20, 0, 0, 0, 0, 0, 0, 0, 0, 0}};
        assertThat(OodCalibration.scores(OodScore.ENERGY, sure)[0])
                .isCloseTo(-(20 + Math.log(1 + 9 * Math.exp(-20))), within(1e-9));
        assertThat(OodCalibration.scores(OodScore.MSP, sure)[0]).isCloseTo(-1 / (1 + 9 * Math.exp(-20)), within(1e-7));
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
                .containsExactlyInAnyOrderElementsOf(OodScore.FROM_LOGITS);
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
