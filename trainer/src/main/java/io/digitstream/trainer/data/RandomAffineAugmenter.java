package io.digitstream.trainer.data;

import static io.digitstream.contract.DigitShape.PIXELS;
import static io.digitstream.contract.DigitShape.SIDE;

import java.util.SplittableRandom;

/**
 * Random rotation, zoom and shift of 28x28 float images, a fresh draw per image and epoch. Each output pixel is
 * mapped back into the source and sampled bilinearly (zero outside), so there are no holes and no scatter.
 * The draws depend only on the seed and the epoch, so a run is reproducible whatever happened before it.
 */
public final class RandomAffineAugmenter {

    /** Pixel centres run 0..27, so rotation and zoom pivot on 13.5. */
    private static final double CENTRE = (SIDE - 1) / 2.0;

    private final AffineAugmentation ranges;
    private final long seed;

    public RandomAffineAugmenter(AffineAugmentation ranges, long seed) {
        this.ranges = ranges;
        this.seed = seed;
    }

    /** A new array holding the {@code count} images of {@code images}, each randomly transformed. */
    public float[] augment(float[] images, int count, int epoch) {
        if (images.length != count * PIXELS) {
            throw new IllegalArgumentException(count + " images need " + count * PIXELS + " floats, got " + images.length);
        }
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        float[] out = new float[images.length];
        for (int i = 0; i < count; i++) {
            double degrees = uniform(random, ranges.maxRotationDegrees());
            double scale = 1 + uniform(random, ranges.maxZoom());
            double shiftX = uniform(random, ranges.maxShiftPixels());
            double shiftY = uniform(random, ranges.maxShiftPixels());
            warp(images, i * PIXELS, out, i * PIXELS, degrees, scale, shiftX, shiftY);
        }
        return out;
    }

    /**
     * Writes into {@code dst} the image at {@code src} rotated by {@code degrees} (counter-clockwise as displayed,
     * y pointing down), scaled by {@code scale} about the centre, then moved by ({@code shiftX}, {@code shiftY}) pixels.
     */
    public static void warp(float[] src, int srcOffset, float[] dst, int dstOffset,
                            double degrees, double scale, double shiftX, double shiftY) {
        double radians = Math.toRadians(degrees);
        double cos = Math.cos(radians) / scale;
        double sin = Math.sin(radians) / scale;
        for (int y = 0; y < SIDE; y++) {
            double v = y - CENTRE - shiftY;
            for (int x = 0; x < SIDE; x++) {
                double u = x - CENTRE - shiftX;
                double sx = cos * u - sin * v + CENTRE;
                double sy = sin * u + cos * v + CENTRE;
                dst[dstOffset + y * SIDE + x] = bilinear(src, srcOffset, sx, sy);
            }
        }
    }

    private static float bilinear(float[] src, int offset, double x, double y) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        if (x0 < -1 || y0 < -1 || x0 >= SIDE || y0 >= SIDE) {
            return 0f;
        }
        double fx = x - x0;
        double fy = y - y0;
        double top = (1 - fx) * pixel(src, offset, x0, y0) + fx * pixel(src, offset, x0 + 1, y0);
        double bottom = (1 - fx) * pixel(src, offset, x0, y0 + 1) + fx * pixel(src, offset, x0 + 1, y0 + 1);
        return (float) ((1 - fy) * top + fy * bottom);
    }

    private static float pixel(float[] src, int offset, int x, int y) {
        return x < 0 || y < 0 || x >= SIDE || y >= SIDE ? 0f : src[offset + y * SIDE + x];
    }

    private static double uniform(SplittableRandom random, double max) {
        return max == 0 ? 0 : random.nextDouble(-max, max);
    }
}
