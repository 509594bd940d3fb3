package io.digitstream.classifier;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a stream thread dies. Errors about one record never get here (they become dead letters); what
 * does is a broker outage outlasting the client's timeouts, a transaction that could not commit, a rebalance gone
 * wrong: the thread is replaced and picks up from the last commit. The client stops only when it cannot go on:
 * it is not allowed in (authentication, authorization), the broker is too old, the configuration is wrong, the
 * input topic is gone, or threads keep dying ({@link #MAX_REPLACEMENTS} within {@link #REPLACEMENT_WINDOW}).
 * {@link #fatalReason()} then says why, in one line.
 */
final class StreamThreadFailureHandler implements StreamsUncaughtExceptionHandler {

    static final int MAX_REPLACEMENTS = 30;
    static final Duration REPLACEMENT_WINDOW = Duration.ofMinutes(10);
    private static final Logger log = LoggerFactory.getLogger(StreamThreadFailureHandler.class);

    private final Clock clock;
    private final Consumer<Throwable> onReplace;
    private final Deque<Long> replacements = new ArrayDeque<>();
    private final AtomicReference<String> fatalReason = new AtomicReference<>();

    /** @param onReplace told of every replaced thread (a metric) */
    StreamThreadFailureHandler(Clock clock, Consumer<Throwable> onReplace) {
        this.clock = clock;
        this.onReplace = onReplace;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        String fatal = fatal(exception);
        if (fatal == null) {
            long now = clock.millis();
            replacements.addLast(now);
            while (!replacements.isEmpty() && replacements.peekFirst() < now - REPLACEMENT_WINDOW.toMillis()) {
                replacements.removeFirst();
            }
            if (replacements.size() <= MAX_REPLACEMENTS) {
                log.warn("A stream thread failed ({}); replacing it, it goes on from the last commit ({} replaced in "
                        + "the last {})", rootMessage(exception), replacements.size(), REPLACEMENT_WINDOW, exception);
                onReplace.accept(exception);
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            }
            fatal = "stream threads failed " + replacements.size() + " times within " + REPLACEMENT_WINDOW
                    + "; the last error: " + rootMessage(exception);
        }
        fatalReason.compareAndSet(null, fatal);
        log.error("Stopping the classifier: {}", fatal, exception);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** Why the client was stopped, or null while it was not. */
    String fatalReason() {
        return fatalReason.get();
    }

    /** Why {@code exception} means the client cannot go on, or null when a new thread may well succeed. */
    static String fatal(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException) {
                return "Kafka refused the credentials (" + t.getMessage() + "): check sasl.jaas.config and "
                        + "security.protocol";
            }
            if (t instanceof AuthorizationException) {
                return "Kafka denied access (" + t.getMessage() + "): grant the classifier's principal the ACLs in "
                        + "docs/operations.md";
            }
            if (t instanceof UnsupportedVersionException) {
                return "the Kafka broker is too old for this client (" + t.getMessage() + ")";
            }
            if (t instanceof ConfigException) {
                return "a Kafka setting is invalid: " + t.getMessage();
            }
            if (t instanceof MissingSourceTopicException) {
                return "an input topic is missing (" + t.getMessage() + "): create it, then start the classifier";
            }
            if (t instanceof OutOfMemoryError) {
                return "out of memory: " + t.getMessage();
            }
        }
        return null;
    }

    private static String rootMessage(Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
