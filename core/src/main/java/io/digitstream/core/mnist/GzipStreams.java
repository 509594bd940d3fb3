package io.digitstream.core.mnist;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Recognises gzip by its magic bytes, never by a file name: mirrors and users name files inconsistently. */
final class GzipStreams {

    private static final int MAGIC_1 = 0x1f;
    private static final int MAGIC_2 = 0x8b;
    private static final int BUFFER = 64 * 1024;

    private GzipStreams() {
    }

    static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == MAGIC_1 && in.read() == MAGIC_2;
        }
    }

    /** The uncompressed content of {@code in}, which may or may not be gzip. Takes ownership of {@code in}. */
    static InputStream decompressIfGzip(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, BUFFER);
        buffered.mark(2);
        boolean gzip = buffered.read() == MAGIC_1 && buffered.read() == MAGIC_2;
        buffered.reset();
        return gzip ? new GZIPInputStream(buffered, BUFFER) : buffered;
    }

    static InputStream openDecompressed(Path file) throws IOException {
        return decompressIfGzip(Files.newInputStream(file));
    }
}
