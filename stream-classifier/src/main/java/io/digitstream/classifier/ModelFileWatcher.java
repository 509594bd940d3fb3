package io.digitstream.classifier;

import io.digitstream.core.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the served model when its file changes. One daemon thread polls the file every interval: a changed
 * modification time, size or file identity makes it hash the content, and it reloads only when that SHA-256 differs
 * from the served model's and from the last rejected content's, so bad content is tried once rather than every poll.
 * A missing, unreadable or half-written file is logged and the current model keeps serving.
 *
 * <p>Polling rather than a {@code WatchService}: Kubernetes updates a mounted ConfigMap or volume by swapping a
 * symlink, which a {@code WatchService} does not report as a change of the file.
 */
public final class ModelFileWatcher implements AutoCloseable {

    /** What one poll found. */
    enum Check {
        /** same modification time, size and file identity as at the last poll */
        UNCHANGED,
        /** touched or rewritten, but with the content that is serving */
        SAME_CONTENT,
        /** the content that was rejected last time */
        KNOWN_BAD,
        RELOADED,
        REJECTED,
        /** missing or unreadable */
        UNAVAILABLE
    }

    private static final Logger log = LoggerFactory.getLogger(ModelFileWatcher.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final ReloadableDigitClassifier classifier;
    private final Path file;
    private final ScheduledExecutorService executor;
    // state of the polls, guarded by this
    private FileStamp lastStamp;
    private String rejectedSha256;
    private String unavailableReason;

    private ModelFileWatcher(ReloadableDigitClassifier classifier, ScheduledExecutorService executor) {
        this.classifier = classifier;
        this.file = classifier.modelFile();
        this.executor = executor;
    }

    /** Polls {@code classifier}'s model file every {@code interval}; zero starts no thread and watches nothing. */
    public static ModelFileWatcher start(ReloadableDigitClassifier classifier, Duration interval) {
        Objects.requireNonNull(classifier, "classifier");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("the poll interval must be >= 0: " + interval);
        }
        if (interval.isZero()) {
            log.info("model file watch is off: {} is loaded only at start or on POST /model/reload (with the admin "
                    + "token)", classifier.modelFile());
            return new ModelFileWatcher(classifier, null);
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "model-file-watcher");
            t.setDaemon(true);
            return t;
        });
        ModelFileWatcher watcher = new ModelFileWatcher(classifier, executor);
        long millis = Math.max(1, interval.toMillis());
        executor.scheduleWithFixedDelay(watcher::pollAndLog, millis, millis, TimeUnit.MILLISECONDS);
        return watcher;
    }

    public boolean isWatching() {
        return executor != null;
    }

    private void pollAndLog() {
        try {
            poll();
        } catch (RuntimeException e) {
            // an exception escaping a scheduled task would silently end the watch
            log.error("polling model file {} failed; polling goes on", file, e);
        }
    }

    /** One poll, as the watch thread runs it; tests call it to check one step at a time. */
    synchronized Check poll() {
        FileStamp stamp;
        String sha256;
        try {
            // the stamp before the hash: a write in between changes the stamp again, so the next poll looks again
            stamp = FileStamp.of(file);
            if (stamp.equals(lastStamp)) {
                return Check.UNCHANGED;
            }
            sha256 = Sha256.of(file);
        } catch (IOException e) {
            return unavailable(e instanceof NoSuchFileException ? "it is missing" : "it cannot be read (" + e + ")");
        }
        if (unavailableReason != null) {
            log.info("model file {} is available again", file);
            unavailableReason = null;
        }
        lastStamp = stamp;
        if (sha256.equals(classifier.served().sha256())) {
            return Check.SAME_CONTENT;
        }
        if (sha256.equals(rejectedSha256)) {
            return Check.KNOWN_BAD;
        }
        ModelReloadResult result = classifier.reload();
        if (result.loaded()) {
            rejectedSha256 = null;
            return Check.RELOADED;
        }
        rejectedSha256 = result.fileSha256();
        if (rejectedSha256 == null) {
            // the reload could not read the file, so its content was never tried: look again next poll
            lastStamp = null;
        }
        return Check.REJECTED;
    }

    private Check unavailable(String reason) {
        lastStamp = null;
        // once per outage, not once per poll
        if (!reason.equals(unavailableReason)) {
            log.warn("model file {}: {}; still serving model {}", file, reason, classifier.served().modelVersion());
            unavailableReason = reason;
        }
        return Check.UNAVAILABLE;
    }

    /** Stops polling, letting a reload in progress finish first. */
    @Override
    public void close() {
        if (executor == null) {
            return;
        }
        ExecutorShutdown.shutdownAndWait(executor, CLOSE_TIMEOUT);
    }

    /** What identifies a version of the file cheaply; the file key changes when a symlink or rename swaps it. */
    private record FileStamp(FileTime modified, long size, Object fileKey) {

        static FileStamp of(Path file) throws IOException {
            // follows symlinks: the stamp is the target's, which is what a swapped symlink changes
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
        }
    }
}
