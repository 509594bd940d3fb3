package io.digitstream.benchmarks;

/**
 * What one phase of the stream benchmark measured: one child JVM, one processing guarantee, one load. Images/s, CPU
 * and latency come from the phase's {@linkplain MeasuredWindow window}, after its warm-up cut.
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
 */
public record PhaseResult(String name, ChildApplication application, String guarantee, int offeredRate,
                          int produced, int consumed, int duplicates, MeasuredWindow window, LatencySummary latency,
                          LatencySummary classifierLatency, long peakRssKb, long highWaterMarkKb,
                          double inferenceMicros) {

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
