package io.digitstream.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the stream benchmark runs. The defaults live here, and {@code ./digits benchmark stream} shows them.
 *
 * @param modelFile          the ONNX model, for the raw ceiling and the classifier
 * @param lengths            how long each phase runs and which part of it is measured
 * @param latencyRate        offered images/s in the latency phases
 * @param rawRounds          rounds of the raw inference passes (median reported)
 * @param classifierSettings classifier properties for every child JVM over serve's defaults (e.g.
 *                           {@code streams.num.stream.threads}); empty measures what {@code serve} runs with. The bare
 *                           Kafka Streams application runs with the same Kafka Streams settings.
 * @param childJvmOptions    JVM options of the child JVMs, e.g. the heap cap
 * @param workDirectory      broker data, state directories, properties files and child logs
 * @param instances          classifier JVMs in each model phase, one application (same application id and topics):
 *                           the scale-out run; the other phases run one
 * @param partitions         partitions of every topic of every phase
 * @param labelledImages     whether every image carries its label (header {@code label}): the classifier then counts
 *                           accuracy, and the model phases check its records and gauges against the offline counts
 * @param profileDirectory   where to keep a JDK Flight Recorder profile of the classifier in the full-load
 *                           exactly-once pass-through and model phases, which the report summarises per stage; empty:
 *                           no profile
 */
public record StreamBenchmarkSettings(Path modelFile, Lengths lengths, int latencyRate, int rawRounds,
                                      Map<String, String> classifierSettings, List<String> childJvmOptions,
                                      Path workDirectory, int instances, int partitions, boolean labelledImages,
                                      Optional<Path> profileDirectory) {

    public static final int DEFAULT_MIN_SECONDS = 30;
    public static final int DEFAULT_MIN_IMAGES = 100_000;
    public static final int DEFAULT_WARMUP_IMAGES = 30_000;
    public static final int DEFAULT_WARMUP_SECONDS = 10;
    public static final int DEFAULT_LATENCY_SECONDS = 15;
    public static final int DEFAULT_LATENCY_RATE = 1_000;
    public static final int DEFAULT_RAW_ROUNDS = 3;
    /** Partitions per topic with one classifier instance. */
    public static final int DEFAULT_PARTITIONS = 3;
    /** With more: enough for three instances of two stream threads to have a task each. */
    public static final int SCALE_OUT_PARTITIONS = 6;
    /**
     * The collector `serve` runs with (the `digits` launcher and the classifier image set it; the JVM picks it itself
     * in a container of less than 1792 MB, such as deploy/k8s's 1 GiB): G1's own structures were 40 MB of the
     * classifier's RSS at a 256 MB heap (docs/benchmarks.md).
     */
    public static final String GARBAGE_COLLECTOR = "-XX:+UseSerialGC";
    /** A heap a deployment would give the classifier (ONNX Runtime's memory is outside it), and serve's collector. */
    public static final List<String> CHILD_JVM_OPTIONS = List.of("-Xmx256m", GARBAGE_COLLECTOR);

    /** {@code -Xmx<heap>}, serve's collector unless {@code extra} chooses another ({@code -XX:+Use...GC}), then extra. */
    public static List<String> childJvmOptions(String heap, List<String> extra) {
        List<String> options = new ArrayList<>(List.of("-Xmx" + heap));
        if (extra.stream().noneMatch(option -> option.matches("-XX:\\+Use\\w+GC"))) {
            options.add(GARBAGE_COLLECTOR);
        }
        options.addAll(extra);
        return List.copyOf(options);
    }

    /**
     * How long each phase runs and which part of it is measured. A phase first has its fresh child JVM classify
     * {@code warmupImages} completely (start-up, JIT, first commits); then its load starts, and the first
     * {@code warmupCut} of the load is cut: every figure of the phase (images/s, CPU, latency) comes from the window
     * after it. At full load the window lasts until it is at least {@code minWindow} long <em>and</em> holds at
     * least {@code minImages} predictions; at a fixed rate it lasts {@code latencyWindow}.
     */
    public record Lengths(int warmupImages, Duration warmupCut, Duration minWindow, int minImages,
                          Duration latencyWindow) {

        public static final Lengths DEFAULT = new Lengths(DEFAULT_WARMUP_IMAGES,
                Duration.ofSeconds(DEFAULT_WARMUP_SECONDS), Duration.ofSeconds(DEFAULT_MIN_SECONDS),
                DEFAULT_MIN_IMAGES, Duration.ofSeconds(DEFAULT_LATENCY_SECONDS));

        public Lengths {
            Objects.requireNonNull(warmupCut, "warmupCut");
            Objects.requireNonNull(minWindow, "minWindow");
            Objects.requireNonNull(latencyWindow, "latencyWindow");
            if (warmupImages < 1 || minImages < 1) {
                throw new IllegalArgumentException("warm-up images and the window's images must be positive");
            }
            if (warmupCut.isNegative() || minWindow.isNegative()) {
                throw new IllegalArgumentException("the warm-up cut and the window cannot be negative");
            }
            if (latencyWindow.toMillis() < 1_000) {
                throw new IllegalArgumentException("the latency phase needs at least a second: " + latencyWindow);
            }
        }
    }

    public StreamBenchmarkSettings {
        Objects.requireNonNull(modelFile, "modelFile");
        Objects.requireNonNull(lengths, "lengths");
        Objects.requireNonNull(workDirectory, "workDirectory");
        Objects.requireNonNull(profileDirectory, "profileDirectory");
        if (latencyRate < 1 || rawRounds < 1) {
            throw new IllegalArgumentException("rate and rounds must be positive");
        }
        if (instances < 1 || partitions < 1) {
            throw new IllegalArgumentException("instances and partitions must be positive: " + instances + ", "
                    + partitions);
        }
        classifierSettings = Map.copyOf(classifierSettings);
        childJvmOptions = List.copyOf(childJvmOptions);
    }

    /** One instance, {@value #DEFAULT_PARTITIONS} partitions, unlabelled images, no profile. */
    public StreamBenchmarkSettings(Path modelFile, Lengths lengths, int latencyRate, int rawRounds,
                                   Map<String, String> classifierSettings, List<String> childJvmOptions,
                                   Path workDirectory) {
        this(modelFile, lengths, latencyRate, rawRounds, classifierSettings, childJvmOptions, workDirectory, 1,
                DEFAULT_PARTITIONS, false, Optional.empty());
    }

    /** The partitions a run with {@code instances} classifier instances gets unless told. */
    public static int defaultPartitions(int instances) {
        return instances > 1 ? SCALE_OUT_PARTITIONS : DEFAULT_PARTITIONS;
    }

    /** These settings with {@code instances} classifiers in the model phases on {@code partitions} partitions. */
    public StreamBenchmarkSettings withInstances(int instances, int partitions) {
        return new StreamBenchmarkSettings(modelFile, lengths, latencyRate, rawRounds, classifierSettings,
                childJvmOptions, workDirectory, instances, partitions, labelledImages, profileDirectory);
    }

    /** These settings with every image labelled, or none. */
    public StreamBenchmarkSettings withLabelledImages(boolean labelled) {
        return new StreamBenchmarkSettings(modelFile, lengths, latencyRate, rawRounds, classifierSettings,
                childJvmOptions, workDirectory, instances, partitions, labelled, profileDirectory);
    }

    /** These settings with the profile kept in {@code directory}. */
    public StreamBenchmarkSettings withProfile(Path directory) {
        return new StreamBenchmarkSettings(modelFile, lengths, latencyRate, rawRounds, classifierSettings,
                childJvmOptions, workDirectory, instances, partitions, labelledImages, Optional.of(directory));
    }

    /** Every default, serve's classifier settings and the default heap cap. */
    public static StreamBenchmarkSettings defaults(Path modelFile, Path workDirectory) {
        return new StreamBenchmarkSettings(modelFile, Lengths.DEFAULT, DEFAULT_LATENCY_RATE, DEFAULT_RAW_ROUNDS,
                Map.of(), CHILD_JVM_OPTIONS, workDirectory);
    }
}
