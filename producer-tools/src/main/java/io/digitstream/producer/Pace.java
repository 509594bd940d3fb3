package io.digitstream.producer;

import java.util.concurrent.locks.LockSupport;

/**
 * Spaces calls evenly at a rate, without bursts: a call that comes late is not made up for by the next ones coming
 * early (Guava's RateLimiter stores up to a second of unused permits, which let a publisher that had waited for
 * topic metadata run 20% over its rate). Used by one thread.
 */
final class Pace {

    private final long intervalNanos;
    private long next;

    /** @param perSecond calls per second, > 0 */
    Pace(double perSecond) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("a pace is a positive number of calls per second: " + perSecond);
        }
        this.intervalNanos = Math.max(1, (long) (1e9 / perSecond));
        this.next = System.nanoTime();
    }

    /** Waits until the next call is due. */
    void await() {
        long now = System.nanoTime();
        while (now < next) {
            LockSupport.parkNanos(next - now);
            now = System.nanoTime();
        }
        // a little late keeps the schedule; a whole interval late starts it again from now, with no catching up
        next = now - next >= intervalNanos ? now + intervalNanos : next + intervalNanos;
    }
}
