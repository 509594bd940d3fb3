package io.digitstream.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
 * The stream benchmark end to end on a few hundred images: every phase runs its child JVM (the bare Kafka Streams
 * application or the classifier) against the embedded broker, measures a window after its warm-up cut, and the
 * report is complete and consistent. Never asserts on speed: unit tests do not time things.
 */
class StreamBenchmarkIT {

    private static final Path MODEL = Path.of("..", "models", "digits-cnn.onnx").toAbsolutePath().normalize();

    @TempDir
    Path work;

    @Test
    void measuresEveryPhaseOnATinyRun() throws Exception {
        // 1 s cut, then full load for at least 1 s and 300 images, or 200 images/s for 2 s (600 images in all)
        StreamBenchmarkSettings.Lengths lengths = new StreamBenchmarkSettings.Lengths(100, Duration.ofSeconds(1),
                Duration.ofSeconds(1), 300, Duration.ofSeconds(2));
        StreamBenchmarkSettings settings = new StreamBenchmarkSettings(MODEL, lengths, 200, 1, Map.of(),
                StreamBenchmarkSettings.CHILD_JVM_OPTIONS, work);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        StreamBenchmarkReport report = StreamBenchmark.run(settings, MnistSamples.test500(),
                new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(report.rawBatchOne()).isPositive();
        assertThat(report.rawBatched()).isPositive();
        assertThat(report.phases()).extracting(PhaseResult::application).containsExactly(ChildApplication.BARE,
                ChildApplication.BARE, ChildApplication.PASS_THROUGH, ChildApplication.MODEL, ChildApplication.MODEL,
                ChildApplication.MODEL, ChildApplication.MODEL);
        for (PhaseResult phase : report.phases()) {
            MeasuredWindow window = phase.window();
            String name = phase.name() + (phase.fixedRate() ? " at a fixed rate" : "");
            if (phase.fixedRate()) {
                assertThat(phase.produced()).as(name).isEqualTo(600);
                assertThat(window.seconds()).as(name).isBetween(1.5, 2.5);
            } else {
                assertThat(window.consumed()).as(name).isGreaterThanOrEqualTo(300);
                assertThat(window.seconds()).as(name).isGreaterThanOrEqualTo(1.0);
            }
            assertThat(window.cutSeconds()).as(name).isGreaterThanOrEqualTo(1.0);
            assertThat(phase.consumed()).as(name).isEqualTo(phase.produced());
            assertThat(window.consumed()).as(name).isLessThanOrEqualTo(phase.consumed());
            assertThat(window.sent()).as(name).isPositive().isLessThanOrEqualTo(phase.produced());
            assertThat(phase.throughput()).as(name).isPositive();
            assertThat(phase.latency().count()).as(name).isPositive().isLessThanOrEqualTo(phase.consumed());
            assertThat(phase.latency().p50()).as(name).isNotNegative();
            assertThat(phase.latency().p99()).as(name).isGreaterThanOrEqualTo(phase.latency().p50());
            assertThat(phase.latency().max()).as(name).isGreaterThanOrEqualTo(phase.latency().p99());
            assertThat(phase.peakRssMegabytes()).as(name).isPositive();
            assertThat(window.childCores()).as(name).isPositive();
            assertThat(window.childMicrosPerImage()).as(name).isPositive();
            assertThat(window.harnessMicrosPerImage()).as(name).isPositive();
            if (phase.guarantee().equals("exactly_once_v2")) {
                assertThat(phase.duplicates()).as(name).isZero();
            }
            if (phase.application() == ChildApplication.BARE) {
                assertThat(phase.inferenceMicros()).as(name + ": no classifier, no timer").isNaN();
            }
        }
        assertThat(report.latencyExactlyOnce().classifierLatency().count())
                .isEqualTo(report.latencyExactlyOnce().latency().count());
        assertThat(report.latencyAtLeastOnce().classifierLatency().count())
                .isEqualTo(report.latencyAtLeastOnce().latency().count());
        // Kafka Streams and the model paid in turn can be no faster than either alone
        assertThat(report.serialLimit()).isPositive()
                .isLessThan(report.bare().throughput()).isLessThan(report.rawBatched());
        assertThat(report.passThroughShareOfBare()).isPositive();
        assertThat(report.toMarkdown()).contains("bare Kafka Streams, exactly-once", "pass-through, exactly-once",
                "model, at-least-once", "Serial limit", "its first 1 s are cut", "classifier peak RSS <= 400 MB");
        assertThat(report.phases()).allSatisfy(phase -> {
            assertThat(phase.instances()).hasSize(1);
            assertThat(phase.accuracy()).isEmpty();
            assertThat(phase.profile()).isEmpty();
        });
    }

    /**
     * Two classifier instances in every model phase on six partitions, labelled images, and a profile: both instances
     * classify, the accuracy records and gauges equal the offline counts, and the profiled phases' recordings are
     * summarised per stage.
     */
    @Test
    void scalesOutChecksTheAccuracyAndProfilesTheClassifierOnATinyRun() throws Exception {
        StreamBenchmarkSettings.Lengths lengths = new StreamBenchmarkSettings.Lengths(100, Duration.ofSeconds(1),
                Duration.ofSeconds(2), 300, Duration.ofSeconds(2));
        Path profiles = work.resolve("profile");
        // a commit a second: the at-least-once phases' accuracy arrives within seconds, not Kafka Streams' 30 s
        StreamBenchmarkSettings settings = new StreamBenchmarkSettings(MODEL, lengths, 200, 1,
                Map.of("streams.commit.interval.ms", "1000"), StreamBenchmarkSettings.CHILD_JVM_OPTIONS, work)
                .withInstances(2, StreamBenchmarkSettings.defaultPartitions(2)).withLabelledImages(true)
                .withProfile(profiles);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        StreamBenchmarkReport report = StreamBenchmark.run(settings, MnistSamples.test500(),
                new PrintStream(progress, true, StandardCharsets.UTF_8));

        for (PhaseResult phase : report.phases()) {
            String name = phase.name() + (phase.fixedRate() ? " at a fixed rate" : "");
            assertThat(phase.consumed()).as(name).isEqualTo(phase.produced());
            if (phase.application() != ChildApplication.MODEL) {
                assertThat(phase.instances()).as(name).hasSize(1);
                assertThat(phase.accuracy()).as(name).isEmpty();
                continue;
            }
            assertThat(phase.instances()).as(name).hasSize(2);
            // the tasks are spread: each instance classified some of the window's images
            assertThat(phase.instances()).as(name).allSatisfy(i -> assertThat(i.images()).isPositive());
            assertThat(phase.instances().stream().mapToDouble(InstanceResult::cpuSeconds).sum())
                    .as(name).isCloseTo(phase.window().childCpuSeconds(), within(1e-6));
            AccuracyCheck accuracy = phase.accuracy().orElseThrow();
            assertThat(accuracy.expectedAccepted().total() + accuracy.expectedRejected()).as(name)
                    .isEqualTo(100 + phase.produced());
            assertThat(accuracy.recordMatches()).as(name + ": " + accuracy.summary()).isTrue();
            assertThat(accuracy.gaugesMatch()).as(name + ": " + accuracy.summary()).isTrue();
            assertThat(accuracy.exportingInstances()).as(name).hasSize(1);
        }
        CpuProfile model = report.modelExactlyOnce().profile().orElseThrow();
        CpuProfile passThrough = report.passThrough().profile().orElseThrow();
        assertThat(model.share(ProfileStage.MODEL)).isPositive();
        assertThat(model.stages().stream().mapToDouble(CpuProfile.StageCpu::cpuSeconds).sum())
                .isCloseTo(model.cpuSeconds(), within(1e-6));
        assertThat(passThrough.javaSamples()).isPositive();
        assertThat(report.phase(ChildApplication.MODEL, "at_least_once", false).profile()).isEmpty();
        assertThat(profiles.resolve("pass-through-eos.jfr")).isNotEmptyFile();
        assertThat(profiles.resolve("model-eos-1.jfr")).isNotEmptyFile();
        assertThat(profiles.resolve("model-eos-2.jfr")).isNotEmptyFile();
        assertThat(report.toMarkdown()).contains("Topics: 6 partitions. Classifier instances in the model phases: 2. "
                        + "Images labelled: yes.", "Scale-out: 2 classifier instances", "record",
                "CPU profile of model, exactly-once", "CPU profile of pass-through, exactly-once", "Hot methods");
    }
}
