package io.digitstream.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Everything one stream benchmark run measured, the figures derived from them (serial limit, ratios) and the
 * targets of the issue, rendered as a Markdown table that reads the same on a terminal.
 *
 * @param rawBatchOne        raw ONNX Runtime images/s, one image per call, one intra-op thread
 * @param rawBatched         raw images/s in batches of {@code rawBatch}, one intra-op thread
 * @param rawBatchOneMicros  median batch-1 call, microseconds
 * @param seconds            wall time of the whole run
 */
public record StreamBenchmarkReport(String machine, Instant startedAt, String model, List<String> childJvmOptions,
                                    Map<String, String> classifierSettings, double rawBatchOne, double rawBatched,
                                    int rawBatch, double rawBatchOneMicros, List<PhaseResult> phases,
                                    double seconds) {

    public static final double TARGET_THROUGHPUT = 8_000;
    public static final double TARGET_SHARE_OF_SERIAL_LIMIT = 0.60;
    public static final long TARGET_P99_EXACTLY_ONCE_MS = 250;
    public static final long TARGET_P99_AT_LEAST_ONCE_MS = 25;
    public static final double TARGET_RSS_MB = 600;

    public static String thisMachine() {
        return String.format(Locale.ROOT, "%d cores, %s %s, Java %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
    }

    public PhaseResult phase(String classifier, String guarantee, boolean fixedRate) {
        return phases.stream()
                .filter(p -> p.classifier().equals(classifier) && p.guarantee().equals(guarantee)
                        && (p.offeredRate() > 0) == fixedRate)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no phase " + classifier + "/"
                        + guarantee + (fixedRate ? " at a fixed rate" : "")));
    }

    public PhaseResult passThrough() {
        return phase("pass-through", "exactly_once_v2", false);
    }

    public PhaseResult modelExactlyOnce() {
        return phase("model", "exactly_once_v2", false);
    }

    public PhaseResult latencyExactlyOnce() {
        return phase("model", "exactly_once_v2", true);
    }

    public PhaseResult latencyAtLeastOnce() {
        return phase("model", "at_least_once", true);
    }

    /** What Kafka plus the model could do if each image paid both in turn: 1 / (1/pass-through + 1/raw batched). */
    public double serialLimit() {
        return 1 / (1 / passThrough().throughput() + 1 / rawBatched);
    }

    /** The same with the batch-1 model rate, which is what per-record classification pays. */
    public double serialLimitBatchOne() {
        return 1 / (1 / passThrough().throughput() + 1 / rawBatchOne);
    }

    /** The largest resident memory any model classifier reached. */
    public double classifierPeakRssMegabytes() {
        return phases.stream().filter(p -> p.classifier().equals("model"))
                .mapToDouble(PhaseResult::peakRssMegabytes).max().orElse(0);
    }

    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Machine: %s. Run started %s, took %.0f s.%n",
                machine, startedAt.truncatedTo(ChronoUnit.SECONDS), seconds));
        md.append(String.format(Locale.ROOT, "Model: %s. Classifier child JVMs: %s. Settings: %s.%n%n", model,
                String.join(" ", childJvmOptions), classifierSettings.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "))));
        md.append(String.format(Locale.ROOT, "Raw ONNX Runtime, 1 intra-op thread: batch 1 %,.0f images/s (median "
                + "call %.0f us), batch %d %,.0f images/s.%n%n", rawBatchOne, rawBatchOneMicros, rawBatch,
                rawBatched));
        md.append("| phase | load | predictions / images | duplicates | end-to-end images/s | latency p50 / p99 / max "
                + "| classifier-stamped p50 / p99 | in-stream preprocess + classify | classifier CPU | harness CPU "
                + "| classifier peak RSS |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (PhaseResult p : phases) {
            md.append(String.format(Locale.ROOT,
                    "| %s | %s | %,d / %,d | %d | %,.0f | %d / %d / %d ms | %s | %s | %.2f cores | %.2f cores | %.0f MB |%n",
                    p.name(), p.offeredRate() > 0 ? String.format(Locale.ROOT, "%,d/s (sent %,.0f/s)",
                            p.offeredRate(), p.sendRate()) : String.format(Locale.ROOT, "max (sent %,.0f/s)",
                            p.sendRate()),
                    p.consumed(), p.produced(), p.duplicates(), p.throughput(), p.latency().p50(),
                    p.latency().p99(), p.latency().max(),
                    p.classifierLatency().count() == 0 ? "-" : p.classifierLatency().p50() + " / "
                            + p.classifierLatency().p99() + " ms",
                    Double.isNaN(p.inferenceMicros()) ? "-" : String.format(Locale.ROOT, "%.0f us",
                            p.inferenceMicros()),
                    p.classifierCores(), p.harnessCores(), p.peakRssMegabytes()));
        }
        double endToEnd = modelExactlyOnce().throughput();
        md.append(String.format(Locale.ROOT, "%nSerial limit 1 / (1/pass-through + 1/raw batched) = 1 / (1/%,.0f + "
                        + "1/%,.0f) = **%,.0f images/s** (with the batch-1 rate instead: %,.0f images/s).%n",
                passThrough().throughput(), rawBatched, serialLimit(), serialLimitBatchOne()));
        md.append(String.format(Locale.ROOT, "Per image: Kafka and the pipeline (pass-through) %.0f us, the model "
                        + "%.0f us batched / %.0f us batch 1; end to end with the model %.0f us.%n",
                1e6 / passThrough().throughput(), 1e6 / rawBatched, 1e6 / rawBatchOne, 1e6 / endToEnd));
        md.append(String.format(Locale.ROOT, "End to end (model, exactly-once) %,.0f images/s = %.0f%% of raw "
                        + "batched, %.0f%% of raw batch 1, %.0f%% of the serial limit.%n%n", endToEnd,
                100 * endToEnd / rawBatched, 100 * endToEnd / rawBatchOne, 100 * endToEnd / serialLimit()));
        md.append("| target | measured | met |\n| --- | --- | --- |\n");
        target(md, "end to end, exactly-once >= 8,000 images/s", String.format(Locale.ROOT, "%,.0f images/s",
                endToEnd), endToEnd >= TARGET_THROUGHPUT);
        target(md, "end to end >= 60% of the serial limit", String.format(Locale.ROOT, "%.0f%%",
                100 * endToEnd / serialLimit()), endToEnd >= TARGET_SHARE_OF_SERIAL_LIMIT * serialLimit());
        long eosP99 = latencyExactlyOnce().latency().p99();
        target(md, "p99 <= 250 ms, exactly-once, " + latencyExactlyOnce().offeredRate() + " images/s",
                eosP99 + " ms", eosP99 <= TARGET_P99_EXACTLY_ONCE_MS);
        long alosP99 = latencyAtLeastOnce().latency().p99();
        target(md, "p99 <= 25 ms, at-least-once, " + latencyAtLeastOnce().offeredRate() + " images/s",
                alosP99 + " ms", alosP99 <= TARGET_P99_AT_LEAST_ONCE_MS);
        target(md, "classifier RSS <= 600 MB", String.format(Locale.ROOT, "%.0f MB",
                classifierPeakRssMegabytes()), classifierPeakRssMegabytes() <= TARGET_RSS_MB);
        return md.toString();
    }

    private static void target(StringBuilder md, String target, String measured, boolean met) {
        md.append("| ").append(target).append(" | ").append(measured).append(" | ").append(met ? "yes" : "**no**")
                .append(" |\n");
    }

    public void writeMarkdown(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toMarkdown());
    }
}
