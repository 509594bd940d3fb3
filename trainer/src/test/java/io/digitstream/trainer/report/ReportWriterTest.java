package io.digitstream.trainer.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.digitstream.contract.ClassificationReport;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.trainer.baseline.BaselineResult;
import io.digitstream.trainer.baseline.BaselineSuite;
import io.digitstream.trainer.model.Hyperparameters;
import io.digitstream.trainer.search.SearchResult;
import io.digitstream.trainer.search.Trial;
import io.digitstream.trainer.train.EpochMetrics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReportWriterTest {

    private static final Hyperparameters BEST = new Hyperparameters(64, 128, 1e-3, true, 0.25);

    @TempDir
    static Path directory;
    static ReportData data;
    static List<Path> written;

    /** The 500 real test digits, "predicted" right except every 7th, which is called the next digit at 60%. */
    @BeforeAll
    static void writeReport() throws IOException {
        MnistDataset test = MnistSamples.test500();
        float[][] probabilities = new float[test.size()][10];
        for (int i = 0; i < test.size(); i++) {
            int predicted = i % 7 == 0 ? (test.label(i) + 1) % 10 : test.label(i);
            Arrays.fill(probabilities[i], 0.4f / 9);
            probabilities[i][predicted] = i % 7 == 0 ? 0.6f : 0.9f + (i % 10) / 100f;
        }
        List<EpochMetrics> history = List.of(
                new EpochMetrics(1, 0.45, 0.86, 0.12, 0.963, 1e-3, 41.5),
                new EpochMetrics(2, 0.11, 0.966, 0.07, 0.979, 1e-3, 40.2),
                new EpochMetrics(3, 0.07, 0.978, 0.05, 0.985, 5e-4, 40.9));
        SearchResult search = new SearchResult("successive-halving(configs=4, epochs=1..2, eta=2, seed=1)", List.of(
                new Trial(1, new Hyperparameters(32, 64, 1e-2, false, 0.4), 1, 0, 0.941, 20),
                new Trial(2, BEST, 1, 0, 0.962, 22),
                new Trial(3, new Hyperparameters(128, 32, 1e-4, true, 0.25), 1, 0, 0.912, 35),
                new Trial(4, new Hyperparameters(64, 64, 1e-3, false, 0.25), 1, 0, 0.958, 21),
                new Trial(5, BEST, 2, 1, 0.978, 44),
                new Trial(6, new Hyperparameters(64, 64, 1e-3, false, 0.25), 2, 1, 0.971, 42)));
        List<BaselineResult> baselines = List.of(
                new BaselineResult(BaselineSuite.KNN, 0.9705, 1.6, 127.5, Map.of("k", "3")),
                new BaselineResult(BaselineSuite.LINEAR_SVM, 0.9182, 74.5, 0.2, Map.of("C", "1.0")));
        Path model = Files.write(directory.resolve("digits.onnx"), new byte[]{1, 2, 3});
        Map<String, Double> timings = new LinkedHashMap<>();
        timings.put("search", 184.0);
        timings.put("training", 122.6);
        data = new ReportData("digit-stream model report", BEST, history, search, test, probabilities, 0.985,
                baselines, timings, ModelInfo.of(model), Map.of("data", "MnistSamples.test500 <first 500>"));

        written = ReportWriter.write(data, directory.resolve("report"));
    }

    @Test
    void writesEveryFile() {
        assertThat(written).extracting(p -> p.getFileName().toString()).containsExactly(
                ReportWriter.ACCURACY_PNG, ReportWriter.LOSS_PNG, ReportWriter.SEARCH_TRIALS_PNG,
                ReportWriter.CONFUSION_MATRIX_PNG, ReportWriter.MISCLASSIFIED_PNG, ReportWriter.SAMPLE_PREDICTIONS_PNG,
                ReportWriter.CLASSIFICATION_REPORT_TXT, ReportWriter.METRICS_JSON, ReportWriter.INDEX_HTML);
        assertThat(written).allSatisfy(p -> assertThat(p).isRegularFile().isNotEmptyFile());
    }

    @Test
    void pngsDecodeToTheirDrawnSizes() throws IOException {
        assertSize(ReportWriter.ACCURACY_PNG, ReportCharts.WIDTH, ReportCharts.HEIGHT);
        assertSize(ReportWriter.LOSS_PNG, ReportCharts.WIDTH, ReportCharts.HEIGHT);
        assertSize(ReportWriter.SEARCH_TRIALS_PNG, ReportCharts.WIDTH, ReportCharts.HEIGHT);
        assertSize(ReportWriter.CONFUSION_MATRIX_PNG, DigitImages.matrixWidth(10), DigitImages.matrixHeight(10));
        // 72 of 500 are wrong, the grid shows the 50 most confident
        assertSize(ReportWriter.MISCLASSIFIED_PNG, DigitImages.gridWidth(data.test()),
                DigitImages.gridHeight(data.test(), ReportWriter.MAX_MISCLASSIFIED));
        assertSize(ReportWriter.SAMPLE_PREDICTIONS_PNG, DigitImages.gridWidth(data.test()),
                DigitImages.gridHeight(data.test(), ReportWriter.SAMPLES));
    }

    @Test
    void metricsJsonHoldsTheSameFiguresAsTheInput() throws IOException {
        JsonNode json = new ObjectMapper().readTree(directory.resolve("report").resolve(ReportWriter.METRICS_JSON).toFile());

        assertThat(data.testAccuracy()).isEqualTo(428 / 500.0);
        assertThat(json.get("testAccuracy").asDouble()).isEqualTo(data.testAccuracy());
        assertThat(json.get("validationAccuracy").asDouble()).isEqualTo(0.985);
        assertThat(json.get("perDigit")).hasSize(10);
        assertThat(json.get("confusionMatrix")).hasSize(10);
        int diagonal = 0;
        for (int d = 0; d < 10; d++) {
            diagonal += json.get("confusionMatrix").get(d).get(d).asInt();
        }
        assertThat(diagonal).isEqualTo(428);
        assertThat(json.get("history")).hasSize(3);
        assertThat(json.at("/search/bestTrial").asInt()).isEqualTo(5);
        assertThat(json.at("/search/trials")).hasSize(6);
        assertThat(json.at("/baselines/0/accuracy").asDouble()).isEqualTo(0.9705);
        assertThat(json.at("/model/sha256").asText())
                .isEqualTo("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81");
        assertThat(json.at("/hyperparameters/filters").asInt()).isEqualTo(64);
        assertThat(json.at("/timingsSeconds/search").asDouble()).isCloseTo(184.0, within(1e-9));
    }

    @Test
    void classificationReportFileIsTheScikitLearnText() throws IOException {
        String text = Files.readString(directory.resolve("report").resolve(ReportWriter.CLASSIFICATION_REPORT_TXT));

        assertThat(text).isEqualTo(ClassificationReport.from(data.confusionMatrix()).toText());
        assertThat(text).contains("    accuracy                         0.8560       500");
    }

    @Test
    void indexHtmlReferencesEveryPngAndShowsTheStudyComparison() throws IOException {
        String html = Files.readString(directory.resolve("report").resolve(ReportWriter.INDEX_HTML));

        for (Path file : written) {
            if (file.toString().endsWith(".png")) {
                assertThat(html).contains("src=\"" + file.getFileName() + "\"");
            }
        }
        assertThat(html).contains("85.60%", "98.80%", "97.10%", "96.80%", "96.58%", "97.05%", "91.82%")
                .contains("MnistSamples.test500 &lt;first 500&gt;")
                .doesNotContain("<script", "<link");
    }

    @Test
    void aRunWithoutSearchBaselinesValidationOrModelStillGetsItsReport(@TempDir Path other) throws IOException {
        MnistDataset test = MnistSamples.test500().head(12);
        float[][] probabilities = new float[test.size()][10];
        for (int i = 0; i < test.size(); i++) {
            probabilities[i][test.label(i)] = 1;
        }
        ReportData bare = new ReportData("bare", BEST,
                List.of(new EpochMetrics(1, 0.3, 0.9, Double.NaN, Double.NaN, 1e-3, 12)), null, test, probabilities,
                Double.NaN, List.of(), Map.of(), null, Map.of());

        List<Path> files = ReportWriter.write(bare, other);

        assertThat(files).extracting(p -> p.getFileName().toString())
                .doesNotContain(ReportWriter.SEARCH_TRIALS_PNG).contains(ReportWriter.ACCURACY_PNG);
        JsonNode json = new ObjectMapper().readTree(other.resolve(ReportWriter.METRICS_JSON).toFile());
        assertThat(json.get("testAccuracy").asDouble()).isEqualTo(1.0);
        assertThat(json.get("validationAccuracy").isNull()).isTrue();
        assertThat(json.get("search").isNull()).isTrue();
        assertSize(other, ReportWriter.MISCLASSIFIED_PNG, DigitImages.gridWidth(test), DigitImages.gridHeight(test, 0));
        assertSize(other, ReportWriter.SAMPLE_PREDICTIONS_PNG, DigitImages.gridWidth(test), DigitImages.gridHeight(test, 12));
    }

    private static void assertSize(String file, int width, int height) throws IOException {
        assertSize(directory.resolve("report"), file, width, height);
    }

    private static void assertSize(Path reportDirectory, String file, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(reportDirectory.resolve(file).toFile());
        assertThat(image).as(file).isNotNull();
        assertThat(image.getWidth()).as(file + " width").isEqualTo(width);
        assertThat(image.getHeight()).as(file + " height").isEqualTo(height);
    }
}
