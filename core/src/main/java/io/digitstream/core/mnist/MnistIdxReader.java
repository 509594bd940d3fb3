package io.digitstream.core.mnist;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipException;

/**
 * Reads MNIST IDX files, raw or gzip (recognised by content), and refuses anything malformed with a
 * {@link MnistFormatException}: a partial or padded file is never returned as data.
 */
public final class MnistIdxReader {

    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;
    /** Upper bound on what a header may declare, checked before allocating; the MNIST training images are 47 MB. */
    public static final long MAX_DATA_BYTES = 100_000_000L;
    /** Upper bound on rows and on cols: IDX images are small pictures, not posters. */
    public static final int MAX_SIDE = 4096;
    public static final int MAX_LABEL = 9;

    private static final int IMAGES_HEADER_BYTES = 16;
    private static final int LABELS_HEADER_BYTES = 8;

    /** The content of an IDX image file: {@code count} images of {@code rows x cols} unsigned bytes, row-major. */
    public record Images(byte[] pixels, int count, int rows, int cols) {
    }

    private MnistIdxReader() {
    }

    /** Images and labels of one split; fails when the two files disagree on the number of examples. */
    public static MnistDataset read(Path images, Path labels) throws IOException {
        Images img = readImages(images);
        byte[] lab = readLabels(labels);
        if (img.count() != lab.length) {
            throw new MnistFormatException(labels.toString(), "holds " + lab.length + " labels but "
                    + images + " holds " + img.count() + " images");
        }
        return new MnistDataset(img.pixels(), lab, img.rows(), img.cols());
    }

    public static Images readImages(Path file) throws IOException {
        long rawSize = rawSizeOrUnknown(file);
        try (InputStream in = GzipStreams.openDecompressed(file)) {
            return readImages(in, file.toString(), rawSize);
        }
    }

    public static byte[] readLabels(Path file) throws IOException {
        long rawSize = rawSizeOrUnknown(file);
        try (InputStream in = GzipStreams.openDecompressed(file)) {
            return readLabels(in, file.toString(), rawSize);
        }
    }

    /** Reads an image file, raw or gzip, from {@code in} to its end and closes it; {@code source} names it in errors. */
    public static Images readImages(InputStream in, String source) throws IOException {
        try (InputStream data = GzipStreams.decompressIfGzip(in)) {
            return readImages(data, source, -1);
        }
    }

    /** Reads a label file, raw or gzip, from {@code in} to its end and closes it; {@code source} names it in errors. */
    public static byte[] readLabels(InputStream in, String source) throws IOException {
        try (InputStream data = GzipStreams.decompressIfGzip(in)) {
            return readLabels(data, source, -1);
        }
    }

    private static long rawSizeOrUnknown(Path file) throws IOException {
        return GzipStreams.isGzip(file) ? -1 : Files.size(file);
    }

    private static Images readImages(InputStream in, String source, long rawSize) throws IOException {
        try {
            checkMagic(source, readMagic(in, source), IMAGES_MAGIC);
            ByteBuffer header = ByteBuffer.wrap(readExactly(in, IMAGES_HEADER_BYTES - 4, source, "the rest of the header"));
            int count = header.getInt();
            int rows = header.getInt();
            int cols = header.getInt();
            if (count <= 0 || rows <= 0 || cols <= 0) {
                throw new MnistFormatException(source, "header declares " + count + " images of " + rows + "x" + cols
                        + "; all three must be positive");
            }
            if (rows > MAX_SIDE || cols > MAX_SIDE) {
                throw new MnistFormatException(source, "header declares " + rows + "x" + cols
                        + " images; each side must be at most " + MAX_SIDE);
            }
            long bytes = (long) count * rows * cols;
            if (bytes > MAX_DATA_BYTES) {
                throw new MnistFormatException(source, "header declares " + count + " images of " + rows + "x" + cols
                        + " = " + bytes + " bytes, more than the limit of " + MAX_DATA_BYTES);
            }
            checkRawSize(source, rawSize, IMAGES_HEADER_BYTES + bytes,
                    count + " images of " + rows + "x" + cols);
            byte[] pixels = readExactly(in, (int) bytes, source, "the " + count + " images");
            expectEnd(in, source, count + " images");
            return new Images(pixels, count, rows, cols);
        } catch (EOFException | ZipException e) {
            throw new MnistFormatException(source, "truncated or corrupt gzip data (" + e.getMessage() + ")", e);
        }
    }

    private static byte[] readLabels(InputStream in, String source, long rawSize) throws IOException {
        try {
            checkMagic(source, readMagic(in, source), LABELS_MAGIC);
            ByteBuffer header = ByteBuffer.wrap(readExactly(in, LABELS_HEADER_BYTES - 4, source, "the rest of the header"));
            int count = header.getInt();
            if (count <= 0) {
                throw new MnistFormatException(source, "header declares " + count + " labels; must be positive");
            }
            if (count > MAX_DATA_BYTES) {
                throw new MnistFormatException(source, "header declares " + count + " labels, more than the limit of "
                        + MAX_DATA_BYTES);
            }
            checkRawSize(source, rawSize, LABELS_HEADER_BYTES + (long) count, count + " labels");
            byte[] labels = readExactly(in, count, source, "the " + count + " labels");
            expectEnd(in, source, count + " labels");
            for (int i = 0; i < labels.length; i++) {
                int label = labels[i] & 0xFF;
                if (label > MAX_LABEL) {
                    throw new MnistFormatException(source, "label " + i + " is " + label + "; digits are 0.." + MAX_LABEL);
                }
            }
            return labels;
        } catch (EOFException | ZipException e) {
            throw new MnistFormatException(source, "truncated or corrupt gzip data (" + e.getMessage() + ")", e);
        }
    }

    private static int readMagic(InputStream in, String source) throws IOException {
        return ByteBuffer.wrap(readExactly(in, 4, source, "the magic number")).getInt();
    }

    private static void checkMagic(String source, int magic, int expected) throws MnistFormatException {
        if (magic == expected) {
            return;
        }
        String kind = expected == IMAGES_MAGIC ? "image" : "label";
        String hint = magic == IMAGES_MAGIC ? " (it is an IDX image file)"
                : magic == LABELS_MAGIC ? " (it is an IDX label file)" : "";
        throw new MnistFormatException(source, String.format(
                "magic number 0x%08x is not that of an IDX %s file (0x%08x)%s", magic, kind, expected, hint));
    }

    /** A raw file's size is known up front: compare before allocating anything for its data. */
    private static void checkRawSize(String source, long rawSize, long expected, String declared)
            throws MnistFormatException {
        if (rawSize >= 0 && rawSize < expected) {
            throw new MnistFormatException(source, "truncated: file has " + rawSize + " bytes but its header declares "
                    + declared + ", " + expected + " bytes in all");
        }
        if (rawSize > expected) {
            throw new MnistFormatException(source, (rawSize - expected) + " trailing bytes: file has " + rawSize
                    + " bytes but its header declares " + declared + ", " + expected + " bytes in all");
        }
    }

    private static byte[] readExactly(InputStream in, int length, String source, String what) throws IOException {
        byte[] data = in.readNBytes(length);
        if (data.length < length) {
            throw new MnistFormatException(source, "truncated: " + length + " bytes expected for " + what + ", only "
                    + data.length + " present");
        }
        return data;
    }

    private static void expectEnd(InputStream in, String source, String declared) throws IOException {
        if (in.read() != -1) {
            throw new MnistFormatException(source, "trailing bytes after the " + declared + " its header declares");
        }
    }
}
