package io.digitstream.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the soak runs.
 *
 * @param modelFile             the ONNX model the classifier serves
 * @param duration              how long the load is offered
 * @param rate                  records offered per second, hostile ones included
 * @param hostileShare          share of the records that are hostile, e.g. 0.015
 * @param hostileBytesPerSecond budget of the large hostile records (600 KB keys, 9 MiB values), on average
 * @param sampleEvery           how often the classifier's memory, threads and rate are sampled
 * @param bootstrapServers      an existing broker, or empty to start an embedded one
 * @param classifierSettings    extra classifier properties, as in {@code serve --config}
 * @param childJvmOptions       JVM options of the classifier's child JVM
 * @param workDirectory         broker data, state directory, properties file and the classifier's log
 */
public record SoakSettings(Path modelFile, Duration duration, int rate, double hostileShare,
                           long hostileBytesPerSecond, Duration sampleEvery, Optional<String> bootstrapServers,
                           Map<String, String> classifierSettings, List<String> childJvmOptions, Path workDirectory) {

    public SoakSettings {
        Objects.requireNonNull(modelFile, "modelFile");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(sampleEvery, "sampleEvery");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(workDirectory, "workDirectory");
        if (duration.toMillis() < 1_000) {
            throw new IllegalArgumentException("the soak needs at least a second: " + duration);
        }
        if (rate < 1) {
            throw new IllegalArgumentException("the rate must be positive: " + rate);
        }
        if (hostileShare < 0 || hostileShare > 0.5) {
            throw new IllegalArgumentException("the hostile share must be between 0 and 0.5: " + hostileShare);
        }
        if (hostileBytesPerSecond < 1) {
            throw new IllegalArgumentException("the hostile byte budget must be positive: " + hostileBytesPerSecond);
        }
        if (sampleEvery.toMillis() < 100) {
            throw new IllegalArgumentException("sample at most every 100 ms: " + sampleEvery);
        }
        classifierSettings = Map.copyOf(classifierSettings);
        childJvmOptions = List.copyOf(childJvmOptions);
    }

    /** How long the classifier may take after the load to catch up: generous, but a stuck one does not hold us. */
    public Duration drainTimeout() {
        Duration quarter = duration.dividedBy(4);
        return quarter.compareTo(Duration.ofMinutes(2)) > 0 ? quarter : Duration.ofMinutes(2);
    }

    /** Where the warm-up ends: RSS growth is measured from the first sample at or after a quarter of the run. */
    public Duration warmup() {
        return duration.dividedBy(4);
    }
}
