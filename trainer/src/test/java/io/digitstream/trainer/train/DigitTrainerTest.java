package io.digitstream.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.trainer.data.AffineAugmentation;
import io.digitstream.trainer.data.DigitArrays;
import io.digitstream.trainer.model.Hyperparameters;
import io.digitstream.core.model.OodScore;
import io.digitstream.trainer.ood.OodCalibration;
import io.digitstream.trainer.robustness.Auroc;
import io.digitstream.trainer.ood.SyntheticOutliers;
import io.digitstream.trainer.ood.TrainingFonts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DigitTrainerTest {

    private static final Hyperparameters SMALL = new Hyperparameters(8, 32, 3e-3, true, 0.1);
    private static final TrainingOptions OPTIONS = new TrainingOptions(10, 32, 11, AffineAugmentation.STANDARD, false);

    private final MnistDataset train = MnistSamples.train1000();
    private final MnistDataset test = MnistSamples.test500();

    @Test
    void learnsFromAThousandImagesAndReportsEveryEpoch() {
        List<EpochMetrics> heard = new ArrayList<>();

        try (TrainingResult result = new DigitTrainer(OPTIONS).optEpochListener(heard::add)
                .train(SMALL, train, test.head(200))) {

            assertThat(result.accuracy(test)).isGreaterThan(0.8);
            assertThat(result.epochs()).hasSize(10).isEqualTo(heard);
            assertThat(result.epochs()).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
            assertThat(result.lastEpoch().trainLoss()).isLessThan(result.epochs().get(0).trainLoss());
            assertThat(result.lastEpoch().validationAccuracy()).isGreaterThan(0.8);
            assertThat(result.lastEpoch().learningRate()).isLessThan(result.epochs().get(0).learningRate());
            assertThat(result.totalSeconds()).isPositive();
        }
    }

    @Test
    void theSameSeedRepeatsTheRun() {
        TrainingOptions twoEpochs = OPTIONS.withEpochs(2);
        MnistDataset small = train.head(300);
        float[][] first;
        List<Double> firstLosses;
        try (TrainingResult result = new DigitTrainer(twoEpochs).train(SMALL, small, test.head(50))) {
            first = result.predict(test.head(50));
            firstLosses = result.epochs().stream().map(EpochMetrics::trainLoss).toList();
        }

        try (TrainingResult again = new DigitTrainer(twoEpochs).train(SMALL, small, test.head(50))) {
            assertThat(again.epochs().stream().map(EpochMetrics::trainLoss).toList()).isEqualTo(firstLosses);
            assertThat(again.predict(test.head(50))).isDeepEqualTo(first);
        }
    }

    @Test
    void probabilitiesAreADistributionPerImage() {
        try (TrainingResult result = new DigitTrainer(OPTIONS.withEpochs(1)).train(SMALL, train.head(200),
                MnistSamples.test500().head(0))) {
            float[][] probabilities = result.predict(test.head(20));

            assertThat(probabilities).hasNumberOfRows(20);
            for (float[] row : probabilities) {
                double sum = 0;
                for (float p : row) {
                    assertThat(p).isBetween(0f, 1f);
                    sum += p;
                }
                assertThat(sum).isBetween(0.9999, 1.0001);
            }
            assertThat(result.lastEpoch().validationAccuracy()).isNaN();
        }
    }

    @Test
    void outlierExposureFlattensTheSoftmaxOnNonDigitsItHasNotSeen() {
        float[] unseen = new SyntheticOutliers(DigitArrays.from(test), TrainingFonts.NONE).generate(300, 99);
        double plainAuroc;
        try (TrainingResult plain = new DigitTrainer(OPTIONS).train(SMALL, train, test.head(100))) {
            plainAuroc = Auroc.of(OodCalibration.scores(OodScore.MSP, plain.logits(unseen)),
                    OodCalibration.scores(OodScore.MSP, plain.logits(test)));
        }

        try (TrainingResult exposed = new DigitTrainer(OPTIONS.withOutlierExposure(OutlierExposure.STANDARD))
                .optFonts(TrainingFonts.NONE).train(SMALL, train, test.head(100))) {
            double[] outlierScores = OodCalibration.scores(OodScore.MSP, exposed.logits(unseen));
            double exposedAuroc = Auroc.of(outlierScores, OodCalibration.scores(OodScore.MSP, exposed.logits(test)));

            assertThat(exposed.accuracy(test)).isGreaterThan(0.8);
            assertThat(exposed.settings()).containsEntry("outlierExposure", OutlierExposure.STANDARD.toString());
            assertThat(exposedAuroc).as("AUROC with outlier exposure, %.4f without", plainAuroc)
                    .isGreaterThan(plainAuroc + 0.05).isGreaterThan(0.9);
            assertThat(mean(outlierScores)).as("mean -max softmax of outliers").isGreaterThan(-0.5);
        }
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
