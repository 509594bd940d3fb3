package io.digitstream.benchmarks;

/**
 * What one phase of the stream benchmark measured: one classifier child JVM, one processing guarantee, one load.
 *
 * @param name             what the phase measures, e.g. {@code model, exactly-once}
 * @param classifier       {@code model} or {@code pass-through}
 * @param guarantee        Kafka Streams processing guarantee
 * @param offeredRate      images/s asked of the producer; 0 = as fast as possible
 * @param produced         measured images sent (warm-up not counted)
 * @param consumed         distinct predictions of those consumed
 * @param duplicates       predictions consumed more than once (at-least-once may redeliver)
 * @param sendRate         images/s the producer achieved
 * @param throughput       consumed / (last prediction consumed - first image sent): end to end, fill and drain included
 * @param latency          consume time - input record timestamp, ms (same clock: producer and consumer share a JVM)
 * @param classifierLatency classifiedAt - receivedAt from the predictions, ms; only in fixed-rate phases
 * @param peakRssKb        the classifier JVM's largest sampled VmRSS, KiB
 * @param highWaterMarkKb  its VmHWM (the kernel's peak), KiB
 * @param classifierCores  CPU the classifier JVM used during the measurement, in cores
 * @param harnessCores     CPU the harness JVM (broker, producer, consumer) used meanwhile, in cores
 * @param inferenceMicros  the classifier's own mean decode-preprocess-classify time per image during the
 *                         measurement ({@code digits_inference_seconds}), microseconds; NaN if /metrics was unreadable
 * @param seconds          the measurement's wall time
 */
public record PhaseResult(String name, String classifier, String guarantee, int offeredRate, int produced,
                          int consumed, int duplicates, double sendRate, double throughput, LatencySummary latency,
                          LatencySummary classifierLatency, long peakRssKb, long highWaterMarkKb,
                          double classifierCores, double harnessCores, double inferenceMicros,
                          double seconds) {

    /** The larger of the sampled and the kernel's peak, in MB (10^6 bytes). */
    public double peakRssMegabytes() {
        return Math.max(peakRssKb, highWaterMarkKb) * 1024 / 1e6;
    }
}
