package io.digitstream.trainer.robustness;

import java.util.random.RandomGenerator;

/** Gaussian, motion and glass blur of {@link GrayImage}s. */
public final class Blur {

    /** Kernel taps reach this many sigmas, as scipy's {@code gaussian_filter} (and so MNIST-C) cut them. */
    static final double TRUNCATE = 4.0;

    private Blur() {
    }

    /**
     * Separable Gaussian blur, the edge pixels repeating outward (scipy's {@code mode='nearest'}, the default of
     * scikit-image's {@code gaussian} that MNIST-C calls).
     */
    public static GrayImage gaussian(GrayImage image, double sigma) {
        return gaussian(image, sigma, sigma);
    }

    /** Gaussian blur with its own sigma along each axis; a sigma of 0 leaves that axis alone. */
    public static GrayImage gaussian(GrayImage image, double sigmaX, double sigmaY) {
        if (!(sigmaX >= 0 && sigmaY >= 0)) {
            throw new IllegalArgumentException("sigmas must be >= 0: " + sigmaX + ", " + sigmaY);
        }
        int w = image.width();
        int h = image.height();
        float[] out = image.pixels();
        if (sigmaX > 0) {
            out = convolve(out, w, h, kernel(sigmaX), 1, w);
        }
        if (sigmaY > 0) {
            out = convolve(out, w, h, kernel(sigmaY), w, h);
        }
        return new GrayImage(w, h, out == image.pixels() ? out.clone() : out);
    }

    /** A normalised Gaussian kernel of {@code 2 * radius + 1} taps. */
    private static float[] kernel(double sigma) {
        int radius = (int) (TRUNCATE * sigma + 0.5);
        float[] kernel = new float[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            double w = Math.exp(-i * i / (2 * sigma * sigma));
            kernel[i + radius] = (float) w;
            sum += w;
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= (float) sum;
        }
        return kernel;
    }

    /** Convolves along one axis: neighbours are {@code stride} apart, {@code length} of them per line; edges repeat. */
    private static float[] convolve(float[] src, int w, int h, float[] kernel, int stride, int length) {
        int radius = kernel.length / 2;
        float[] out = new float[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int position = stride == 1 ? x : y;
                float acc = 0;
                for (int k = -radius; k <= radius; k++) {
                    int p = Math.max(0, Math.min(length - 1, position + k));
                    acc += kernel[k + radius] * src[i + (p - position) * stride];
                }
                out[i] = acc;
            }
        }
        return out;
    }

    /**
     * Motion blur as ImageMagick's {@code -motion-blur} draws it (MNIST-C's motion blur): a one-sided trail of
     * {@code 2 * radius + 1} taps along {@code degrees} (0 = to the right, 90 = down), tap {@code i} weighted
     * {@code exp(-i^2 / 2 sigma^2)} and placed at the pixel nearest {@code i} steps along the direction; edges repeat.
     */
    public static GrayImage motion(GrayImage image, int radius, double sigma, double degrees) {
        if (radius < 0 || !(sigma > 0)) {
            throw new IllegalArgumentException("radius must be >= 0 and sigma > 0: " + radius + ", " + sigma);
        }
        int taps = 2 * radius + 1;
        double radians = Math.toRadians(degrees);
        int[] dx = new int[taps];
        int[] dy = new int[taps];
        float[] weight = new float[taps];
        double sum = 0;
        for (int i = 0; i < taps; i++) {
            dx[i] = (int) Math.round(i * Math.cos(radians));
            dy[i] = (int) Math.round(i * Math.sin(radians));
            double w = Math.exp(-(double) i * i / (2 * sigma * sigma));
            weight[i] = (float) w;
            sum += w;
        }
        int w = image.width();
        int h = image.height();
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int i = 0; i < taps; i++) {
                    acc += weight[i] * image.clamped(x + dx[i], y + dy[i]);
                }
                out[y * w + x] = (float) (acc / sum);
            }
        }
        return new GrayImage(w, h, out);
    }

    /**
     * Glass blur (after Hendrycks and Dietterich): blur, shuffle locally ({@link #localShuffle}), blur again.
     */
    public static GrayImage glass(GrayImage image, double sigma, int maxDelta, int iterations, RandomGenerator random) {
        return gaussian(localShuffle(gaussian(image, sigma), maxDelta, iterations, random), sigma);
    }

    /**
     * The shuffle of glass blur: {@code iterations} passes that walk the image from the bottom-right corner, away
     * from a {@code maxDelta} border, and swap each pixel with probability 1/2 with a neighbour offset by up to
     * {@code maxDelta} pixels on each axis (offsets drawn from {@code [-maxDelta, maxDelta)}, as MNIST-C draws them).
     */
    public static GrayImage localShuffle(GrayImage image, int maxDelta, int iterations, RandomGenerator random) {
        if (maxDelta < 1 || iterations < 0) {
            throw new IllegalArgumentException("maxDelta must be >= 1 and iterations >= 0: " + maxDelta + ", "
                    + iterations);
        }
        int w = image.width();
        int h = image.height();
        float[] p = image.pixels().clone();
        for (int it = 0; it < iterations; it++) {
            for (int y = h - maxDelta; y > maxDelta; y--) {
                for (int x = w - maxDelta; x > maxDelta; x--) {
                    if (random.nextBoolean()) {
                        int nx = x + random.nextInt(-maxDelta, maxDelta);
                        int ny = y + random.nextInt(-maxDelta, maxDelta);
                        if (nx >= 0 && ny >= 0 && nx < w && ny < h) {
                            float t = p[y * w + x];
                            p[y * w + x] = p[ny * w + nx];
                            p[ny * w + nx] = t;
                        }
                    }
                }
            }
        }
        return new GrayImage(w, h, p);
    }
}
