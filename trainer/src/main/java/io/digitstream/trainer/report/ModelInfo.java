package io.digitstream.trainer.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The exported model file as the report names it: enough to tell which file a report belongs to. */
public record ModelInfo(String fileName, long sizeBytes, String sha256) {

    public static ModelInfo of(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return new ModelInfo(file.getFileName().toString(), Files.size(file), HexFormat.of().formatHex(digest.digest()));
    }
}
