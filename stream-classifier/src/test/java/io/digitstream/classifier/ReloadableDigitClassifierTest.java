package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.digitstream.classifier.observe.ClassifierMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadableDigitClassifierTest {

    private static final String ORIGINAL_VERSION = ModelFiles.metadata().modelVersion();
    private static final float[] DIGIT = ModelFiles.metadata().checkDigits().get(0).normalizedPixels();

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ClassifierMetrics metrics = new ClassifierMetrics();
    private Path file;
    private ReloadableDigitClassifier classifier;

    @BeforeEach
    void open() throws IOException {
        metrics.bindTo(registry);
        file = dir.resolve("model.onnx");
        Files.write(file, ModelFiles.original());
        classifier = ReloadableDigitClassifier.open(file, metrics);
    }

    @AfterEach
    void close() {
        classifier.close();
        registry.close();
    }

    @Test
    void servesTheModelItOpened() {
        assertThat(classifier.served().modelVersion()).isEqualTo(ORIGINAL_VERSION);
        assertThat(classifier.classify(DIGIT).modelVersion()).isEqualTo(ORIGINAL_VERSION);
        assertThat(registry.find("digits.model.info").tag("model_version", ORIGINAL_VERSION).gauge()).isNotNull();
    }

    @Test
    void reloadSwapsInTheNewVersion() throws IOException {
        ModelFiles.replace(file, ModelFiles.withVersion("v2"));

        ModelReloadResult result = classifier.reload();

        assertThat(result.loaded()).isTrue();
        assertThat(result.reason()).isNull();
        assertThat(result.served().modelVersion()).isEqualTo("v2");
        assertThat(result.served().sha256()).isEqualTo(result.fileSha256());
        assertThat(classifier.served()).isEqualTo(result.served());
        Classification c = classifier.classify(DIGIT);
        assertThat(c.modelVersion()).isEqualTo("v2");
        assertThat(c.prediction().digit()).isEqualTo(ModelFiles.metadata().checkDigits().get(0).label());
        assertThat(reloads("loaded")).isEqualTo(1);
        assertThat(registry.find("digits.model.info").tag("model_version", "v2").gauge()).isNotNull();
        assertThat(registry.find("digits.model.info").tag("model_version", ORIGINAL_VERSION).gauge()).isNull();
    }

    @Test
    void truncatedFileIsRejectedAndTheOldModelKeepsServing() throws IOException {
        ServedModel before = classifier.served();
        ModelFiles.replace(file, ModelFiles.truncated());

        ModelReloadResult result = classifier.reload();

        assertThat(result.loaded()).isFalse();
        assertThat(result.reason()).contains("cannot load");
        assertThat(result.fileSha256()).isNotEqualTo(before.sha256());
        assertThat(result.served()).isEqualTo(before);
        assertThat(classifier.served()).isEqualTo(before);
        assertThat(classifier.classify(DIGIT).modelVersion()).isEqualTo(ORIGINAL_VERSION);
        assertThat(reloads("rejected")).isEqualTo(1);
        assertThat(reloads("loaded")).isZero();
    }

    @Test
    void modelFailingItsSelfCheckIsRejected() throws IOException {
        ServedModel before = classifier.served();
        ModelFiles.replace(file, ModelFiles.withWrongCheckLabels());

        ModelReloadResult result = classifier.reload();

        assertThat(result.loaded()).isFalse();
        assertThat(result.reason()).contains("failed its self-check");
        assertThat(classifier.served()).isEqualTo(before);
        assertThat(classifier.classify(DIGIT).modelVersion()).isEqualTo(ORIGINAL_VERSION);
    }

    @Test
    void missingFileIsRejected() throws IOException {
        Files.delete(file);

        ModelReloadResult result = classifier.reload();

        assertThat(result.loaded()).isFalse();
        assertThat(result.fileSha256()).isNull();
        assertThat(result.reason()).contains("cannot read");
        assertThat(classifier.classify(DIGIT).modelVersion()).isEqualTo(ORIGINAL_VERSION);
    }

    @Test
    void openRefusesAModelFailingItsSelfCheck() throws IOException {
        Path broken = dir.resolve("broken.onnx");
        Files.write(broken, ModelFiles.withWrongCheckLabels());

        assertThatThrownBy(() -> ReloadableDigitClassifier.open(broken, metrics))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to serve " + broken);
    }

    @Test
    void closedClassifierNeitherClassifiesNorReloads() throws IOException {
        classifier.close();
        ModelFiles.replace(file, ModelFiles.withVersion("v2"));

        assertThatThrownBy(() -> classifier.classify(DIGIT)).isInstanceOf(IllegalStateException.class);
        assertThat(classifier.reload().loaded()).isFalse();
    }

    /**
     * Stream threads classify while reloads swap models and close the old ones. Had any thread run a closed session,
     * ONNX Runtime would have thrown or crashed the test JVM (which it does with the read lock taken out).
     */
    @Test
    void concurrentClassifyAndReloadNeverUseAClosedModel() throws Exception {
        Path v1 = dir.resolve("v1.onnx");
        Path v2 = dir.resolve("v2.onnx");
        Files.write(v1, ModelFiles.original());
        Files.write(v2, ModelFiles.withVersion("v2"));
        int threads = 3;
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch classifying = new CountDownLatch(threads);
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        Set<String> versions = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = IntStream.range(0, threads).<Future<?>>mapToObj(i -> pool.submit(() -> {
                try {
                    while (!done.get()) {
                        versions.add(classifier.classify(DIGIT).modelVersion());
                        classifying.countDown();
                    }
                } catch (Throwable t) {
                    errors.add(t);
                    classifying.countDown();
                }
            })).toList();
            assertThat(classifying.await(1, TimeUnit.MINUTES)).isTrue();

            for (int i = 0; i < 6; i++) {
                Files.copy(i % 2 == 0 ? v2 : v1, file, StandardCopyOption.REPLACE_EXISTING);
                ModelReloadResult result = classifier.reload();
                assertThat(result.loaded()).as(result.toString()).isTrue();
            }
            done.set(true);
            for (Future<?> worker : workers) {
                worker.get(1, TimeUnit.MINUTES);
            }
        } finally {
            done.set(true);
            pool.shutdownNow();
            assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(errors).isEmpty();
        assertThat(versions).isSubsetOf(ORIGINAL_VERSION, "v2").contains(ORIGINAL_VERSION);
        assertThat(classifier.served().modelVersion()).isEqualTo(ORIGINAL_VERSION);
        assertThat(reloads("loaded")).isEqualTo(6);
    }

    @Test
    void reloadsFromTwoThreadsBothSwapCleanly() throws Exception {
        ModelFiles.replace(file, ModelFiles.withVersion("v2"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<ModelReloadResult> a = pool.submit(classifier::reload);
            Future<ModelReloadResult> b = pool.submit(classifier::reload);
            assertThat(a.get(1, TimeUnit.MINUTES).loaded()).isTrue();
            assertThat(b.get(1, TimeUnit.MINUTES).loaded()).isTrue();
        } finally {
            pool.shutdownNow();
        }
        // two swaps, one after the other: the first model and the middle one were both closed, the last serves
        assertThat(reloads("loaded")).isEqualTo(2);
        assertThat(classifier.classify(DIGIT).modelVersion()).isEqualTo("v2");
    }

    private double reloads(String result) {
        Counter counter = registry.find("digits.model.reloads").tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }
}
