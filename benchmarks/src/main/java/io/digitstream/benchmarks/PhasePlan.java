package io.digitstream.benchmarks;

/**
 * When a phase's images go out and which part of the phase is measured, as functions of the time since its load
 * started: no Kafka here, so that the rules can be tested on their own.
 *
 * <p>At full load ({@code rate} 0) the harness keeps about {@value #BACKLOG_SECONDS} s of images, at the rate
 * consumed so far, ahead of the predictions consumed (at least {@value #MIN_BACKLOG}, at most {@value #MAX_BACKLOG}):
 * the application under test never waits for input, and the broker is not buried under a backlog that would only
 * add to latency and disk. At a fixed rate, image {@code n} is due {@code n / rate} seconds after the start.
 *
 * @param rate           images/s offered; 0 = full load
 * @param warmupCutNanos how long after the load's start the measured window opens
 * @param minWindowNanos the shortest window; at a fixed rate, the window's length
 * @param minImages      the fewest predictions a full-load window holds (unused at a fixed rate)
 */
record PhasePlan(int rate, long warmupCutNanos, long minWindowNanos, int minImages) {

    static final int BACKLOG_SECONDS = 2;
    static final int MIN_BACKLOG = 1_000;
    static final int MAX_BACKLOG = 40_000;
    /** How long the harness waits at full load when the backlog is full. */
    static final long POLL_NANOS = 5_000_000;

    PhasePlan {
        if (rate < 0 || warmupCutNanos < 0 || minWindowNanos < 0 || minImages < 0) {
            throw new IllegalArgumentException("negative rate, cut, window or images");
        }
    }

    static PhasePlan atFullLoad(StreamBenchmarkSettings.Lengths lengths) {
        return new PhasePlan(0, lengths.warmupCut().toNanos(), lengths.minWindow().toNanos(), lengths.minImages());
    }

    static PhasePlan atRate(int rate, StreamBenchmarkSettings.Lengths lengths) {
        if (rate < 1) {
            throw new IllegalArgumentException("a fixed rate must be positive: " + rate);
        }
        return new PhasePlan(rate, lengths.warmupCut().toNanos(), lengths.latencyWindow().toNanos(), 0);
    }

    boolean fixedRate() {
        return rate > 0;
    }

    /** At a fixed rate, every image the phase sends, the cut's included; unbounded at full load. */
    int scheduled() {
        return fixedRate() ? (int) Math.max(1, Math.round(rate * ((warmupCutNanos + minWindowNanos) / 1e9)))
                : Integer.MAX_VALUE;
    }

    /** How many images may have been sent {@code elapsedNanos} after the start, with {@code consumed} consumed. */
    long sendable(long elapsedNanos, int consumed) {
        if (fixedRate()) {
            return Math.min(scheduled(), (long) (elapsedNanos / 1e9 * rate) + 1);
        }
        return (long) consumed + backlog(consumed, elapsedNanos);
    }

    /** Images to keep ahead of those consumed: {@value #BACKLOG_SECONDS} s at the rate so far, within the bounds. */
    static int backlog(int consumed, long elapsedNanos) {
        double perSecond = elapsedNanos <= 0 ? 0 : consumed / (elapsedNanos / 1e9);
        return (int) Math.max(MIN_BACKLOG, Math.min(MAX_BACKLOG, BACKLOG_SECONDS * perSecond));
    }

    /** How long to wait, {@code elapsedNanos} after the start, before image {@code next} may go. */
    long nanosUntilDue(int next, long elapsedNanos) {
        if (!fixedRate()) {
            return POLL_NANOS;
        }
        return Math.max(0, (long) (next * 1e9 / rate) - elapsedNanos);
    }

    /** Whether the warm-up cut is over {@code elapsedNanos} after the start: the window opens. */
    boolean windowOpens(long elapsedNanos) {
        return elapsedNanos >= warmupCutNanos;
    }

    /**
     * Whether an open window, {@code windowNanos} long and holding {@code windowImages} predictions, with
     * {@code sent} images sent in all, is complete: at full load when it is long enough and holds enough images, at
     * a fixed rate when the schedule has been sent.
     */
    boolean windowComplete(long windowNanos, int windowImages, int sent) {
        if (fixedRate()) {
            return sent >= scheduled();
        }
        return windowNanos >= minWindowNanos && windowImages >= minImages;
    }
}
