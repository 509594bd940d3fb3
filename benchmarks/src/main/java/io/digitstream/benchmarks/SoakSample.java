package io.digitstream.benchmarks;

import java.util.Locale;

/**
 * One look at the classifier during the soak. Memory and threads come from the child process ({@code VmRSS}) and from
 * its {@code /metrics}; a figure that could not be read is NaN.
 *
 * @param seconds          since the load started
 * @param underLoad        taken while the load was offered (the last one at its end), not while draining after it
 * @param rssKb            the classifier's resident memory
 * @param heapBytes        {@code jvm_memory_used_bytes{area="heap"}}, summed over the pools
 * @param heapCommittedBytes {@code jvm_memory_committed_bytes{area="heap"}}: what the heap holds from the system
 * @param nonHeapBytes     {@code jvm_memory_used_bytes{area="nonheap"}}: metaspace, code cache
 * @param liveDataBytes    {@code jvm_gc_live_data_size_bytes}: the old generation after the last collection
 * @param threads          {@code jvm_threads_live_threads}
 * @param sent             records sent so far, hostile ones included
 * @param predicted        distinct images predicted so far
 * @param deadLetters      dead letters read so far
 * @param imagesPerSecond  predictions per second since the previous sample
 * @param classifierCores  the classifier's CPU time per second since the previous sample
 */
public record SoakSample(double seconds, boolean underLoad, long rssKb, double heapBytes, double heapCommittedBytes,
                         double nonHeapBytes, double liveDataBytes, double threads, long sent, long predicted, long deadLetters, double imagesPerSecond,
                         double classifierCores) {

    public double rssMegabytes() {
        return rssKb / 1024.0;
    }

    /** One line for the terminal while the soak runs. */
    String line() {
        return String.format(Locale.ROOT, "  %5.0f s%s RSS %4.0f MB, heap %s of %s (old gen after GC %s), non-heap "
                        + "%s, %s threads, %s images/s, classifier %s; sent %,d, predicted %,d, dead letters %,d",
                seconds, underLoad ? "" : " (drained)", rssMegabytes(), megabytes(heapBytes),
                megabytes(heapCommittedBytes), megabytes(liveDataBytes), megabytes(nonHeapBytes), number(threads), number(imagesPerSecond), cores(classifierCores), sent,
                predicted, deadLetters);
    }

    static String number(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%,.0f", value);
    }

    static String cores(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f cores", value);
    }

    static String megabytes(double bytes) {
        return Double.isNaN(bytes) ? "-" : String.format(Locale.ROOT, "%.0f MB", bytes / (1024 * 1024));
    }
}
