package io.digitstream.benchmarks;

/**
 * The measured part of one phase: from the end of its warm-up cut to the end of its load. Images/s and CPU per image
 * are counted here only; CPU is user plus system time of each process (see {@link ProcessCpu}).
 *
 * @param cutSeconds        how long after the phase's load started the window opened (the warm-up cut)
 * @param seconds           the window's wall time
 * @param sent              images the harness sent in the window
 * @param consumed          distinct predictions consumed in the window
 * @param childCpuSeconds   CPU the child JVM (classifier or bare Kafka Streams application) used in the window;
 *                          NaN when the operating system does not tell
 * @param harnessCpuSeconds CPU this JVM (broker, producer, consumer) used in the window; NaN when unknown
 */
public record MeasuredWindow(double cutSeconds, double seconds, int sent, int consumed, double childCpuSeconds,
                             double harnessCpuSeconds) {

    /**
     * Counters read at one moment of a phase.
     *
     * @param nanos  {@link System#nanoTime()}
     * @param millis {@link System#currentTimeMillis()}, the clock of the records' timestamps
     */
    record Mark(long nanos, long millis, int sent, int consumed, double childCpuSeconds, double harnessCpuSeconds) {
    }

    public MeasuredWindow {
        if (seconds <= 0 || sent < 0 || consumed < 0) {
            throw new IllegalArgumentException("a window needs a positive length and counts: " + seconds + " s, "
                    + sent + " sent, " + consumed + " consumed");
        }
    }

    /** The window from {@code open} to {@code close} of a load that started at {@code loadStartNanos}. */
    static MeasuredWindow between(long loadStartNanos, Mark open, Mark close) {
        return new MeasuredWindow((open.nanos() - loadStartNanos) / 1e9,
                Math.max(close.nanos() - open.nanos(), 1) / 1e9, close.sent() - open.sent(),
                close.consumed() - open.consumed(), close.childCpuSeconds() - open.childCpuSeconds(),
                close.harnessCpuSeconds() - open.harnessCpuSeconds());
    }

    /** Predictions consumed per second of the window. */
    public double throughput() {
        return consumed / seconds;
    }

    /** Images sent per second of the window. */
    public double sendRate() {
        return sent / seconds;
    }

    public double childCores() {
        return childCpuSeconds / seconds;
    }

    public double harnessCores() {
        return harnessCpuSeconds / seconds;
    }

    /** The child JVM's CPU per prediction consumed in the window, microseconds; NaN with none consumed. */
    public double childMicrosPerImage() {
        return perImage(childCpuSeconds);
    }

    /** This JVM's CPU per prediction consumed in the window, microseconds; NaN with none consumed. */
    public double harnessMicrosPerImage() {
        return perImage(harnessCpuSeconds);
    }

    private double perImage(double cpuSeconds) {
        return consumed == 0 ? Double.NaN : 1e6 * cpuSeconds / consumed;
    }
}
