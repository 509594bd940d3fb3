package io.digitstream.classifier;

import java.util.Objects;

/**
 * What one reload did: swapped in the file's model, or rejected the file and kept the old model serving.
 *
 * @param loaded     whether the file's model now serves
 * @param served     the model serving after the attempt: the new one, or the old one after a rejection
 * @param fileSha256 SHA-256 of the bytes that were tried; null when the file could not be read
 * @param reason     why the file was rejected; null when it was loaded
 */
public record ModelReloadResult(boolean loaded, ServedModel served, String fileSha256, String reason) {

    public ModelReloadResult {
        Objects.requireNonNull(served, "served");
        if (loaded != (reason == null)) {
            throw new IllegalArgumentException("a rejection needs a reason, and only a rejection has one");
        }
    }

    static ModelReloadResult loaded(ServedModel served) {
        return new ModelReloadResult(true, served, served.sha256(), null);
    }

    static ModelReloadResult rejected(ServedModel stillServing, String fileSha256, String reason) {
        return new ModelReloadResult(false, stillServing, fileSha256, reason);
    }
}
