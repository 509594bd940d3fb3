package io.digitstream.classifier;

import java.time.Instant;
import java.util.Objects;

/**
 * Which model is serving: its version (the one every prediction names), the SHA-256 of its file and when it was
 * swapped in.
 */
public record ServedModel(String modelVersion, String sha256, Instant loadedAt) {

    public ServedModel {
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(loadedAt, "loadedAt");
    }
}
