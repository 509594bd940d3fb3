package io.digitstream.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C or SIGTERM while a long command runs: asks it to stop, then holds the JVM's exit until the command has said
 * what it did and cleaned up ({@link #close()}), for a minute at most.
 *
 * <pre>{@code
 * try (StopOnShutdown ctrlC = new StopOnShutdown("produce-stop", publisher::stop)) {
 *     ... run, print the summary ...
 * }
 * }</pre>
 */
final class StopOnShutdown implements AutoCloseable {

    private static final long MAX_WAIT_SECONDS = 60;

    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;

    StopOnShutdown(String name, Runnable stop) {
        hook = new Thread(() -> {
            stop.run();
            try {
                done.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The command is done: the JVM may exit now if it is shutting down, and a normal end leaves no hook behind. */
    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down (Ctrl-C): the hook is running and now lets it exit
        }
    }
}
