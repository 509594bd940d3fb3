package io.digitstream.trainer.baseline;

import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSamples;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** On 1000 real training and 500 real test digits each baseline must land far above the 10% of guessing. */
class BaselineSuiteTest {

    private static final MnistDataset TRAIN = MnistSamples.train1000();
    private static final MnistDataset TEST = MnistSamples.test500();
    private static final BaselineSettings FAST = BaselineSettings.defaults().withForestTrees(20);

    @Test
    void everyBaselineLearnsTheDigits() {
        List<String> progress = new ArrayList<>();

        List<BaselineResult> results = new BaselineSuite(FAST, progress::add).run(BaselineSuite.NAMES, TRAIN, TEST);

        assertThat(results).extracting(BaselineResult::name).containsExactlyElementsOf(BaselineSuite.NAMES);
        assertThat(results).allSatisfy(r -> {
            assertThat(r.accuracy()).as(r.name()).isGreaterThan(0.75);
            assertThat(r.trainSeconds()).isPositive();
            assertThat(r.predictSeconds()).isPositive();
            assertThat(r.details()).containsEntry("trainingImages", "1000");
        });
        assertThat(progress).anyMatch(m -> m.startsWith("knn: accuracy"))
                .anyMatch(m -> m.equals("random-forest: 20 of 20 trees"))
                .anyMatch(m -> m.startsWith("linear-svm: accuracy"));
    }

    @Test
    void theSameSeedGrowsTheSameForest() {
        BaselineSuite suite = new BaselineSuite(BaselineSettings.defaults().withForestTrees(5).withSeed(7), m -> { });

        double first = suite.run(BaselineSuite.RANDOM_FOREST, TRAIN, TEST).accuracy();
        double second = suite.run(BaselineSuite.RANDOM_FOREST, TRAIN, TEST).accuracy();

        assertThat(second).isEqualTo(first);
    }

    @Test
    void knnCanKeepASeededSubsampleOfTheTrainingSet() {
        BaselineSuite suite = new BaselineSuite(FAST.withKnnTrainingLimit(400), m -> { });

        BaselineResult result = suite.run(BaselineSuite.KNN, TRAIN, TEST);

        assertThat(result.details()).containsEntry("trainingImages", "400").containsEntry("k", "3");
        assertThat(result.accuracy()).isGreaterThan(0.6);
    }

    @Test
    void blankImagesStillGetAFeature() {
        MnistDataset blank = new MnistDataset(new byte[2 * 4], new byte[]{3, 5}, 2, 2);

        assertThat(BaselineSuite.toTribuo(blank, "blank", false).getExample(0).size()).isEqualTo(1);
        assertThat(BaselineSuite.toTribuo(blank, "blank", true).getExample(1).size()).isEqualTo(4);
    }

    @Test
    void unknownNamesAreRejectedWithTheKnownOnesBeforeAnythingTrains() {
        List<String> progress = new ArrayList<>();
        BaselineSuite suite = new BaselineSuite(FAST, progress::add);

        assertThatThrownBy(() -> suite.run(List.of(BaselineSuite.KNN, "svm-rbf"), TRAIN, TEST))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("knn").hasMessageContaining("random-forest").hasMessageContaining("linear-svm");
        assertThat(progress).isEmpty();
    }
}
