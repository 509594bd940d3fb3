package io.digitstream.core.image;

import java.lang.management.ManagementFactory;

/**
 * Heap bytes the current thread has allocated so far, garbage included (HotSpot's per-thread counter): the difference
 * around a call bounds what the call could have held at once.
 */
public final class AllocatedBytes {

    private static final com.sun.management.ThreadMXBean THREADS = threads();

    private AllocatedBytes() {
    }

    public static boolean supported() {
        return THREADS != null;
    }

    public static long now() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    private static com.sun.management.ThreadMXBean threads() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported()) {
            threads.setThreadAllocatedMemoryEnabled(true);
            return threads;
        }
        return null;
    }
}
