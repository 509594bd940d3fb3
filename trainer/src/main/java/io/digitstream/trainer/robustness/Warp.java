package io.digitstream.trainer.robustness;

import java.util.random.RandomGenerator;

/**
 * Geometric transforms of {@link GrayImage}s by inverse mapping: each output pixel is looked up in the source and
 * sampled bilinearly, with no ink outside the source, so there are no holes. Coordinates are pixel indices (pixel
 * centres at integers) and the image centre, e.g. 13.5 for 28 pixels, stays in place, as in MNIST-C.
 */
public final class Warp {

    private Warp() {
    }

    /**
     * The general affine warp: output pixel {@code p} takes the source at {@code A (p - c) + c + t}, with
     * {@code A = [[a, b], [c, d]]} and {@code c} the image centre. {@code A} maps output to source, so scaling by
     * 1/0.7 in {@code A} shrinks the picture to 70%.
     */
    public static GrayImage affine(GrayImage image, double a, double b, double c, double d, double tx, double ty) {
        int w = image.width();
        int h = image.height();
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            double v = y - cy;
            for (int x = 0; x < w; x++) {
                double u = x - cx;
                out[y * w + x] = image.bilinear(a * u + b * v + cx + tx, c * u + d * v + cy + ty);
            }
        }
        return new GrayImage(w, h, out);
    }

    /** Rotates the picture by {@code radians} about the centre (positive: clockwise as displayed, y pointing down). */
    public static GrayImage rotate(GrayImage image, double radians) {
        double cos = Math.cos(radians);
        double sin = Math.sin(radians);
        // the source of an output pixel lies at the inverse rotation
        return affine(image, cos, sin, -sin, cos, 0, 0);
    }

    /**
     * Shears rows sideways in proportion to their height, the way scikit-image's {@code AffineTransform(shear=s)}
     * does when used as MNIST-C's inverse map: source = {@code [[1, -sin s], [0, cos s]]} (p - c) + c.
     */
    public static GrayImage shear(GrayImage image, double shearRadians) {
        return affine(image, 1, -Math.sin(shearRadians), 0, Math.cos(shearRadians), 0, 0);
    }

    /** Scales the picture by {@code factor} about the centre: 0.7 shrinks it to 70%. */
    public static GrayImage scale(GrayImage image, double factor) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("factor must be > 0: " + factor);
        }
        return affine(image, 1 / factor, 0, 0, 1 / factor, 0, 0);
    }

    /** Moves the picture by ({@code dx}, {@code dy}) pixels (positive: right and down). */
    public static GrayImage translate(GrayImage image, double dx, double dy) {
        return affine(image, 1, 0, 0, 1, -dx, -dy);
    }

    /**
     * Elastic distortion (Simard et al., 2003): every pixel is displaced by a random field, uniform in [-1, 1] per
     * pixel and axis, smoothed by a Gaussian of {@code sigma} pixels and scaled by {@code alpha} pixels. Small sigma
     * makes it noise, large sigma a gentle bend; Simard used alpha 34, sigma 4 on 28x28 digits.
     */
    public static GrayImage elastic(GrayImage image, double alpha, double sigma, RandomGenerator random) {
        int w = image.width();
        int h = image.height();
        GrayImage fx = Blur.gaussian(uniformField(w, h, random), sigma);
        GrayImage fy = Blur.gaussian(uniformField(w, h, random), sigma);
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                out[i] = image.bilinear(x + alpha * fx.pixels()[i], y + alpha * fy.pixels()[i]);
            }
        }
        return new GrayImage(w, h, out);
    }

    private static GrayImage uniformField(int w, int h, RandomGenerator random) {
        float[] field = new float[w * h];
        for (int i = 0; i < field.length; i++) {
            field[i] = (float) random.nextDouble(-1, 1);
        }
        return new GrayImage(w, h, field);
    }
}
