package io.digitstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.digitstream.trainer.robustness.HandwritingDigits;
import io.digitstream.trainer.robustness.RobustnessBenchmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
                "--model", ShippedModel.FILE.toString(),
                "--data-dir", MnistSampleCache.createIn(work).toString(), "--out", out.toString());
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
        // the shipped model separates clothes from digits (0.9994 on the full test sets) and rejects at its threshold
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
}
