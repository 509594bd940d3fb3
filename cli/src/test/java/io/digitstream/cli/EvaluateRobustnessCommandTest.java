package io.digitstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.digitstream.core.mnist.MnistFile;
import io.digitstream.trainer.robustness.HandwritingDigits;
import io.digitstream.trainer.robustness.RobustnessBenchmark;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./digits evaluate --robustness} with the shipped model on the 500 MNIST test digits shipped with the tests. */
class EvaluateRobustnessCommandTest {

    @TempDir
    static Path work;

    private static CommandRun run;
    private static Path out;
    private static JsonNode json;

    @BeforeAll
    static void runTheBenchmarkOnce() throws IOException {
        out = work.resolve("report");
        run = CommandRun.execute("evaluate", "--robustness", "--limit", "100", "--scan-limit", "30",
                "--model", ShippedModel.FILE.toString(), "--data-dir", mnistSample().toString(), "--out", out.toString());
        json = Files.isRegularFile(out.resolve("robustness.json"))
                ? new ObjectMapper().readTree(out.resolve("robustness.json").toFile()) : null;
    }

    @Test
    void writesTheReportWhereCleanDigitsAreReadAndDestroyedOnesAreNot() throws IOException {
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(out.resolve("robustness.md")).isRegularFile();
        assertThat(out.resolve("robustness-examples.png")).isRegularFile();

        assertThat(accuracy("clean")).isGreaterThanOrEqualTo(0.95);
        assertThat(accuracy("scrambled")).as("the control transform").isLessThan(0.3);
        assertThat(json.path("conditions")).hasSize(26);
        for (JsonNode c : json.path("conditions")) {
            assertThat(c.path("images").asInt()).isEqualTo(c.path("kind").asText().equals("scan") ? 30 : 100);
        }
        assertThat(json.path("modelFile").asText()).isEqualTo("digits-cnn.onnx");
        assertThat(json.path("summary").path("suiteMeanAccuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(Files.readString(out.resolve("robustness.md")))
                .contains("| clean | reference | 100 |").contains("| dark-ink | scan | 30 |");
    }

    @Test
    void measuresForeignHandwritingAndNotADigitWhereTheyAreInstalled() {
        assumeTrue(HandwritingDigits.BENCHMARK_FONT_FILES.stream().anyMatch(Files::isRegularFile),
                "none of the benchmark's handwriting fonts is installed (Debian fonts-* packages)");
        assumeTrue(Files.isRegularFile(RobustnessBenchmark.DEFAULT_FASHION_DIRECTORY.resolve("t10k-images-idx3-ubyte.gz")),
                "Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)");

        assertThat(json.path("fonts").size()).isPositive();
        assertThat(json.path("summary").path("fontAccuracy").asDouble()).isGreaterThan(0.5);
        JsonNode notDigit = json.path("notDigit");
        assertThat(notDigit.path("fashionImages").asInt()).isEqualTo(100);
        // the shipped model separates clothes from digits (0.994 on the full test sets) and rejects at its threshold
        assertThat(notDigit.path("auroc").asDouble()).isBetween(0.95, 1.0);
        assertThat(notDigit.path("fashionRejected").asDouble()).isGreaterThan(0.5);
        assertThat(notDigit.path("mnistRejected").asDouble()).isLessThan(0.05);
    }

    private static double accuracy(String condition) {
        for (JsonNode c : json.path("conditions")) {
            if (c.path("id").asText().equals(condition)) {
                return c.path("accuracy").asDouble();
            }
        }
        throw new AssertionError("no condition " + condition + " in " + json);
    }

    /** A data directory holding the 500 test images shipped with the tests (and 1,000 training images). */
    private static Path mnistSample() throws IOException {
        Path dir = Files.createDirectories(work.resolve("mnist"));
        copy("/mnist/t10k-500-images-idx3-ubyte.gz", dir.resolve(MnistFile.TEST_IMAGES.fileName()));
        copy("/mnist/t10k-500-labels-idx1-ubyte.gz", dir.resolve(MnistFile.TEST_LABELS.fileName()));
        copy("/mnist/train-1000-images-idx3-ubyte.gz", dir.resolve(MnistFile.TRAIN_IMAGES.fileName()));
        copy("/mnist/train-1000-labels-idx1-ubyte.gz", dir.resolve(MnistFile.TRAIN_LABELS.fileName()));
        return dir;
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = new GZIPInputStream(EvaluateRobustnessCommandTest.class.getResourceAsStream(resource))) {
            Files.copy(in, to);
        }
    }
}
