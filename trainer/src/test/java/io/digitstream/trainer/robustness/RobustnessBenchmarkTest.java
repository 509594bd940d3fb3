package io.digitstream.trainer.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.core.model.ModelMetadata;
import io.digitstream.core.model.OnnxDigitModel;
import io.digitstream.core.model.OodScore;
import io.digitstream.core.model.Prediction;
import io.digitstream.core.model.TemplateDigitModels;
import io.digitstream.trainer.robustness.RobustnessReport.ConditionResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark on the shipped model and 100 real MNIST test digits (scan-like transforms on 40). */
class RobustnessBenchmarkTest {

    /** The model the project ships; the trainer's tests run in trainer/. */
    static final Path SHIPPED_MODEL = Path.of("..", "models", "digits-cnn.onnx").toAbsolutePath().normalize();

    private static final RobustnessBenchmark.Settings QUICK = RobustnessBenchmark.Settings.defaults()
            .withLimit(100).withScanLimit(40).withFontFiles(List.of())
            .withFashionDirectory(Path.of("/nonexistent/fashion-mnist"));

    private static RobustnessBenchmark.Outcome outcome;
    private static final List<String> LOG = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void runOnce() throws Exception {
        outcome = new RobustnessBenchmark(LOG::add).run(SHIPPED_MODEL, MnistSamples.test500(), QUICK);
    }

    @Test
    void cleanDigitsAreReadAndScrambledOnesAreNot() {
        RobustnessReport report = outcome.report();

        assertThat(report.condition("clean").orElseThrow().accuracy()).isGreaterThanOrEqualTo(0.97);
        assertThat(report.condition("dark-ink").orElseThrow().accuracy()).isGreaterThanOrEqualTo(0.95);
        assertThat(report.condition("scrambled").orElseThrow().accuracy()).isLessThan(0.3);
        assertThat(report.worst().orElseThrow().accuracy()).isLessThan(report.suiteMeanAccuracy());
    }

    @Test
    void everyConditionIsMeasuredOnItsShareOfTheImages() {
        RobustnessReport report = outcome.report();

        assertThat(report.conditions()).hasSize(1 + MnistCorruption.values().length + ScanTransform.values().length + 1);
        assertThat(report.suite()).hasSize(MnistCorruption.values().length + ScanTransform.values().length);
        for (ConditionResult c : report.conditions()) {
            assertThat(c.images()).as(c.id()).isEqualTo(c.kind().equals("scan") ? 40 : 100);
            assertThat(c.accuracy()).as(c.id()).isBetween(0.0, 1.0);
            assertThat(c.rejected()).as("the shipped model's threshold decides").isBetween(0.0, 1.0);
        }
        assertThat(report.scoreMethod()).isEqualTo("in-graph");
        assertThat(report.threshold()).isNotNull();
        // shuffled pixels leave nothing to read: the shipped model rejects 46% of all 10,000, 0.45% of clean digits
        assertThat(report.condition("scrambled").orElseThrow().rejected()).isGreaterThan(0.25);
        assertThat(report.notes()).anyMatch(n -> n.contains("first 40 test images"))
                .anyMatch(n -> n.contains("foreign handwriting skipped"))
                .anyMatch(n -> n.contains("not-a-digit benchmark skipped"));
        assertThat(LOG).anyMatch(line -> line.contains("shot-noise"));
    }

    @Test
    void aSecondRunMeasuresExactlyTheSame() throws Exception {
        RobustnessBenchmark.Settings some = QUICK.withLimit(30).withScanLimit(30).withConditions(List.of(
                Condition.clean(), Condition.of(MnistCorruption.GLASS_BLUR), Condition.of(ScanTransform.PAGE_SPECKLE)));

        RobustnessReport again = new RobustnessBenchmark(line -> { }).run(SHIPPED_MODEL, MnistSamples.test500(), some)
                .report();

        for (ConditionResult c : again.conditions()) {
            ConditionResult first = outcome.report().condition(c.id()).orElseThrow();
            // the first 30 of the same corrupted images: at most the other 70 (or 10) differ
            assertThat(Math.abs(c.accuracy() * 30 - first.accuracy() * first.images())).isLessThanOrEqualTo(
                    first.images() - 30);
        }
        RobustnessReport third = new RobustnessBenchmark(line -> { }).run(SHIPPED_MODEL, MnistSamples.test500(), some)
                .report();
        for (int i = 0; i < again.conditions().size(); i++) {
            assertThat(third.conditions().get(i).accuracy()).isEqualTo(again.conditions().get(i).accuracy());
        }
    }

    @Test
    void aThresholdRejectsUnsureImagesMoreOftenWhenTheyAreScrambled() throws Exception {
        RobustnessBenchmark.Settings rejecting = QUICK.withThreshold(2.5).withConditions(List.of(
                Condition.clean(), Condition.scrambled()));

        RobustnessReport report = new RobustnessBenchmark(line -> { })
                .run(SHIPPED_MODEL, MnistSamples.test500(), rejecting).report();

        assertThat(report.threshold()).isEqualTo(2.5);
        assertThat(report.thresholdSource()).isEqualTo("command line");
        ConditionResult clean = report.condition("clean").orElseThrow();
        ConditionResult scrambled = report.condition("scrambled").orElseThrow();
        // 10 of these 100 digits score above 2.5 (9 with the float32 model); the model's own threshold is 4.53
        assertThat(clean.rejected()).isLessThan(0.15);
        assertThat(scrambled.rejected()).isGreaterThan(clean.rejected() + 0.2);
        assertThat(clean.acceptedAccuracy()).isGreaterThanOrEqualTo(clean.accuracy());
    }

    @Test
    void aModelsOwnScoreAndThresholdDecideWhatIsRejected() throws Exception {
        ModelMetadata plain = TemplateDigitModels.metadata(TemplateDigitModels.checkDigits());
        Path probe = Files.write(dir.resolve("probe.onnx"),
                TemplateDigitModels.modelBytesWithLogits(plain.withOod(OodScore.ENERGY, Double.NaN)));
        double[] energies = new double[50];
        try (OnnxDigitModel model = OnnxDigitModel.load(probe)) {
            float[] pixels = new float[50 * 784];
            for (int i = 0; i < 50; i++) {
                System.arraycopy(MnistSamples.test500().normalizedImage(i), 0, pixels, i * 784, 784);
            }
            List<Prediction> predictions = model.predictions(pixels, 50);
            for (int i = 0; i < 50; i++) {
                energies[i] = predictions.get(i).oodScore();
            }
        }
        double[] sorted = energies.clone();
        java.util.Arrays.sort(sorted);
        double median = sorted[25];
        Path file = Files.write(dir.resolve("energy.onnx"),
                TemplateDigitModels.modelBytesWithLogits(plain.withOod(OodScore.ENERGY, median)));

        RobustnessReport report = new RobustnessBenchmark(line -> { }).run(file, MnistSamples.test500(),
                QUICK.withLimit(50).withConditions(List.of(Condition.clean()))).report();

        assertThat(report.scoreMethod()).isEqualTo("energy");
        assertThat(report.threshold()).isEqualTo(median);
        assertThat(report.thresholdSource()).isEqualTo("model metadata ood.threshold");
        long above = java.util.Arrays.stream(energies).filter(e -> e > median).count();
        assertThat(report.condition("clean").orElseThrow().rejected()).isEqualTo(above / 50.0);
    }

    @Test
    void notADigitComparesMnistWithFashionMnist() throws Exception {
        Path fashion = RobustnessBenchmark.DEFAULT_FASHION_DIRECTORY;
        assumeTrue(Files.isRegularFile(fashion.resolve(RobustnessBenchmark.FASHION_TEST_IMAGES)),
                "Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)");
        RobustnessBenchmark.Settings withFashion = QUICK.withFashionDirectory(fashion).withThreshold(-0.99)
                .withConditions(List.of(Condition.clean()));

        RobustnessReport report = new RobustnessBenchmark(line -> { })
                .run(SHIPPED_MODEL, MnistSamples.test500(), withFashion).report();

        RobustnessReport.NotDigitResult nd = report.notDigit();
        assertThat(nd.fashionImages()).isEqualTo(100);
        assertThat(nd.mnistImages()).isEqualTo(100);
        assertThat(nd.auroc()).isGreaterThan(0.6).isLessThanOrEqualTo(1.0);
        assertThat(nd.fashionRejected()).isGreaterThan(nd.mnistRejected());
    }

    @Test
    void writesJsonMarkdownAndExamples() throws Exception {
        List<Path> files = RobustnessReportWriter.write(outcome, dir);

        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("robustness.json", "robustness.md", "robustness-examples.png");
        JsonNode json = new ObjectMapper().readTree(dir.resolve("robustness.json").toFile());
        assertThat(json.path("summary").path("suiteMeanAccuracy").asDouble())
                .isEqualTo(outcome.report().suiteMeanAccuracy());
        assertThat(json.path("conditions")).hasSize(outcome.report().conditions().size());
        assertThat(json.path("modelSha256").asText()).hasSize(64);
        String md = Files.readString(dir.resolve("robustness.md"));
        assertThat(md).contains("| corruption | kind | images | accuracy | rejected | what it does |")
                .contains("| shot-noise | mnist-c | 100 |")
                .contains("| page-speckle | scan | 40 |")
                .contains("mean accuracy over the corruption suite (15 MNIST-C, 9 scan-like)")
                .contains(">= 98.00%");
        String text = RobustnessReportWriter.text(outcome.report());
        assertThat(text).contains("suite mean accuracy").contains("worst corruption");
        assertThat(Files.size(dir.resolve("robustness-examples.png"))).isGreaterThan(1_000);
    }
}
