package io.digitstream.core.image;

import static io.digitstream.contract.DigitShape.PIXELS;
import static io.digitstream.contract.DigitShape.SIDE;

import io.digitstream.core.image.ImageRejectedException.Reason;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Turns image bytes into the model's input: 28x28 floats, row-major, 0..1, bright ink on black, made the way MNIST
 * was made (digit fitted into 20x20 keeping its aspect ratio, then centred by centre of mass in the 28x28 frame). The
 * digit's box leaves out specks of dust and stray marks away from it ({@link DigitInkBox}).
 *
 * <p>Accepts PNG, JPEG, GIF and BMP of any size within {@link ImageLimits}, in either polarity, colour or grey, with or
 * without alpha; and exactly 784 raw bytes, taken as a 28x28 MNIST-polarity image and passed through unchanged.
 * Images larger than {@link ImageLimits#MAX_DECODED_SIDE} a side are decoded subsampled, so one decode never holds more
 * than {@link ImageLimits#MAX_DECODED_BYTES} of pixels. Thread-safe.
 */
public final class DigitPreprocessor {

    /** MNIST fitted each digit's bounding box into 20x20. */
    static final int BOX = 20;
    /** Where MNIST's centres of mass sit, in pixel indices: 14.0 on both axes over the 60000 training images. */
    static final double CENTRE = 14.0;
    /** Ink at or below this fraction of the strongest stroke does not widen the bounding box (anti-aliasing, smudges). */
    static final float BOX_THRESHOLD = 0.3f;
    /** Fewer grey levels than this between background and strongest mark: nothing is written there. */
    static final int MIN_CONTRAST = 40;
    /** Context kept around the bounding box, in output pixels, so faint anti-aliased edges survive. */
    static final int MARGIN = 2;

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};
    private static final byte[] GIF87 = {'G', 'I', 'F', '8', '7', 'a'};
    private static final byte[] GIF89 = {'G', 'I', 'F', '8', '9', 'a'};
    private static final byte[] BMP = {'B', 'M'};

    private static final int BMP_DATA_OFFSET = 10;
    private static final int BMP_INFO_HEADER_OFFSET = 14;
    private static final int BMP_COMPRESSION_OFFSET = 30;
    private static final int BMP_DATA_SIZE_OFFSET = 34;
    private static final int BITMAPINFOHEADER_SIZE = 40;
    private static final int BI_RLE8 = 1;
    private static final int BI_RLE4 = 2;
    private static final int BI_JPEG = 4;
    private static final int BI_PNG = 5;

    private final ImageLimits limits;

    public DigitPreprocessor() {
        this(ImageLimits.DEFAULT);
    }

    public DigitPreprocessor(ImageLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public ImageLimits limits() {
        return limits;
    }

    /** The 784 model inputs for encoded image bytes or 784 raw pixels. */
    public float[] preprocess(byte[] input) throws ImageRejectedException {
        float[] out = new float[PIXELS];
        preprocess(input, out, 0);
        return out;
    }

    /**
     * {@link #preprocess(byte[])} written into {@code out[offset, offset + 784)}, so that a caller filling a batch for
     * the model needs no array per image (raw pixels go there directly). When it throws, that range may have been
     * written.
     */
    public void preprocess(byte[] input, float[] out, int offset) throws ImageRejectedException {
        if (input == null || input.length == 0) {
            throw new ImageRejectedException(Reason.EMPTY, "input is empty");
        }
        if (input.length > limits.maxBytes()) {
            throw new ImageRejectedException(Reason.TOO_LARGE,
                    "input is " + input.length + " bytes, limit " + limits.maxBytes());
        }
        String format = sniffFormat(input);
        if (format == null) {
            if (input.length == PIXELS) {
                rawPixels(input, out, offset);
                return;
            }
            throw new ImageRejectedException(Reason.NOT_AN_IMAGE, "input is " + input.length
                    + " bytes that are neither a PNG, JPEG, GIF or BMP image nor " + PIXELS + " raw 28x28 pixels");
        }
        BufferedImage image;
        try {
            image = decode(input, format);
        } catch (ImageRejectedException e) {
            // raw pixels whose first values happen to spell an image signature (e.g. "BM")
            if (e.reason() == Reason.UNDECODABLE && input.length == PIXELS) {
                rawPixels(input, out, offset);
                return;
            }
            throw e;
        }
        System.arraycopy(preprocess(image), 0, out, offset, PIXELS);
    }

    /** The 784 model inputs for an already decoded image (no size limit is applied here). */
    public float[] preprocess(BufferedImage image) throws ImageRejectedException {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] gray = paperGray(image);
        float[] ink = inkByGrayLevel(gray, w, h);
        Region box = inkBox(gray, w, h, ink);

        double scale = (double) BOX / Math.max(box.width(), box.height());
        int margin = (int) Math.ceil(MARGIN / scale);
        Region window = new Region(Math.max(0, box.x0 - margin), Math.max(0, box.y0 - margin),
                Math.min(w, box.x1 + margin), Math.min(h, box.y1 + margin));

        // centre of mass in source pixels, then the frame offset of the box that puts it at CENTRE
        double mass = 0;
        double mx = 0;
        double my = 0;
        for (int y = window.y0; y < window.y1; y++) {
            for (int x = window.x0; x < window.x1; x++) {
                float v = ink[gray[y * w + x] & 0xFF];
                mass += v;
                mx += v * (x + 0.5);
                my += v * (y + 0.5);
            }
        }
        boolean copy = scale == 1.0;
        double offsetX = placement(CENTRE + 0.5 - (mx / mass - box.x0) * scale, box.width() * scale, copy);
        double offsetY = placement(CENTRE + 0.5 - (my / mass - box.y0) * scale, box.height() * scale, copy);

        float[] out = resample(gray, w, ink, window, scale, box.x0 - offsetX / scale, box.y0 - offsetY / scale);
        float max = 0;
        for (float v : out) {
            max = Math.max(max, v);
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.min(1f, out[i] / max);
        }
        return out;
    }

    /**
     * Ink, 0..1, for each grey level: the paper (the border's median) is 0 and the strongest mark 1, whichever the
     * polarity. Stretching to the strongest mark makes faint pencil and dim photos look like MNIST's full strokes.
     */
    private static float[] inkByGrayLevel(byte[] gray, int w, int h) throws ImageRejectedException {
        int paperLevel = borderMedian(gray, w, h);
        boolean darkInk = paperLevel >= 128;
        int paper = inkLevel(paperLevel, darkInk);
        int peak = 0;
        for (byte g : gray) {
            peak = Math.max(peak, inkLevel(g & 0xFF, darkInk));
        }
        if (peak - paper < MIN_CONTRAST) {
            throw new ImageRejectedException(Reason.BLANK, "no ink on the " + w + "x" + h + " image: the strongest mark"
                    + " differs from the background by " + Math.max(0, peak - paper) + " of 255 grey levels, need "
                    + MIN_CONTRAST);
        }
        float[] ink = new float[256];
        for (int g = 0; g < 256; g++) {
            ink[g] = Math.max(0f, Math.min(1f, (inkLevel(g, darkInk) - paper) / (float) (peak - paper)));
        }
        return ink;
    }

    /**
     * The bounding box of the digit's clear ink ({@link DigitInkBox}: specks and stray marks away from the digit left
     * out); never empty, as the strongest mark has ink 1.
     */
    private static Region inkBox(byte[] gray, int w, int h, float[] ink) {
        DigitInkBox box = DigitInkBox.find(gray, w, h, ink, BOX_THRESHOLD);
        return new Region(box.x0(), box.y0(), box.x1(), box.y1());
    }

    /**
     * Where the box's leading edge goes in the frame, keeping the box inside it. At scale 1 (MNIST-style input) a
     * whole-pixel offset, so the digit is copied rather than blurred across pixel boundaries.
     */
    private static double placement(double offset, double extent, boolean wholePixels) {
        double clamped = Math.max(0, Math.min(SIDE - extent, offset));
        return wholePixels ? Math.max(0, Math.min(Math.floor(SIDE - extent), Math.round(clamped))) : clamped;
    }

    private static int inkLevel(int gray, boolean darkInk) {
        return darkInk ? 255 - gray : gray;
    }

    private static void rawPixels(byte[] input, float[] out, int offset) {
        for (int i = 0; i < PIXELS; i++) {
            out[offset + i] = (input[i] & 0xFF) / 255f;
        }
    }

    static String sniffFormat(byte[] input) {
        if (startsWith(input, PNG)) {
            return "png";
        }
        if (startsWith(input, JPEG)) {
            return "jpeg";
        }
        if (startsWith(input, GIF87) || startsWith(input, GIF89)) {
            return "gif";
        }
        if (startsWith(input, BMP)) {
            return "bmp";
        }
        return null;
    }

    private static boolean startsWith(byte[] input, byte[] prefix) {
        return input.length >= prefix.length && Arrays.equals(input, 0, prefix.length, prefix, 0, prefix.length);
    }

    /**
     * Reads the dimensions from the header first: a hostile header must not make us allocate its raster. An image
     * wider or higher than {@link ImageLimits#MAX_DECODED_SIDE} is decoded subsampled, so its full-size raster never
     * exists.
     */
    BufferedImage decode(byte[] input, String format) throws ImageRejectedException {
        byte[] wrapped = format.equals("bmp") ? wrappedImage(input) : null;
        if (wrapped != null) {
            return decode(wrapped, sniffFormat(wrapped));
        }
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) {
            throw new ImageRejectedException(Reason.UNDECODABLE, "no " + format + " decoder available");
        }
        ImageReader reader = readers.next();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(input))) {
            reader.setInput(in, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            long pixels = (long) width * height;
            if (width <= 0 || height <= 0) {
                throw new ImageRejectedException(Reason.UNDECODABLE,
                        format + " image declares " + width + "x" + height + " pixels");
            }
            if (pixels > limits.maxPixels()) {
                throw new ImageRejectedException(Reason.TOO_LARGE, "image is " + width + "x" + height + " = " + pixels
                        + " pixels, limit " + limits.maxPixels());
            }
            if (Math.max(width, height) > ImageLimits.MAX_SIDE) {
                throw new ImageRejectedException(Reason.TOO_LARGE, "image is " + width + "x" + height
                        + " pixels, longest side accepted " + ImageLimits.MAX_SIDE);
            }
            ImageReadParam param = reader.getDefaultReadParam();
            int step = subsamplingStep(width, height, ImageLimits.MAX_DECODED_SIDE);
            if (step > 1) {
                param.setSourceSubsampling(step, step, 0, 0);
            }
            return reader.read(0, param);
        } catch (IOException | RuntimeException e) {
            throw undecodable(format, input.length, e);
        } finally {
            reader.dispose();
        }
    }

    /** The smallest n such that keeping every n-th pixel of every n-th row leaves at most {@code maxSide} a side. */
    static int subsamplingStep(int width, int height, int maxSide) {
        int longest = Math.max(width, height);
        return (longest + maxSide - 1) / maxSide;
    }

    /**
     * The image a BMP wraps whole (compression BI_PNG or BI_JPEG), or null. JDK 17's BMP reader would allocate the data
     * size the header declares for it (2 GB from a 1 KB file) and hand it to a PNG or JPEG reader whose own header
     * nobody checks (9375495-pixel-wide rows from 157 bytes); unwrapped, it is decoded with every bound. The data of
     * an RLE-compressed BMP must fit in the input too.
     */
    private static byte[] wrappedImage(byte[] input) throws ImageRejectedException {
        if (input.length < BMP_DATA_SIZE_OFFSET + 4) {
            return null; // too short for the fields: the reader rejects it
        }
        ByteBuffer header = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
        long headerSize = header.getInt(BMP_INFO_HEADER_OFFSET) & 0xFFFF_FFFFL;
        int compression = header.getInt(BMP_COMPRESSION_OFFSET);
        boolean wraps = compression == BI_JPEG || compression == BI_PNG;
        if (headerSize < BITMAPINFOHEADER_SIZE || !(wraps || compression == BI_RLE8 || compression == BI_RLE4)) {
            return null;
        }
        long dataSize = header.getInt(BMP_DATA_SIZE_OFFSET) & 0xFFFF_FFFFL;
        if (dataSize > input.length) {
            throw new ImageRejectedException(Reason.UNDECODABLE, "bmp image declares " + dataSize
                    + " bytes of compressed data but is only " + input.length + " bytes");
        }
        if (!wraps) {
            return null;
        }
        long offset = header.getInt(BMP_DATA_OFFSET) & 0xFFFF_FFFFL;
        String expected = compression == BI_PNG ? "png" : "jpeg";
        byte[] wrapped = offset + dataSize <= input.length
                ? Arrays.copyOfRange(input, (int) offset, (int) (offset + dataSize)) : new byte[0];
        if (!expected.equals(sniffFormat(wrapped))) {
            throw new ImageRejectedException(Reason.UNDECODABLE, "bmp image declares a wrapped " + expected
                    + " image of " + dataSize + " bytes at offset " + offset + " but there is none");
        }
        return wrapped;
    }

    /**
     * A reader's exception as an input error. An {@link Error} inside it is rethrown instead: the PNG reader wraps
     * everything it catches, {@link OutOfMemoryError} included, in an {@code IIOException}, and running out of memory
     * says nothing about the input.
     */
    static ImageRejectedException undecodable(String format, int bytes, Exception e) {
        Throwable cause = e;
        for (int depth = 0; cause != null && depth < 16; depth++, cause = cause.getCause()) {
            if (cause instanceof Error error) {
                throw error;
            }
        }
        return new ImageRejectedException(Reason.UNDECODABLE, "cannot decode the " + format + " image (" + bytes
                + " bytes): " + e, e);
    }

    /**
     * Grey levels 0 (black) to 255 (white), transparent parts composited onto white paper. Grey images are read
     * from their samples: getRGB would pass linear grey through the sRGB curve and brighten mid-tones.
     */
    private static byte[] paperGray(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] gray = new byte[w * h];
        ColorModel model = image.getColorModel();
        if (model instanceof ComponentColorModel && model.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            Raster raster = image.getRaster();
            int alphaBand = raster.getNumBands() - 1;
            boolean alpha = model.hasAlpha();
            double grayMax = (1L << model.getComponentSize(0)) - 1;
            double alphaMax = alpha ? (1L << model.getComponentSize(alphaBand)) - 1 : 1;
            int[] g = new int[w];
            int[] a = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, g);
                if (alpha) {
                    raster.getSamples(0, y, w, 1, alphaBand, a);
                }
                for (int x = 0; x < w; x++) {
                    double level = g[x] / grayMax * 255;
                    double opacity = alpha ? a[x] / alphaMax : 1;
                    gray[y * w + x] = (byte) Math.round(level * opacity + 255 * (1 - opacity));
                }
            }
            return gray;
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                double opacity = (argb >>> 24) / 255.0;
                double luminance = 0.299 * ((argb >> 16) & 0xFF) + 0.587 * ((argb >> 8) & 0xFF) + 0.114 * (argb & 0xFF);
                gray[y * w + x] = (byte) Math.round(luminance * opacity + 255 * (1 - opacity));
            }
        }
        return gray;
    }

    private static int borderMedian(byte[] gray, int w, int h) {
        int[] histogram = new int[256];
        int count = 0;
        for (int y = 0; y < h; y++) {
            boolean edgeRow = y == 0 || y == h - 1;
            for (int x = 0; x < w; x += edgeRow || w == 1 ? 1 : w - 1) {
                histogram[gray[y * w + x] & 0xFF]++;
                count++;
            }
        }
        int seen = 0;
        for (int level = 0; level < 256; level++) {
            seen += histogram[level];
            if (seen * 2 >= count) {
                return level;
            }
        }
        return 255;
    }

    /** Source pixels {@code [x0, x1) x [y0, y1)}. */
    private record Region(int x0, int y0, int x1, int y1) {

        int width() {
            return x1 - x0;
        }

        int height() {
            return y1 - y0;
        }
    }

    /**
     * Renders the 28x28 frame, whose pixel {@code i} covers source {@code [origin + i / scale, origin + (i + 1) /
     * scale)}; source pixels outside {@code window} count as no ink.
     */
    private static float[] resample(byte[] gray, int w, float[] ink, Region window, double scale,
                                    double originX, double originY) {
        Taps[] columns = taps(originX, scale, window.x0, window.x1);
        Taps[] rows = taps(originY, scale, window.y0, window.y1);
        int windowRows = window.y1 - window.y0;
        float[] horizontal = new float[windowRows * SIDE];
        for (int r = 0; r < windowRows; r++) {
            int rowStart = (window.y0 + r) * w;
            for (int i = 0; i < SIDE; i++) {
                Taps t = columns[i];
                float sum = 0;
                for (int k = 0; k < t.weights.length; k++) {
                    sum += t.weights[k] * ink[gray[rowStart + t.first + k] & 0xFF];
                }
                horizontal[r * SIDE + i] = sum;
            }
        }
        float[] out = new float[PIXELS];
        for (int j = 0; j < SIDE; j++) {
            Taps t = rows[j];
            for (int k = 0; k < t.weights.length; k++) {
                float weight = t.weights[k];
                int from = (t.first + k - window.y0) * SIDE;
                for (int i = 0; i < SIDE; i++) {
                    out[j * SIDE + i] += weight * horizontal[from + i];
                }
            }
        }
        return out;
    }

    /** Source pixels {@code first, first + 1, ...} and their weights for one output pixel. */
    private record Taps(int first, float[] weights) {
    }

    /**
     * Area averaging: each output pixel is the mean of the source over its footprint, partial pixels weighted by
     * overlap. It does not alias when shrinking, keeps edges crisp when enlarging, and copies at scale 1.
     */
    private static Taps[] taps(double origin, double scale, int lo, int hi) {
        Taps[] taps = new Taps[SIDE];
        for (int i = 0; i < SIDE; i++) {
            double from = origin + i / scale;
            double to = origin + (i + 1) / scale;
            int first = Math.max(lo, (int) Math.floor(from));
            int last = Math.min(hi, (int) Math.ceil(to));
            float[] weights = new float[Math.max(0, last - first)];
            for (int s = first; s < last; s++) {
                weights[s - first] = (float) ((Math.min(to, s + 1) - Math.max(from, s)) * scale);
            }
            taps[i] = new Taps(first, weights);
        }
        return taps;
    }
}
