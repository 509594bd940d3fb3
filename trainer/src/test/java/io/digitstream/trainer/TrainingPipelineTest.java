package io.digitstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.core.model.OnnxDigitModel;
import io.digitstream.trainer.baseline.BaselineSettings;
import io.digitstream.trainer.baseline.BaselineSuite;
import io.digitstream.trainer.evaluate.NotDigitBenchmark;
import io.digitstream.trainer.export.OnnxModelOutputs;
import io.digitstream.trainer.ood.OodCalibration;
import io.digitstream.core.model.OodScore;
import io.digitstream.trainer.report.ReportWriter;
import io.digitstream.trainer.search.SearchSpace;
import io.digitstream.trainer.search.SuccessiveHalving;
import io.digitstream.trainer.train.OutlierExposure;
import io.digitstream.trainer.train.TrainingRecipe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole batch job on 1,000 real training digits: a tiny search, training with outlier exposure, the not-a-digit
 * threshold, export, ONNX check and report.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainingPipelineTest {

    private final List<String> log = new ArrayList<>();
    private TrainingOutcome outcome;

    @BeforeAll
    void runPipeline(@TempDir Path out) throws IOException {
        SearchSpace tiny = new SearchSpace(List.of(8, 16), List.of(32), List.of(1e-2, 3e-3), List.of(false), List.of(0.25));
        TrainingRequest request = new TrainingRequest(TrainingRecipe.QUICK, 12,
                new SuccessiveHalving(tiny, 4, 2, 4, 2, 7), 0, List.of(BaselineSuite.LINEAR_SVM),
                BaselineSettings.defaults().withSeed(7), 200, 7, out, "test-run", false, OutlierExposure.STANDARD, 0.25);
        outcome = new TrainingPipeline(log::add)
                .run(request, MnistSamples.train1000(), MnistSamples.test500(), Map.of("train-images", "abc"));
    }

    @Test
    void learnsWellAboveChance() {
        assertThat(outcome.testAccuracy()).isGreaterThan(0.75);
        assertThat(outcome.validationAccuracy()).isGreaterThan(0.75);
        assertThat(outcome.epochs()).isEqualTo(12);
    }

    @Test
    void trainsTheSearchWinner() {
        assertThat(log).anyMatch(line -> line.startsWith("search: best " + outcome.hyperparameters()));
        assertThat(outcome.hyperparameters().filters()).isIn(8, 16);
    }

    @Test
    void exportsAModelThatOnnxRuntimeRunsLikeDjl() throws IOException {
        assertThat(outcome.agreement().images()).isEqualTo(500);
        assertThat(outcome.agreement().agreement()).isGreaterThanOrEqualTo(0.9999);
        try (OnnxDigitModel model = OnnxDigitModel.load(outcome.model())) {
            assertThat(model.metadata().modelVersion()).isEqualTo("test-run");
            assertThat(model.metadata().testAccuracy()).isEqualTo(outcome.testAccuracy());
            assertThat(model.metadata().trainingDataSha256()).containsEntry("train-images", "abc");
            assertThat(model.selfCheck()).isPositive();
            assertThat(model.metadata().hyperparameters()).containsKey("outlierExposure");
        }
    }

    @Test
    void choosesTheNotADigitThresholdOnValidationDigitsAndWritesItIntoTheModel() throws IOException {
        OodCalibration ood = outcome.ood();
        assertThat(ood.chosen().digitsRejected()).isLessThanOrEqualTo(OodCalibration.MAX_VALIDATION_REJECTION);
        // a small network after 12 epochs on 800 digits: it separates, but far from a served model's figures
        assertThat(ood.chosen().outliersRejected()).as("%s", ood.separations()).isGreaterThan(0.1);
        assertThat(ood.chosen().auroc()).isGreaterThan(0.8);
        assertThat(ood.separations()).hasSize(4);
        assertThat(ood.score()).isEqualTo(OodScore.IN_GRAPH);
        try (OnnxModelOutputs model = OnnxModelOutputs.load(outcome.model(), 1)) {
            assertThat(model.hasLogits()).isTrue();
            assertThat(model.hasOodScore()).isTrue();
            assertThat(model.metadata()).containsAllEntriesOf(ood.metadata());
        }
        assertThat(log).anyMatch(line -> line.startsWith("not-a-digit score") && line.endsWith("(chosen)"));
    }

    @Test
    void measuresTheModelAgainstFashionMnistWhereItIsInstalled() {
        assumeTrue(Files.isRegularFile(NotDigitBenchmark.FASHION_TEST_IMAGES),
                "Fashion-MNIST not installed (Debian package dataset-fashion-mnist)");
        NotDigitBenchmark fashion = outcome.fashion();
        assertThat(fashion.notDigits()).isEqualTo(10_000);
        assertThat(fashion.digits()).isEqualTo(500);
        assertThat(fashion.auroc()).containsOnlyKeys(OodScore.values());
        assertThat(fashion.score()).isEqualTo(outcome.ood().score());
        assertThat(fashion.notDigitsRejected()).isBetween(0.0, 1.0);
    }

    @Test
    void writesTheReportWithBaselines() throws IOException {
        Path report = outcome.reportDirectory();
        assertThat(report.resolve(ReportWriter.INDEX_HTML)).isRegularFile();
        String metrics = Files.readString(report.resolve(ReportWriter.METRICS_JSON));
        assertThat(metrics).contains(BaselineSuite.LINEAR_SVM);
        assertThat(outcome.timingsSeconds()).containsKeys("search", "training", "baselines");
    }
}
