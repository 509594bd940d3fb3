package io.digitstream.trainer.report;

import io.digitstream.core.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The exported model file as the report names it: enough to tell which file a report belongs to. */
public record ModelInfo(String fileName, long sizeBytes, String sha256) {

    public static ModelInfo of(Path file) throws IOException {
        return new ModelInfo(file.getFileName().toString(), Files.size(file), Sha256.of(file));
    }
}
