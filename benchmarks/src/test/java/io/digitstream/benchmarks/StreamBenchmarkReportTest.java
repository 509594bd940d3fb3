package io.digitstream.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.digitstream.contract.AccuracyReport;
import io.digitstream.contract.ConfusionMatrix;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The report's arithmetic and rows, on the figures of the run issue 12 quotes. */
class StreamBenchmarkReportTest {

    private static final String EOS = "exactly_once_v2";
    private static final String ALOS = "at_least_once";
    private static final double RAW_BATCHED = 7_527;

    @Test
    void passThroughIsMeasuredAgainstTheBareApplication() {
        StreamBenchmarkReport report = report(2_820, 1_236, 1.22, 662, 244, 300);

        assertThat(report.passThroughShareOfBare()).isCloseTo(2_820.0 / 11_362, within(1e-9));
    }

    @Test
    void theSerialLimitPaysTheBareApplicationAndTheBatchedModelInTurn() {
        StreamBenchmarkReport report = report(2_820, 1_236, 1.22, 662, 244, 300);

        // the issue: 1 / (1/11,362 + 1/7,527) = 4,527; 1,236 / 4,527 = 0.27
        assertThat(report.serialLimit()).isCloseTo(4_527.6, within(0.1));
        assertThat(report.serialLimitBatchOne()).isCloseTo(1 / (1 / 11_362.0 + 1 / 6_000.0), within(1e-6));
        assertThat(report.shareOfSerialLimit()).isCloseTo(0.273, within(0.001));
    }

    @Test
    void theClassifiersCpuPerImageIsItsExactlyOnceFullLoadWindow() {
        StreamBenchmarkReport report = report(2_820, 1_236, 1.22, 662, 244, 300);

        // 1.22 cores at 1,236 images/s; the model's own cost is the raw batched figure
        assertThat(report.classifierMicrosPerImage()).isCloseTo(987.1, within(0.1));
        assertThat(report.modelMicrosPerImage()).isCloseTo(132.9, within(0.1));
    }

    @Test
    void theIssuesFiguresMissItsTargets() {
        String targets = report(2_820, 1_236, 1.22, 662, 244, 450).targets();

        assertThat(targets).contains(
                "| pass-through / bare Kafka Streams, exactly-once >= 0.7 | 0.25 | **no** |",
                "| end to end with the model, exactly-once / serial limit >= 0.8 | 0.27 | **no** |",
                "| classifier CPU per image, exactly-once, full load <= model + 150 us (283 us) | 987 us | **no** |",
                "| p99 <= 150 ms, exactly-once, 1,000 images/s | 662 ms | **no** |",
                "| p99 <= 30 ms, at-least-once, 1,000 images/s | 244 ms | **no** |",
                "| classifier peak RSS <= 400 MB | 450 MB | **no** |");
    }

    @Test
    void figuresAtTheTargetsMeetThem() {
        // pass-through 0.7 of bare; end to end 0.8 of the serial limit; CPU the model's 133 us + 150 us
        double passThrough = 0.7 * 11_362;
        double endToEnd = 0.8 / (1 / 11_362.0 + 1 / RAW_BATCHED);
        double cores = endToEnd * (1e6 / RAW_BATCHED + 150) / 1e6;

        String targets = report(passThrough + 1, endToEnd + 1, cores, 150, 30, 400).targets();

        assertThat(targets).doesNotContain("**no**");
        assertThat(targets.lines().filter(line -> line.endsWith("| yes |"))).hasSize(6);
    }

    @Test
    void aRowShowsTheWindowAndTheCpuOfBothJvmsPerImage() {
        PhaseResult bare = phase("bare Kafka Streams, exactly-once", ChildApplication.BARE, EOS, 0, 11_362, 0.8, 250);

        assertThat(StreamBenchmarkReport.row(bare)).isEqualTo("| bare Kafka Streams, exactly-once | max | "
                + "30.0 s, 340,860 | 400,000 / 400,000 | 0 | 11,362 | 2000 / 2400 / 2500 ms | - | - | "
                + "0.80 cores, 70 us/image | 1.00 cores, 88 us/image | 250 MB |");
    }

    @Test
    void aFixedRateRowShowsTheRateSentAndWhatTheClassifierStamped() {
        PhaseResult latency = new PhaseResult("model, exactly-once", ChildApplication.MODEL, EOS, 1_000, 20_000,
                20_000, 0, new MeasuredWindow(5, 15, 15_000, 14_910, 15.0, 13.5), new LatencySummary(15_000, 89, 191,
                239), new LatencySummary(15_000, 15, 86, 120), 250_000, 251_000, 554.4);

        assertThat(StreamBenchmarkReport.row(latency)).isEqualTo("| model, exactly-once | 1,000/s (sent 1,000/s) | "
                + "15.0 s, 14,910 | 20,000 / 20,000 | 0 | 994 | 89 / 191 / 239 ms | 15 / 86 ms | 554 us | "
                + "1.00 cores, 1006 us/image | 0.90 cores, 905 us/image | 257 MB |");
    }

    @Test
    void cpuTheOperatingSystemDidNotTellIsShownAsUnknown() {
        PhaseResult phase = new PhaseResult("pass-through, exactly-once", ChildApplication.PASS_THROUGH, EOS, 0, 10,
                10, 0, new MeasuredWindow(0, 1, 10, 10, Double.NaN, Double.NaN), LatencySummary.NONE,
                LatencySummary.NONE, 0, 0, Double.NaN);

        assertThat(StreamBenchmarkReport.row(phase)).contains("| - | - | - | - | 0 MB |");
    }

    @Test
    void theReportSaysHowTheWarmupWasCut() {
        StreamBenchmarkReport report = report(2_820, 1_236, 1.22, 662, 244, 300);

        assertThat(report.measurement()).contains("classifies 30,000 warm-up images first",
                "its first 10 s are cut", "at full load at least 30 s and 100,000 images", "at a fixed rate 15 s");
        assertThat(report.toMarkdown()).contains(report.measurement(), report.ratios(), report.targets(),
                "bare Kafka Streams, at-least-once | max |");
    }

    @Test
    void theRatiosNameTheCeilingAndTheModelsShareOfTheCpu() {
        String ratios = report(2_820, 1_236, 1.22, 662, 244, 300).ratios();

        assertThat(ratios).contains("exactly-once **11,362 records/s**, at-least-once 14,904 records/s",
                "Pass-through / bare, exactly-once: 2,820 / 11,362 = **0.25**",
                "= 1 / (1/11,362 + 1/7,527) = **4,528 images/s**",
                "End to end (model, exactly-once) / serial limit: 1,236 / 4,528 = **0.27**",
                "classifier with the model 987 us = the model's 133 us (raw batched) + 854 us");
    }

    @Test
    void aMissingPhaseIsNamed() {
        StreamBenchmarkReport report = report(2_820, 1_236, 1.22, 662, 244, 300);

        assertThatThrownBy(() -> report.phase(ChildApplication.BARE, EOS, true))
                .hasMessageContaining("bare Kafka Streams/exactly_once_v2 at a fixed rate");
    }

    @Test
    void aScaleOutRunSaysWhatEachInstanceDid() {
        PhaseResult scaled = new PhaseResult("model, exactly-once", ChildApplication.MODEL, EOS, 0, 60_000, 60_000, 0,
                new MeasuredWindow(5, 20, 30_000, 30_000, 36, 20), new LatencySummary(30_000, 2_000, 2_400, 2_500),
                LatencySummary.NONE, 300_000, 0, 500, List.of(new InstanceResult(1, 12, 10_500, 290_000),
                new InstanceResult(2, 12, 9_500, 280_000), new InstanceResult(3, 12, 10_000, 285_000)),
                Optional.empty(), Optional.empty());
        StreamBenchmarkReport report = new StreamBenchmarkReport("2 cores", Instant.parse("2026-12-07T10:00:00Z"),
                "models/digits-cnn.onnx", List.of(), Map.of(), StreamBenchmarkSettings.Lengths.DEFAULT, 6, 6_000,
                RAW_BATCHED, 64, 150, List.of(scaled), 100);

        assertThat(report.instances()).isEqualTo(3);
        assertThat(report.scaleOut()).contains("3 classifier instances", "6 partitions per topic",
                "| model, exactly-once | max | 1,500 | 1 | 10,500 | 35% | 0.60 cores | 1143 us | 297 MB |",
                "| model, exactly-once | max | 1,500 | 3 | 10,000 | 33% | 0.60 cores | 1200 us | 292 MB |");
    }

    @Test
    void aRunOfOneInstanceHasNoScaleOutAccuracyOrProfileSection() {
        StreamBenchmarkReport report = report(2_820, 1_236, 1.22, 662, 244, 300);

        assertThat(report.scaleOut()).isEmpty();
        assertThat(report.accuracy()).isEmpty();
        assertThat(report.profiles()).isEmpty();
        assertThat(report.toMarkdown()).contains("Topics: 3 partitions. Classifier instances in the model phases: 1. "
                + "Images labelled: no.");
    }

    @Test
    void theAccuracyCheckAndTheProfileOfAPhaseAreReported() {
        ConfusionMatrix offline = ConfusionMatrix.ofDigits(new int[] {7, 1}, new int[] {7, 1});
        AccuracyCheck check = new AccuracyCheck("1.2.0", offline, 0,
                Optional.of(AccuracyReport.of("1.2.0", null, null, offline, 0)), 2, 0, List.of(1));
        CpuProfile profile = CpuProfile.of(List.of(new ThreadSamples("StreamThread-1", 12,
                List.of(new ThreadSamples.Sample(ProfileStage.MODEL, "ai.onnxruntime.OrtSession.run", false)),
                List.of())), 15, 0.010, 0.013);
        PhaseResult phase = phase("model, exactly-once", ChildApplication.MODEL, EOS, 0, 1_000, 0.5, 300);
        PhaseResult checked = new PhaseResult(phase.name(), phase.application(), phase.guarantee(), 0,
                phase.produced(), phase.consumed(), 0, phase.window(), phase.latency(), phase.classifierLatency(),
                phase.peakRssKb(), 0, Double.NaN, phase.instances(), Optional.of(check), Optional.empty())
                .withProfile(profile);
        StreamBenchmarkReport report = new StreamBenchmarkReport("2 cores", Instant.parse("2026-12-07T10:00:00Z"),
                "models/digits-cnn.onnx", List.of(), Map.of(), StreamBenchmarkSettings.Lengths.DEFAULT, 6_000,
                RAW_BATCHED, 64, 150, List.of(checked), 100);

        assertThat(report.accuracy()).contains("- model, exactly-once: accuracy of 1.2.0: offline 2 accepted",
                "record 2 accepted (2 correct), 0 rejected: equal");
        // 30,000 images in 30 s; 15 CPU seconds, 12 of them the model's, 3 the GC's and the JVM's
        assertThat(report.profiles()).contains("CPU profile of model, exactly-once at full load",
                "30.0 s, 30,000 images; 0.50 cores",
                "| model (ONNX Runtime, OnnxDigitModel) | 80.0% | 400 us | 1 | 0 |",
                "| GC and the JVM's own threads (not sampled) | 20.0% | 100 us | 0 | 0 |");
    }

    /** A run with the bare ceiling of the issue (11,362 and 14,904/s) and the figures given. */
    private static StreamBenchmarkReport report(double passThrough, double modelEos, double modelCores,
                                                long eosP99, long alosP99, double rssMegabytes) {
        long rssKb = Math.round(rssMegabytes * 1e6 / 1024);
        List<PhaseResult> phases = List.of(
                phase("bare Kafka Streams, exactly-once", ChildApplication.BARE, EOS, 0, 11_362, 0.8, 250),
                phase("bare Kafka Streams, at-least-once", ChildApplication.BARE, ALOS, 0, 14_904, 0.9, 250),
                phase("pass-through, exactly-once", ChildApplication.PASS_THROUGH, EOS, 0, passThrough, 1.1, 300),
                phase("model, exactly-once", ChildApplication.MODEL, EOS, 0, modelEos, modelCores, 300),
                phase("model, at-least-once", ChildApplication.MODEL, ALOS, 0, 1_783, 1.3, rssMegabytes),
                latency(EOS, eosP99, rssKb), latency(ALOS, alosP99, rssKb));
        return new StreamBenchmarkReport("2 cores, Linux amd64, Java 17", Instant.parse("2026-12-07T10:00:00Z"),
                "models/digits-cnn.onnx", List.of("-Xmx256m"), Map.of("streams.num.stream.threads", "2"),
                StreamBenchmarkSettings.Lengths.DEFAULT, 6_000, RAW_BATCHED, 64, 150, phases, 400);
    }

    /** A full-load phase of 30 s at {@code throughput}, the harness at one core. */
    private static PhaseResult phase(String name, ChildApplication application, String guarantee, int rate,
                                     double throughput, double childCores, double rssMegabytes) {
        int consumed = (int) Math.round(throughput * 30);
        return new PhaseResult(name, application, guarantee, rate, 400_000, 400_000, 0,
                new MeasuredWindow(5, 30, consumed, consumed, childCores * 30, 30), new LatencySummary(consumed,
                2_000, 2_400, 2_500), LatencySummary.NONE, Math.round(rssMegabytes * 1e6 / 1024), 0, Double.NaN);
    }

    private static PhaseResult latency(String guarantee, long p99, long rssKb) {
        return new PhaseResult("model", ChildApplication.MODEL, guarantee, 1_000, 20_000, 20_000, 0,
                new MeasuredWindow(5, 15, 15_000, 15_000, 15, 13), new LatencySummary(15_000, p99 / 2, p99, p99 + 10),
                new LatencySummary(15_000, 10, p99 / 2, p99), rssKb, rssKb, 500);
    }
}
