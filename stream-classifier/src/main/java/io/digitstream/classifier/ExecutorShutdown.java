package io.digitstream.classifier;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Stops an executor the one way every background thread of the classifier stops: let the running task finish. */
public final class ExecutorShutdown {

    private ExecutorShutdown() {
    }

    /** Takes no new tasks, waits up to {@code timeout} for the running one, then interrupts it. */
    public static void shutdownAndWait(ExecutorService executor, Duration timeout) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
