package io.digitstream.core.mnist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPOutputStream;

/** Builds IDX file bytes for tests. */
final class IdxFiles {

    private IdxFiles() {
    }

    static byte[] images(int count, int rows, int cols, byte[] pixels) {
        return ByteBuffer.allocate(16 + pixels.length)
                .putInt(MnistIdxReader.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols).put(pixels).array();
    }

    /** {@code count} images whose pixel {@code p} of image {@code i} is {@code (seed + 7i + p) mod 256}. */
    static byte[] images(int count, int rows, int cols, int seed) {
        byte[] pixels = new byte[count * rows * cols];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (seed + 7 * (i / (rows * cols)) + i % (rows * cols));
        }
        return images(count, rows, cols, pixels);
    }

    static byte[] labels(byte... labels) {
        return ByteBuffer.allocate(8 + labels.length).putInt(MnistIdxReader.LABELS_MAGIC).putInt(labels.length)
                .put(labels).array();
    }

    static byte[] labelsHeader(int magic, int count) {
        return ByteBuffer.allocate(8).putInt(magic).putInt(count).array();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The pixels of an image file: everything after its 16-byte header. */
    static byte[] pixelsOf(byte[] imageFile) {
        byte[] out = new byte[imageFile.length - 16];
        System.arraycopy(imageFile, 16, out, 0, out.length);
        return out;
    }

    static byte[] truncate(byte[] data, int length) {
        byte[] out = new byte[length];
        System.arraycopy(data, 0, out, 0, length);
        return out;
    }

    static byte[] append(byte[] data, byte... extra) {
        byte[] out = new byte[data.length + extra.length];
        System.arraycopy(data, 0, out, 0, data.length);
        System.arraycopy(extra, 0, out, data.length, extra.length);
        return out;
    }
}
