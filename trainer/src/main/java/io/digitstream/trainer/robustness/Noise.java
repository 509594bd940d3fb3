package io.digitstream.trainer.robustness;

import java.util.random.RandomGenerator;

/** Pixel noise for {@link GrayImage}s; every result is clipped to 0..1. */
public final class Noise {

    /** Above this mean a Poisson draw is taken from its normal approximation (Knuth's method slows down). */
    static final double POISSON_NORMAL_ABOVE = 60;

    private Noise() {
    }

    /**
     * Shot (Poisson) noise: a pixel of value {@code v} becomes {@code Poisson(v * photons) / photons}. Fewer photons,
     * more noise; MNIST-C uses 3.
     */
    public static GrayImage shot(GrayImage image, double photons, RandomGenerator random) {
        if (!(photons > 0)) {
            throw new IllegalArgumentException("photons must be > 0: " + photons);
        }
        float[] src = image.pixels();
        float[] out = new float[src.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = clip(poisson(Math.max(0, src[i]) * photons, random) / photons);
        }
        return new GrayImage(image.width(), image.height(), out);
    }

    /**
     * Impulse (salt-and-pepper) noise: each pixel, with probability {@code amount}, is replaced by 0 or 1, either
     * with probability 1/2 (scikit-image's {@code s&p} mode, which MNIST-C uses at amount 0.17).
     */
    public static GrayImage impulse(GrayImage image, double amount, RandomGenerator random) {
        checkProbability(amount);
        float[] src = image.pixels();
        float[] out = new float[src.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = random.nextDouble() < amount ? (random.nextBoolean() ? 1f : 0f) : clip(src[i]);
        }
        return new GrayImage(image.width(), image.height(), out);
    }

    /** Additive Gaussian noise of standard deviation {@code sigma}. */
    public static GrayImage gaussian(GrayImage image, double sigma, RandomGenerator random) {
        float[] src = image.pixels();
        float[] out = new float[src.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = clip(src[i] + sigma * random.nextGaussian());
        }
        return new GrayImage(image.width(), image.height(), out);
    }

    /**
     * Speckle as on a scanned page: {@code count} round specks of radius {@code minRadius..maxRadius} pixels and
     * ink {@code minInk..maxInk}, at uniformly random places; a speck never lightens ink already there.
     */
    public static GrayImage specks(GrayImage image, int count, double minRadius, double maxRadius,
                                   double minInk, double maxInk, RandomGenerator random) {
        float[] out = image.pixels().clone();
        int w = image.width();
        int h = image.height();
        for (int s = 0; s < count; s++) {
            double cx = random.nextDouble(w);
            double cy = random.nextDouble(h);
            double r = minRadius == maxRadius ? minRadius : random.nextDouble(minRadius, maxRadius);
            float ink = (float) (minInk == maxInk ? minInk : random.nextDouble(minInk, maxInk));
            for (int y = (int) Math.floor(cy - r); y <= (int) Math.ceil(cy + r); y++) {
                for (int x = (int) Math.floor(cx - r); x <= (int) Math.ceil(cx + r); x++) {
                    double dx = x + 0.5 - cx;
                    double dy = y + 0.5 - cy;
                    if (x >= 0 && y >= 0 && x < w && y < h && dx * dx + dy * dy <= r * r) {
                        out[y * w + x] = Math.max(out[y * w + x], ink);
                    }
                }
            }
        }
        return new GrayImage(w, h, out);
    }

    /** A Poisson draw of mean {@code mean}: Knuth's multiplication method, or the normal approximation for large means. */
    static int poisson(double mean, RandomGenerator random) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > POISSON_NORMAL_ABOVE) {
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
        }
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }

    static float clip(double v) {
        return (float) Math.max(0, Math.min(1, v));
    }

    private static void checkProbability(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("must be a probability in [0, 1]: " + p);
        }
    }
}
