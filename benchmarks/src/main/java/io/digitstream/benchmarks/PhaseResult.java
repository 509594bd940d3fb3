package io.digitstream.benchmarks;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one phase of the stream benchmark measured: one child JVM (or several instances of one application), one
 * processing guarantee, one load. Images/s, CPU and latency come from the phase's {@linkplain MeasuredWindow window},
 * after its warm-up cut.
 *
 * @param name              what the phase measures, e.g. {@code model, exactly-once}
 * @param application       what the child JVM ran
 * @param guarantee         Kafka Streams processing guarantee
 * @param offeredRate       images/s asked of the producer; 0 = full load
 * @param produced          images sent in the whole phase, the cut and the window (the warm-up images not counted)
 * @param consumed          distinct predictions of those consumed, the drain after the window included
 * @param duplicates        predictions consumed more than once (at-least-once may redeliver)
 * @param window            the measured part of the phase
 * @param latency           consume time - input record timestamp, ms, of the images sent in the window (same clock:
 *                          producer and consumer share a JVM)
 * @param classifierLatency classifiedAt - receivedAt from the predictions of the same images, ms; only in fixed-rate
 *                          phases of the classifier
 * @param peakRssKb         the child JVM's largest sampled VmRSS over the whole phase, KiB
 * @param highWaterMarkKb   its VmHWM (the kernel's peak), KiB
 * @param inferenceMicros   the classifier's own mean decode-preprocess-classify time per image in the window
 *                          ({@code digits_inference_seconds}), microseconds; NaN if /metrics was unreadable or there
 *                          is no classifier
 * @param instances         each child JVM's part (one for most phases; several in a scale-out run); the figures
 *                          above are over all of them, the memory the largest of any one
 * @param accuracy          with labelled images in a model phase, the accuracy records and gauges against the
 *                          offline counts
 * @param profile           where the classifier's CPU went in the window, when the phase was profiled
 */
public record PhaseResult(String name, ChildApplication application, String guarantee, int offeredRate,
                          int produced, int consumed, int duplicates, MeasuredWindow window, LatencySummary latency,
                          LatencySummary classifierLatency, long peakRssKb, long highWaterMarkKb,
                          double inferenceMicros, List<InstanceResult> instances, Optional<AccuracyCheck> accuracy,
                          Optional<CpuProfile> profile) {

    public PhaseResult {
        instances = List.copyOf(instances);
        Objects.requireNonNull(accuracy, "accuracy");
        Objects.requireNonNull(profile, "profile");
    }

    /** A phase of one child JVM, no accuracy check and no profile. */
    public PhaseResult(String name, ChildApplication application, String guarantee, int offeredRate, int produced,
                       int consumed, int duplicates, MeasuredWindow window, LatencySummary latency,
                       LatencySummary classifierLatency, long peakRssKb, long highWaterMarkKb,
                       double inferenceMicros) {
        this(name, application, guarantee, offeredRate, produced, consumed, duplicates, window, latency,
                classifierLatency, peakRssKb, highWaterMarkKb, inferenceMicros,
                List.of(new InstanceResult(1, window.childCpuSeconds(), Double.NaN, Math.max(peakRssKb,
                        highWaterMarkKb))), Optional.empty(), Optional.empty());
    }

    /** This result with the profile of its window. */
    PhaseResult withProfile(CpuProfile cpuProfile) {
        return new PhaseResult(name, application, guarantee, offeredRate, produced, consumed, duplicates, window,
                latency, classifierLatency, peakRssKb, highWaterMarkKb, inferenceMicros, instances, accuracy,
                Optional.of(cpuProfile));
    }

    /** Predictions consumed per second of the window. */
    public double throughput() {
        return window.throughput();
    }

    public boolean fixedRate() {
        return offeredRate > 0;
    }

    /** The larger of the sampled and the kernel's peak, in MB (10^6 bytes). */
    public double peakRssMegabytes() {
        return Math.max(peakRssKb, highWaterMarkKb) * 1024 / 1e6;
    }
}
