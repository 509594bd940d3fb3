package io.digitstream.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the stream benchmark runs.
 *
 * @param modelFile          the ONNX model, for the raw ceiling and the classifier
 * @param throughputImages   images per throughput phase, sent as fast as possible
 * @param warmupImages       images each classifier classifies before any measurement (JIT, ORT, first commits)
 * @param latencyRate        offered images/s in the latency phases
 * @param latencyDuration    how long each latency phase offers that rate
 * @param rawRounds          rounds of the raw inference passes (median reported)
 * @param classifierSettings classifier properties for both child JVMs over serve's defaults (e.g.
 *                           {@code streams.num.stream.threads}); empty measures what {@code serve} runs with
 * @param childJvmOptions    JVM options of the classifier child JVMs, e.g. the heap cap
 * @param workDirectory      broker data, state directories, properties files and child logs
 */
public record StreamBenchmarkSettings(Path modelFile, int throughputImages, int warmupImages, int latencyRate,
                                      Duration latencyDuration, int rawRounds, Map<String, String> classifierSettings,
                                      List<String> childJvmOptions, Path workDirectory) {

    /** A heap a deployment would give the classifier; ONNX Runtime's memory is outside it. */
    public static final List<String> CHILD_JVM_OPTIONS = List.of("-Xmx256m");

    public StreamBenchmarkSettings {
        Objects.requireNonNull(modelFile, "modelFile");
        Objects.requireNonNull(latencyDuration, "latencyDuration");
        Objects.requireNonNull(workDirectory, "workDirectory");
        if (throughputImages < 1 || warmupImages < 1 || latencyRate < 1 || rawRounds < 1) {
            throw new IllegalArgumentException("images, warm-up, rate and rounds must be positive");
        }
        if (latencyDuration.toMillis() < 1_000) {
            throw new IllegalArgumentException("the latency phase needs at least a second: " + latencyDuration);
        }
        classifierSettings = Map.copyOf(classifierSettings);
        childJvmOptions = List.copyOf(childJvmOptions);
    }

    /** Images offered per latency phase. */
    public int latencyImages() {
        return (int) Math.max(1, latencyRate * latencyDuration.toMillis() / 1000);
    }
}
