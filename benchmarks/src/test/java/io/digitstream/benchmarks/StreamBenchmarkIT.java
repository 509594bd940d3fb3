package io.digitstream.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.core.mnist.MnistSamples;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream benchmark end to end on a few hundred images: every phase runs its classifier child JVM against the
 * embedded broker and the report is complete and consistent. Never asserts on speed: unit tests do not time things.
 */
class StreamBenchmarkIT {

    private static final Path MODEL = Path.of("..", "models", "digits-cnn.onnx").toAbsolutePath().normalize();

    @TempDir
    Path work;

    @Test
    void measuresEveryPhaseOnATinyRun() throws Exception {
        StreamBenchmarkSettings settings = new StreamBenchmarkSettings(MODEL, 300, 100, 200, Duration.ofSeconds(2), 1,
                Map.of(), StreamBenchmarkSettings.CHILD_JVM_OPTIONS,
                work);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        StreamBenchmarkReport report = StreamBenchmark.run(settings, MnistSamples.test500(),
                new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(report.rawBatchOne()).isPositive();
        assertThat(report.rawBatched()).isPositive();
        assertThat(report.phases()).hasSize(5);
        for (PhaseResult phase : report.phases()) {
            assertThat(phase.produced()).as(phase.name()).isEqualTo(phase.offeredRate() > 0 ? 400 : 300);
            assertThat(phase.consumed()).as(phase.name()).isEqualTo(phase.produced());
            assertThat(phase.throughput()).as(phase.name()).isPositive();
            assertThat(phase.sendRate()).as(phase.name()).isPositive();
            assertThat(phase.latency().count()).as(phase.name()).isEqualTo(phase.consumed());
            assertThat(phase.latency().p50()).as(phase.name()).isNotNegative();
            assertThat(phase.latency().p99()).as(phase.name()).isGreaterThanOrEqualTo(phase.latency().p50());
            assertThat(phase.latency().max()).as(phase.name()).isGreaterThanOrEqualTo(phase.latency().p99());
            assertThat(phase.peakRssMegabytes()).as(phase.name()).isPositive();
            assertThat(phase.classifierCores()).as(phase.name()).isPositive();
            if (phase.guarantee().equals("exactly_once_v2")) {
                assertThat(phase.duplicates()).as(phase.name()).isZero();
            }
        }
        assertThat(report.latencyExactlyOnce().classifierLatency().count()).isEqualTo(400);
        assertThat(report.latencyAtLeastOnce().classifierLatency().count()).isEqualTo(400);
        // Kafka and the model paid in turn can be no faster than either alone
        assertThat(report.serialLimit()).isPositive()
                .isLessThan(report.passThrough().throughput()).isLessThan(report.rawBatched());
        assertThat(report.toMarkdown()).contains("pass-through, exactly-once", "model, at-least-once",
                "Serial limit", "classifier RSS <= 600 MB");
    }
}
