package io.digitstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.digitstream.core.mnist.MnistDataCache;
import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.core.mnist.MnistSplit;
import io.digitstream.core.model.OnnxDigitModel;
import io.digitstream.trainer.evaluate.ModelEvaluation;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The model under models/ is what users classify with before they train anything: it must be what it claims. */
class ShippedModelTest {

    /** The figure the model card promises for the shipped model. */
    private static final double PROMISED_TEST_ACCURACY = 0.995;

    @Test
    void isSmallLoadsAndPassesItsSelfCheck() throws IOException {
        assertThat(Files.size(ShippedModel.FILE)).isLessThan(5_000_000);
        try (OnnxDigitModel model = OnnxDigitModel.load(ShippedModel.FILE)) {
            assertThat(model.selfCheck()).isEqualTo(10);
            assertThat(model.metadata().testAccuracy()).isGreaterThanOrEqualTo(PROMISED_TEST_ACCURACY);
            assertThat(model.metadata().trainingDataSha256()).isNotEmpty();
        }
    }

    @Test
    void classifiesTheShippedTestSamples() throws IOException {
        try (OnnxDigitModel model = OnnxDigitModel.load(ShippedModel.FILE)) {
            assertThat(ModelEvaluation.of(model, MnistSamples.test500()).accuracy()).isGreaterThanOrEqualTo(0.99);
        }
    }

    /** Runs where the full MNIST test set is cached (CI fetches it first); skipped, and says so, elsewhere. */
    @Test
    void reachesItsRecordedAccuracyOnTheFullTestSet() throws IOException {
        MnistDataCache cache = new MnistDataCache();
        assumeTrue(cache.isComplete(), "MNIST not in " + cache.directory() + ": run ./digits fetch-data to check this");
        try (OnnxDigitModel model = OnnxDigitModel.load(ShippedModel.FILE, 2)) {
            double accuracy = ModelEvaluation.of(model, cache.load(MnistSplit.TEST)).accuracy();
            assertThat(accuracy).isGreaterThanOrEqualTo(PROMISED_TEST_ACCURACY);
            assertThat(accuracy).isCloseTo(model.metadata().testAccuracy(), org.assertj.core.data.Offset.offset(1e-4));
        }
    }
}
