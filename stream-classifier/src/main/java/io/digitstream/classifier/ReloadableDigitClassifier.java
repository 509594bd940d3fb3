package io.digitstream.classifier;

import io.digitstream.classifier.observe.ClassifierMetrics;
import io.digitstream.core.Sha256;
import io.digitstream.core.model.OnnxDigitModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DigitClassifier} over the last model from one file that loaded and passed its self-check, shared by every
 * stream thread. {@link #reload()} loads and self-checks the file's model outside any lock, swaps it in under the
 * write lock and only then closes the old one; {@link #classify} holds the read lock, so no thread is ever inside a
 * closed model. A file that fails to load or to self-check is rejected and logged, and the old model keeps serving.
 */
public final class ReloadableDigitClassifier implements DigitClassifier, AutoCloseable {


    private static final Logger log = LoggerFactory.getLogger(ReloadableDigitClassifier.class);

    private final Path modelFile;
    private final ClassifierMetrics metrics;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    // one reload at a time: two at once would load the file twice and race to swap
    private final Object reloads = new Object();
    private OnnxDigitModel model;
    // written under the write lock; volatile so that served() needs no lock
    private volatile ServedModel served;
    private boolean closed;

    private ReloadableDigitClassifier(Path modelFile, ClassifierMetrics metrics, OnnxDigitModel model) {
        this.modelFile = modelFile;
        this.metrics = metrics;
        this.model = model;
        this.served = new ServedModel(model.metadata().modelVersion(), model.sha256(), Instant.now());
        metrics.modelLoaded(served.modelVersion(), served.sha256(), served.loadedAt());
        log.info("serving model {} (sha256 {}, not-a-digit score {}, threshold {}) from {}", served.modelVersion(),
                served.sha256(), model.metadata().oodScore().id(), threshold(model), modelFile);
    }

    /** The model's own not-a-digit threshold for a log line; {@code not.digit.threshold} may override it. */
    private static Object threshold(OnnxDigitModel model) {
        return model.metadata().hasOodThreshold() ? model.metadata().oodThreshold() : "none";
    }

    /**
     * Loads and self-checks {@code modelFile}, which later {@link #reload()}s read again.
     *
     * @throws IllegalStateException    when the model fails its self-check: it is not served at all
     * @throws IllegalArgumentException when the file is not a model that meets the contract
     */
    public static ReloadableDigitClassifier open(Path modelFile, ClassifierMetrics metrics) throws IOException {
        Objects.requireNonNull(metrics, "metrics");
        OnnxDigitModel model = OnnxDigitModel.load(modelFile);
        try {
            model.selfCheck();
            return new ReloadableDigitClassifier(modelFile, metrics, model);
        } catch (RuntimeException e) {
            model.close();
            if (e instanceof IllegalStateException) {
                throw new IllegalStateException("refusing to serve " + modelFile + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    @Override
    public Classification classify(float[] pixels) {
        return servedModel(() -> new Classification(model.predict(pixels), served.modelVersion(),
                model.metadata().oodThreshold()));
    }

    @Override
    public List<Classification> classifyAll(float[] pixels, int count) {
        return servedModel(() -> {
            String version = served.modelVersion();
            double threshold = model.metadata().oodThreshold();
            return model.predictions(pixels, count).stream().map(p -> new Classification(p, version, threshold))
                    .toList();
        });
    }

    /** Runs {@code call} on the model serving now; a reload waits for it, so the answer and its version agree. */
    private <T> T servedModel(Supplier<T> call) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the classifier of " + modelFile + " is closed");
            }
            return call.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The model serving now. */
    public ServedModel served() {
        return served;
    }

    public Path modelFile() {
        return modelFile;
    }

    /**
     * Loads the model file now and, when its model loads and classifies its own check digits correctly, serves it;
     * otherwise keeps the current model serving. Concurrent calls run one after the other.
     */
    public ModelReloadResult reload() {
        synchronized (reloads) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(modelFile);
            } catch (IOException e) {
                return rejected(null, "cannot read the model file (" + e + ")");
            }
            String sha256 = Sha256.of(bytes);
            OnnxDigitModel candidate;
            try {
                candidate = OnnxDigitModel.fromBytes(bytes);
            } catch (RuntimeException e) {
                return rejected(sha256, e.getMessage());
            }
            try {
                candidate.selfCheck();
            } catch (RuntimeException e) {
                candidate.close();
                return rejected(sha256, e.getMessage());
            }
            ServedModel next = new ServedModel(candidate.metadata().modelVersion(), sha256, Instant.now());
            ServedModel previous;
            OnnxDigitModel old;
            lock.writeLock().lock();
            try {
                if (closed) {
                    candidate.close();
                    return rejected(sha256, "the classifier is closed");
                }
                old = model;
                previous = served;
                model = candidate;
                served = next;
            } finally {
                lock.writeLock().unlock();
            }
            // every classify() that could see the old model held the read lock and has returned
            closeQuietly(old);
            log.info("now serving model {} (sha256 {}, not-a-digit score {}, threshold {}) from {}; it replaced model {} "
                    + "(sha256 {})", next.modelVersion(), next.sha256(), candidate.metadata().oodScore().id(),
                    threshold(candidate), modelFile, previous.modelVersion(), previous.sha256());
            metrics.modelReloaded(ClassifierMetrics.RELOAD_LOADED);
            metrics.modelLoaded(next.modelVersion(), next.sha256(), next.loadedAt());
            return ModelReloadResult.loaded(next);
        }
    }

    private ModelReloadResult rejected(String sha256, String reason) {
        ServedModel current = served;
        log.warn("rejected model file {} (sha256 {}): {}; still serving model {} (sha256 {})",
                modelFile, sha256 == null ? "unknown" : sha256, reason, current.modelVersion(), current.sha256());
        metrics.modelReloaded(ClassifierMetrics.RELOAD_REJECTED);
        return ModelReloadResult.rejected(current, sha256, reason);
    }

    private static void closeQuietly(OnnxDigitModel old) {
        try {
            old.close();
        } catch (RuntimeException e) {
            // the new model serves either way; a leaked session is worth a log line, not a failed reload
            log.warn("cannot close the replaced model {}: {}", old, e.getMessage());
        }
    }

    /** Closes the serving model; call it once no stream thread classifies any more. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                model.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
