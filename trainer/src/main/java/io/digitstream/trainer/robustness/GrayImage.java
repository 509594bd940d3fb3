package io.digitstream.trainer.robustness;

import static io.digitstream.contract.DigitShape.PIXELS;
import static io.digitstream.contract.DigitShape.SIDE;

import io.digitstream.core.mnist.MnistDataset;
import java.util.Arrays;

/**
 * A grey image of any size as row-major floats, 0 = background and 1 = full ink: MNIST's polarity, which every
 * primitive of this package works in. Pixel (x, y) is {@code pixels[y * width + x]}. The primitives never modify the
 * image they are given; {@link #pixels()} is shared, not copied, so that 28x28 model inputs pass through without
 * allocation.
 */
public record GrayImage(int width, int height, float[] pixels) {

    public GrayImage {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("an image needs at least one pixel: " + width + "x" + height);
        }
        if (pixels.length != width * height) {
            throw new IllegalArgumentException(width + "x" + height + " needs " + width * height + " pixels, got "
                    + pixels.length);
        }
    }

    /** A 28x28 image over 784 model-input floats (shared). */
    public static GrayImage mnist(float[] pixels) {
        if (pixels.length != PIXELS) {
            throw new IllegalArgumentException("an MNIST image has " + PIXELS + " pixels, got " + pixels.length);
        }
        return new GrayImage(SIDE, SIDE, pixels);
    }

    /** Image {@code index} of an MNIST-style dataset, scaled to 0..1 as the model sees it. */
    public static GrayImage of(MnistDataset data, int index) {
        return new GrayImage(data.cols(), data.rows(), data.normalizedImage(index));
    }

    /** Unsigned bytes (0 = background, 255 = ink) from {@code offset}, e.g. one image of an IDX file. */
    public static GrayImage fromBytes(byte[] bytes, int offset, int width, int height) {
        float[] out = new float[width * height];
        for (int i = 0; i < out.length; i++) {
            out[i] = (bytes[offset + i] & 0xFF) / 255f;
        }
        return new GrayImage(width, height, out);
    }

    public static GrayImage blank(int width, int height) {
        return new GrayImage(width, height, new float[width * height]);
    }

    /** Pixel (x, y); 0 (no ink) outside the image. */
    public float get(int x, int y) {
        return x < 0 || y < 0 || x >= width || y >= height ? 0f : pixels[y * width + x];
    }

    /** Pixel (x, y) with coordinates clamped to the image: the edge repeats outward. */
    public float clamped(int x, int y) {
        return pixels[Math.max(0, Math.min(height - 1, y)) * width + Math.max(0, Math.min(width - 1, x))];
    }

    /** Bilinear sample at (x, y) in pixel-index coordinates (pixel centres at integers); 0 outside. */
    public float bilinear(double x, double y) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        if (x0 < -1 || y0 < -1 || x0 >= width || y0 >= height) {
            return 0f;
        }
        double fx = x - x0;
        double fy = y - y0;
        double top = (1 - fx) * get(x0, y0) + fx * get(x0 + 1, y0);
        double bottom = (1 - fx) * get(x0, y0 + 1) + fx * get(x0 + 1, y0 + 1);
        return (float) ((1 - fy) * top + fy * bottom);
    }

    /** A copy with every pixel clamped to 0..1. */
    public GrayImage clipped() {
        float[] out = new float[pixels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(0f, Math.min(1f, pixels[i]));
        }
        return new GrayImage(width, height, out);
    }

    /** Unsigned bytes, 0..255 rounded, values outside 0..1 clamped. */
    public byte[] toBytes() {
        byte[] out = new byte[pixels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Math.round(255 * Math.max(0f, Math.min(1f, pixels[i])));
        }
        return out;
    }

    /** The sum of all pixels: how much ink the image holds. */
    public double ink() {
        double sum = 0;
        for (float p : pixels) {
            sum += p;
        }
        return sum;
    }

    // records compare arrays by identity; an image is a value
    @Override
    public boolean equals(Object o) {
        return o instanceof GrayImage g && g.width == width && g.height == height && Arrays.equals(g.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "GrayImage[" + width + "x" + height + ", ink=" + ink() + "]";
    }
}
