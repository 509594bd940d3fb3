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
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything one stream benchmark run measured, the figures derived from them (the bare Kafka Streams ceiling, the
 * serial limit, the ratios) and the targets of issue 12, rendered as a Markdown table that reads the same on a
 * terminal.
 *
 * @param lengths            how the phases were run and cut
 * @param partitions         partitions of every topic
 * @param rawBatchOne        raw ONNX Runtime images/s, one image per call, one intra-op thread
 * @param rawBatched         raw images/s in batches of {@code rawBatch}, one intra-op thread
 * @param rawBatchOneMicros  median batch-1 call, microseconds
 * @param seconds            wall time of the whole run
 */
public record StreamBenchmarkReport(String machine, Instant startedAt, String model, List<String> childJvmOptions,
                                    Map<String, String> classifierSettings, StreamBenchmarkSettings.Lengths lengths,
                                    int partitions, double rawBatchOne, double rawBatched, int rawBatch,
                                    double rawBatchOneMicros, List<PhaseResult> phases, double seconds) {

    public static final double TARGET_PASS_THROUGH_SHARE_OF_BARE = 0.7;
    public static final double TARGET_SHARE_OF_SERIAL_LIMIT = 0.8;
    /** The classifier's CPU per image may exceed the model's own cost by this much, microseconds. */
    public static final double TARGET_CPU_OVER_MODEL_MICROS = 150;
    public static final long TARGET_P99_EXACTLY_ONCE_MS = 150;
    public static final long TARGET_P99_AT_LEAST_ONCE_MS = 30;
    public static final double TARGET_RSS_MB = 400;

    private static final String EOS = StreamsConfig.EXACTLY_ONCE_V2;
    private static final String ALOS = StreamsConfig.AT_LEAST_ONCE;

    public StreamBenchmarkReport {
        childJvmOptions = List.copyOf(childJvmOptions);
        classifierSettings = Map.copyOf(classifierSettings);
        phases = List.copyOf(phases);
    }

    /** A run on {@value StreamBenchmarkSettings#DEFAULT_PARTITIONS} partitions. */
    public StreamBenchmarkReport(String machine, Instant startedAt, String model, List<String> childJvmOptions,
                                 Map<String, String> classifierSettings, StreamBenchmarkSettings.Lengths lengths,
                                 double rawBatchOne, double rawBatched, int rawBatch, double rawBatchOneMicros,
                                 List<PhaseResult> phases, double seconds) {
        this(machine, startedAt, model, childJvmOptions, classifierSettings, lengths,
                StreamBenchmarkSettings.DEFAULT_PARTITIONS, rawBatchOne, rawBatched, rawBatch, rawBatchOneMicros,
                phases, seconds);
    }

    public static String thisMachine() {
        return String.format(Locale.ROOT, "%d cores, %s %s, Java %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
    }

    public PhaseResult phase(ChildApplication application, String guarantee, boolean fixedRate) {
        return phases.stream()
                .filter(p -> p.application() == application && p.guarantee().equals(guarantee)
                        && p.fixedRate() == fixedRate)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no phase " + application.label() + "/"
                        + guarantee + (fixedRate ? " at a fixed rate" : "")));
    }

    /** The bare Kafka Streams application, exactly-once, at full load: the pipeline's ceiling. */
    public PhaseResult bare() {
        return phase(ChildApplication.BARE, EOS, false);
    }

    public PhaseResult passThrough() {
        return phase(ChildApplication.PASS_THROUGH, EOS, false);
    }

    public PhaseResult modelExactlyOnce() {
        return phase(ChildApplication.MODEL, EOS, false);
    }

    public PhaseResult latencyExactlyOnce() {
        return phase(ChildApplication.MODEL, EOS, true);
    }

    public PhaseResult latencyAtLeastOnce() {
        return phase(ChildApplication.MODEL, ALOS, true);
    }

    /** The product's pass-through against the bare application, both exactly-once: what the topology costs. */
    public double passThroughShareOfBare() {
        return passThrough().throughput() / bare().throughput();
    }

    /** What Kafka Streams plus the model could do if each image paid both in turn: 1 / (1/bare + 1/raw batched). */
    public double serialLimit() {
        return 1 / (1 / bare().throughput() + 1 / rawBatched);
    }

    /** The same with the batch-1 model rate, which per-record classification pays. */
    public double serialLimitBatchOne() {
        return 1 / (1 / bare().throughput() + 1 / rawBatchOne);
    }

    /** End to end with the model, exactly-once, against {@link #serialLimit()}. */
    public double shareOfSerialLimit() {
        return modelExactlyOnce().throughput() / serialLimit();
    }

    /** The model's own cost per image: raw ONNX Runtime, batched, one thread, microseconds. */
    public double modelMicrosPerImage() {
        return 1e6 / rawBatched;
    }

    /** The classifier JVM's CPU per image, exactly-once, at full load, microseconds. */
    public double classifierMicrosPerImage() {
        return modelExactlyOnce().window().childMicrosPerImage();
    }

    /** The largest resident memory any model classifier reached. */
    public double classifierPeakRssMegabytes() {
        return phases.stream().filter(p -> p.application() == ChildApplication.MODEL)
                .mapToDouble(PhaseResult::peakRssMegabytes).max().orElse(0);
    }

    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Machine: %s. Run started %s, took %.0f s.%n",
                machine, startedAt.truncatedTo(ChronoUnit.SECONDS), seconds));
        md.append(String.format(Locale.ROOT, "Model: %s. Child JVMs: %s. Settings: %s.%n", model,
                String.join(" ", childJvmOptions), classifierSettings.entrySet().stream()
                        .sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", "))));
        md.append(String.format(Locale.ROOT, "Topics: %d partitions. Classifier instances in the model phases: %d. "
                        + "Images labelled: %s.%n%n", partitions, instances(),
                phases.stream().anyMatch(p -> p.accuracy().isPresent()) ? "yes" : "no"));
        md.append(String.format(Locale.ROOT, "Raw ONNX Runtime, 1 intra-op thread: batch 1 %,.0f images/s (median "
                + "call %.0f us), batch %d %,.0f images/s.%n%n", rawBatchOne, rawBatchOneMicros, rawBatch,
                rawBatched));
        md.append(measurement()).append("\n\n");
        md.append("| phase | load | window | predictions / images | duplicates | images/s | latency p50 / p99 / max "
                + "| classifier-stamped p50 / p99 | in-stream preprocess + classify | child CPU | harness CPU "
                + "| child peak RSS |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (PhaseResult p : phases) {
            md.append(row(p)).append('\n');
        }
        md.append('\n').append(ratios()).append('\n');
        md.append(targets());
        md.append(scaleOut());
        md.append(accuracy());
        md.append(profiles());
        return md.toString();
    }

    /** The most classifier instances any phase ran. */
    public int instances() {
        return phases.stream().mapToInt(p -> p.instances().size()).max().orElse(1);
    }

    /** What each instance did in the phases that ran several; empty when none did. */
    String scaleOut() {
        List<PhaseResult> scaled = phases.stream().filter(p -> p.instances().size() > 1).toList();
        if (scaled.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%nScale-out: %d classifier instances in "
                + "each model phase (one application: same application id and topics, %d partitions per topic, "
                + "a state directory each); images = what each classified in the window (its inference timer).%n%n",
                instances(), partitions));
        md.append("| phase | load | images/s, all | instance | images in the window | share | CPU | CPU per image "
                + "| peak RSS |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (PhaseResult p : scaled) {
            double total = p.instances().stream().mapToDouble(InstanceResult::images).sum();
            for (InstanceResult i : p.instances()) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %d | %,.0f | %.0f%% | %.2f cores | %.0f us "
                                + "| %.0f MB |%n", p.name(), p.fixedRate() ? String.format(Locale.ROOT, "%,d/s",
                                p.offeredRate()) : "max", p.throughput(), i.instance(), i.images(),
                        100 * i.images() / total, i.cores(p.window().seconds()), i.microsPerImage(),
                        i.peakRssKb() * 1024 / 1e6));
            }
        }
        return md.toString();
    }

    /** The accuracy checks of the model phases; empty when the images were not labelled. */
    String accuracy() {
        List<PhaseResult> checked = phases.stream().filter(p -> p.accuracy().isPresent()).toList();
        if (checked.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%nAccuracy (every image labelled; the last "
                + "cumulative digits.accuracy record and the gauges against the model's answers offline for the "
                + "images sent, warm-up included):%n%n"));
        for (PhaseResult p : checked) {
            md.append("- ").append(p.name()).append(p.fixedRate() ? " at a fixed rate" : "").append(": ")
                    .append(p.accuracy().orElseThrow().summary()).append('\n');
        }
        return md.toString();
    }

    /** The CPU profile of each profiled phase; empty without a profile. */
    String profiles() {
        StringBuilder md = new StringBuilder();
        for (PhaseResult p : phases) {
            p.profile().ifPresent(profile -> md.append(String.format(Locale.ROOT, "%nCPU profile of %s at full load "
                            + "(JDK Flight Recorder, the window only: %.1f s, %,d images; %.2f cores; each sample "
                            + "charged to the first stage its stack names from the top):%n%n", p.name(),
                    p.window().seconds(), p.window().consumed(), profile.cpuSeconds() / p.window().seconds()))
                    .append(profile.toMarkdown(p.window().consumed())));
        }
        return md.toString();
    }

    /** How the phases were measured, from {@link #lengths}. */
    String measurement() {
        return String.format(Locale.ROOT, "Each phase: a fresh child JVM classifies %,d warm-up images first; then "
                        + "the load starts and its first %s s are cut; every figure is over the window after the cut: "
                        + "at full load at least %s s and %,d images (the harness keeps about %d s of images queued "
                        + "ahead of the predictions consumed), at a fixed rate %s s. images/s = predictions consumed "
                        + "in the window / its length; CPU = user + system time of the child JVM (classifier or bare "
                        + "Kafka Streams application) and of the harness JVM (broker, producer, consumer) over the "
                        + "window, in cores and per prediction consumed in it; latency = consume time - send time of "
                        + "the images sent in the window (at full load it is the harness's queue).",
                lengths.warmupImages(), seconds(lengths.warmupCut().toMillis()),
                seconds(lengths.minWindow().toMillis()), lengths.minImages(), PhasePlan.BACKLOG_SECONDS,
                seconds(lengths.latencyWindow().toMillis()));
    }

    /** One phase's row of the table. */
    static String row(PhaseResult p) {
        MeasuredWindow w = p.window();
        return String.format(Locale.ROOT,
                "| %s | %s | %.1f s, %,d | %,d / %,d | %d | %,.0f | %d / %d / %d ms | %s | %s | %s | %s | %.0f MB |",
                p.name(), p.fixedRate() ? String.format(Locale.ROOT, "%,d/s (sent %,.0f/s)", p.offeredRate(),
                        w.sendRate()) : "max", w.seconds(), w.consumed(), p.consumed(), p.produced(), p.duplicates(),
                p.throughput(), p.latency().p50(), p.latency().p99(), p.latency().max(),
                p.classifierLatency().count() == 0 ? "-" : p.classifierLatency().p50() + " / "
                        + p.classifierLatency().p99() + " ms",
                Double.isNaN(p.inferenceMicros()) ? "-" : String.format(Locale.ROOT, "%.0f us", p.inferenceMicros()),
                cpu(w.childCores(), w.childMicrosPerImage()), cpu(w.harnessCores(), w.harnessMicrosPerImage()),
                p.peakRssMegabytes());
    }

    private static String cpu(double cores, double microsPerImage) {
        return Double.isNaN(cores) ? "-" : String.format(Locale.ROOT, "%.2f cores, %.0f us/image", cores,
                microsPerImage);
    }

    /** The ceiling, the serial limit and the ratios the targets use. */
    String ratios() {
        PhaseResult bare = bare();
        double bareAlos = phase(ChildApplication.BARE, ALOS, false).throughput();
        double passThrough = passThrough().throughput();
        double endToEnd = modelExactlyOnce().throughput();
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "- Bare Kafka Streams (identity mapValues, the classifier's Kafka "
                + "Streams settings): exactly-once **%,.0f records/s**, at-least-once %,.0f records/s.%n",
                bare.throughput(), bareAlos));
        md.append(String.format(Locale.ROOT, "- Pass-through / bare, exactly-once: %,.0f / %,.0f = **%.2f**.%n",
                passThrough, bare.throughput(), passThroughShareOfBare()));
        md.append(String.format(Locale.ROOT, "- Serial limit 1 / (1/bare + 1/raw batched) = 1 / (1/%,.0f + 1/%,.0f) "
                        + "= **%,.0f images/s** (with the batch-1 rate instead: %,.0f images/s).%n",
                bare.throughput(), rawBatched, serialLimit(), serialLimitBatchOne()));
        md.append(String.format(Locale.ROOT, "- End to end (model, exactly-once) / serial limit: %,.0f / %,.0f = "
                + "**%.2f**.%n", endToEnd, serialLimit(), shareOfSerialLimit()));
        md.append(String.format(Locale.ROOT, "- Wall time per image: bare Kafka Streams %.0f us, pass-through %.0f us, "
                        + "the model %.0f us batched / %.0f us batch 1, end to end with the model %.0f us.%n",
                1e6 / bare.throughput(), 1e6 / passThrough, modelMicrosPerImage(), 1e6 / rawBatchOne,
                1e6 / endToEnd));
        md.append(String.format(Locale.ROOT, "- CPU per image of the child JVM at full load, exactly-once: bare "
                        + "%.0f us, pass-through %.0f us, classifier with the model %.0f us = the model's %.0f us "
                        + "(raw batched) + %.0f us.%n",
                bare.window().childMicrosPerImage(), passThrough().window().childMicrosPerImage(),
                classifierMicrosPerImage(), modelMicrosPerImage(), classifierMicrosPerImage() - modelMicrosPerImage()));
        return md.toString();
    }

    /** The targets of issue 12 that one run measures. */
    String targets() {
        StringBuilder md = new StringBuilder("| target | measured | met |\n| --- | --- | --- |\n");
        target(md, String.format(Locale.ROOT, "pass-through / bare Kafka Streams, exactly-once >= %.1f",
                TARGET_PASS_THROUGH_SHARE_OF_BARE), String.format(Locale.ROOT, "%.2f", passThroughShareOfBare()),
                passThroughShareOfBare() >= TARGET_PASS_THROUGH_SHARE_OF_BARE);
        target(md, String.format(Locale.ROOT, "end to end with the model, exactly-once / serial limit >= %.1f",
                TARGET_SHARE_OF_SERIAL_LIMIT), String.format(Locale.ROOT, "%.2f", shareOfSerialLimit()),
                shareOfSerialLimit() >= TARGET_SHARE_OF_SERIAL_LIMIT);
        double cpuLimit = modelMicrosPerImage() + TARGET_CPU_OVER_MODEL_MICROS;
        target(md, String.format(Locale.ROOT, "classifier CPU per image, exactly-once, full load <= model + %.0f us "
                        + "(%.0f us)", TARGET_CPU_OVER_MODEL_MICROS, cpuLimit),
                String.format(Locale.ROOT, "%.0f us", classifierMicrosPerImage()),
                classifierMicrosPerImage() <= cpuLimit);
        long eosP99 = latencyExactlyOnce().latency().p99();
        target(md, String.format(Locale.ROOT, "p99 <= %d ms, exactly-once, %,d images/s", TARGET_P99_EXACTLY_ONCE_MS,
                latencyExactlyOnce().offeredRate()), eosP99 + " ms", eosP99 <= TARGET_P99_EXACTLY_ONCE_MS);
        long alosP99 = latencyAtLeastOnce().latency().p99();
        target(md, String.format(Locale.ROOT, "p99 <= %d ms, at-least-once, %,d images/s", TARGET_P99_AT_LEAST_ONCE_MS,
                latencyAtLeastOnce().offeredRate()), alosP99 + " ms", alosP99 <= TARGET_P99_AT_LEAST_ONCE_MS);
        target(md, String.format(Locale.ROOT, "classifier peak RSS <= %.0f MB", TARGET_RSS_MB),
                String.format(Locale.ROOT, "%.0f MB", classifierPeakRssMegabytes()),
                classifierPeakRssMegabytes() <= TARGET_RSS_MB);
        return md.toString();
    }

    private static void target(StringBuilder md, String target, String measured, boolean met) {
        md.append("| ").append(target).append(" | ").append(measured).append(" | ").append(met ? "yes" : "**no**")
                .append(" |\n");
    }

    /** Milliseconds as seconds without a needless fraction: 5000 -> "5", 1500 -> "1.5". */
    private static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format(Locale.ROOT, "%.1f", millis / 1e3);
    }

    public void writeMarkdown(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toMarkdown());
    }
}
