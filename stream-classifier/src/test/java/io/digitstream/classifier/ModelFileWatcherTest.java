package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.classifier.ModelFileWatcher.Check;
import io.digitstream.classifier.observe.ClassifierMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileWatcherTest {

    private static final String ORIGINAL_VERSION = ModelFiles.metadata().modelVersion();
    private static final float[] DIGIT = ModelFiles.metadata().checkDigits().get(0).normalizedPixels();
    /** Bounds waiting for the watch thread; the test fails, never hangs, past it. */
    private static final Duration WAIT = Duration.ofMinutes(1);

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ClassifierMetrics metrics = new ClassifierMetrics();
    private Path file;
    private ReloadableDigitClassifier classifier;
    private ModelFileWatcher watcher;

    @BeforeEach
    void open() throws IOException {
        metrics.bindTo(registry);
        file = dir.resolve("model.onnx");
        Files.write(file, ModelFiles.original());
        classifier = ReloadableDigitClassifier.open(file, metrics);
    }

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
        classifier.close();
        registry.close();
    }

    @Test
    void replacedFileIsServedByTheWatchThread() throws Exception {
        watcher = ModelFileWatcher.start(classifier, Duration.ofMillis(50));
        assertThat(watcher.isWatching()).isTrue();

        ModelFiles.replace(file, ModelFiles.withVersion("v2"));

        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!classifier.served().modelVersion().equals("v2") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(classifier.served().modelVersion()).isEqualTo("v2");
        assertThat(classifier.classify(DIGIT).modelVersion()).isEqualTo("v2");
    }

    @Test
    void rewritingTheSameContentDoesNotReload() throws IOException {
        watcher = manualWatcher();
        ServedModel before = classifier.served();
        assertThat(watcher.poll()).isEqualTo(Check.SAME_CONTENT);
        assertThat(watcher.poll()).isEqualTo(Check.UNCHANGED);

        ModelFiles.replace(file, ModelFiles.original());
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(60)));

        assertThat(watcher.poll()).isEqualTo(Check.SAME_CONTENT);
        assertThat(classifier.served()).isEqualTo(before);
        assertThat(reloads("loaded") + reloads("rejected")).isZero();
    }

    @Test
    void badContentIsTriedOnceAndTheOldModelKeepsServing() throws IOException {
        watcher = manualWatcher();
        ModelFiles.replace(file, ModelFiles.withWrongCheckLabels());
        assertThat(watcher.poll()).isEqualTo(Check.REJECTED);

        // the same bad bytes written again: a new stamp, but nothing new to try
        ModelFiles.replace(file, ModelFiles.withWrongCheckLabels());
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(60)));
        assertThat(watcher.poll()).isEqualTo(Check.KNOWN_BAD);

        assertThat(reloads("rejected")).isEqualTo(1);
        assertThat(classifier.classify(DIGIT).modelVersion()).isEqualTo(ORIGINAL_VERSION);

        ModelFiles.replace(file, ModelFiles.withVersion("v2"));
        assertThat(watcher.poll()).isEqualTo(Check.RELOADED);
        assertThat(classifier.served().modelVersion()).isEqualTo("v2");
    }

    @Test
    void halfWrittenFileIsRejectedThenServedWhenComplete() throws IOException {
        watcher = manualWatcher();
        byte[] v2 = ModelFiles.withVersion("v2");
        Files.write(file, Arrays.copyOf(v2, v2.length / 2));
        assertThat(watcher.poll()).isEqualTo(Check.REJECTED);
        assertThat(classifier.classify(DIGIT).modelVersion()).isEqualTo(ORIGINAL_VERSION);

        Files.write(file, v2);
        assertThat(watcher.poll()).isEqualTo(Check.RELOADED);
        assertThat(classifier.served().modelVersion()).isEqualTo("v2");
    }

    @Test
    void missingFileKeepsTheModelServing() throws IOException {
        watcher = manualWatcher();
        Files.delete(file);
        assertThat(watcher.poll()).isEqualTo(Check.UNAVAILABLE);
        assertThat(watcher.poll()).isEqualTo(Check.UNAVAILABLE);
        assertThat(classifier.classify(DIGIT).modelVersion()).isEqualTo(ORIGINAL_VERSION);
        assertThat(reloads("rejected")).isZero();

        ModelFiles.replace(file, ModelFiles.withVersion("v2"));
        assertThat(watcher.poll()).isEqualTo(Check.RELOADED);
    }

    /** How Kubernetes updates a mounted ConfigMap or volume: the file is a symlink, and the link is swapped. */
    @Test
    void swappedSymlinkIsSeen() throws IOException {
        Path first = Files.createDirectory(dir.resolve("first")).resolve("model.onnx");
        Path second = Files.createDirectory(dir.resolve("second")).resolve("model.onnx");
        Files.write(first, ModelFiles.original());
        Files.write(second, ModelFiles.withVersion("v2"));
        // the same modification time on both targets: the swap must be seen anyway
        Files.setLastModifiedTime(second, Files.getLastModifiedTime(first));
        Path link = dir.resolve("served.onnx");
        Files.createSymbolicLink(link, first);
        classifier.close();
        classifier = ReloadableDigitClassifier.open(link, metrics);
        watcher = manualWatcher();
        assertThat(watcher.poll()).isEqualTo(Check.SAME_CONTENT);

        Path next = dir.resolve("served.onnx.next");
        Files.createSymbolicLink(next, second);
        Files.move(next, link, StandardCopyOption.ATOMIC_MOVE);

        assertThat(watcher.poll()).isEqualTo(Check.RELOADED);
        assertThat(classifier.served().modelVersion()).isEqualTo("v2");
    }

    @Test
    void zeroIntervalWatchesNothing() {
        watcher = ModelFileWatcher.start(classifier, Duration.ZERO);
        assertThat(watcher.isWatching()).isFalse();
    }

    /** A watcher whose polls the test runs itself, one at a time. */
    private ModelFileWatcher manualWatcher() {
        return ModelFileWatcher.start(classifier, Duration.ZERO);
    }

    private double reloads(String result) {
        Counter counter = registry.find("digits.model.reloads").tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }
}
