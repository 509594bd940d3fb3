package io.digitstream.trainer.data;

import static io.digitstream.contract.DigitShape.PIXELS;

import io.digitstream.trainer.robustness.Blur;
import io.digitstream.trainer.robustness.CannyEdges;
import io.digitstream.trainer.robustness.GrayImage;
import io.digitstream.trainer.robustness.Noise;
import io.digitstream.trainer.robustness.PlasmaFractal;
import io.digitstream.trainer.robustness.Resampling;
import io.digitstream.trainer.robustness.StrokeMarks;
import io.digitstream.trainer.robustness.StrokeWidth;
import io.digitstream.trainer.robustness.Warp;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Damages a share of the training digits the way scans and photos do: grey or uneven paper, faded ink, noise, blur,
 * thick and thin strokes, low resolution, broken and outlined strokes, marks across the digit. The label stays: a
 * damaged 7 is still a 7, so the network learns the shape under the damage instead of answering 8 for every grey
 * image.
 *
 * <p>The damage comes from the same primitives as the robustness benchmark ({@code io.digitstream.trainer.robustness}),
 * with wider, random strengths instead of the benchmark's fixed severities, on training digits only. Each image's
 * draws depend only on the seed, the epoch and its index, so a run is reproducible and the work runs in parallel.
 */
public final class ScanDamageAugmenter {

    /** The kinds of damage, drawn with equal chance; one in four damaged images gets a second kind on top. */
    enum Damage {
        GREY_PAPER, FADED_INK, FOG, SHOT_NOISE, SALT_AND_PEPPER, GAUSSIAN_NOISE, BLUR, MOTION_BLUR, GLASS_BLUR,
        THICK, THIN, LOW_RESOLUTION, ELASTIC, INVERTED_BANDS, LINES, OUTLINE, SPOTS
    }

    private static final double SECOND_DAMAGE = 0.25;
    private static final int FOG_MAP = 64;

    private final double share;
    private final long seed;

    /**
     * @param share of the images damaged, 0..1
     * @param seed  the run's seed
     */
    public ScanDamageAugmenter(double share, long seed) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be in 0..1: " + share);
        }
        this.share = share;
        this.seed = seed;
    }

    /** A new array holding the {@code count} images of {@code images}, {@code share} of them damaged. */
    public float[] augment(float[] images, int count, int epoch) {
        if (images.length != count * PIXELS) {
            throw new IllegalArgumentException(count + " images need " + count * PIXELS + " floats, got " + images.length);
        }
        float[] out = images.clone();
        IntStream.range(0, count).parallel().forEach(i -> {
            SplittableRandom random = new SplittableRandom(mix(seed, epoch, i));
            if (random.nextDouble() < share) {
                float[] pixels = new float[PIXELS];
                System.arraycopy(images, i * PIXELS, pixels, 0, PIXELS);
                GrayImage damaged = damage(GrayImage.mnist(pixels), random);
                System.arraycopy(damaged.clipped().pixels(), 0, out, i * PIXELS, PIXELS);
            }
        });
        return out;
    }

    static GrayImage damage(GrayImage image, SplittableRandom random) {
        Damage[] kinds = Damage.values();
        GrayImage damaged = apply(kinds[random.nextInt(kinds.length)], image, random);
        if (random.nextDouble() < SECOND_DAMAGE) {
            damaged = apply(kinds[random.nextInt(kinds.length)], damaged.clipped(), random);
        }
        return damaged;
    }

    static GrayImage apply(Damage damage, GrayImage image, SplittableRandom random) {
        return switch (damage) {
            case GREY_PAPER -> affine(image, 1, random.nextDouble(0.1, 0.7));
            case FADED_INK -> {
                double background = random.nextDouble(0, 0.4);
                yield affine(image, random.nextDouble(0.25, 1 - background), background);
            }
            case FOG -> fog(image, random);
            case SHOT_NOISE -> Noise.shot(image, random.nextDouble(2, 30), random);
            case SALT_AND_PEPPER -> Noise.impulse(image, random.nextDouble(0.02, 0.25), random);
            case GAUSSIAN_NOISE -> Noise.gaussian(image, random.nextDouble(0.05, 0.35), random);
            case BLUR -> Blur.gaussian(image, random.nextDouble(0.5, 1.6));
            case MOTION_BLUR -> Blur.motion(image, 3 + random.nextInt(9), random.nextDouble(1, 3.5),
                    random.nextDouble(-180, 180));
            case GLASS_BLUR -> Blur.glass(image, random.nextDouble(0.4, 1.0), 1, 1 + random.nextInt(2), random);
            // a disc under radius 1 is one pixel: blending with radius 1 gives the sub-pixel widths
            case THICK -> blend(image, StrokeWidth.dilate(image, random.nextDouble(1, 2)), random.nextDouble(0.4, 1));
            case THIN -> blend(image, StrokeWidth.erode(image, 1), random.nextDouble(0.3, 0.8));
            case LOW_RESOLUTION -> Resampling.lowResolution(image, 7 + random.nextInt(10));
            case ELASTIC -> Warp.elastic(image, random.nextDouble(20, 40), random.nextDouble(3.5, 5), random);
            case INVERTED_BANDS -> invertedBands(image, random);
            case LINES -> switch (random.nextInt(3)) {
                case 0 -> StrokeMarks.dottedLine(image, random);
                case 1 -> StrokeMarks.zigzag(image, random);
                default -> StrokeMarks.add(image, StrokeMarks.line(image.width(), image.height(),
                        random.nextDouble(0, 10), random.nextDouble(28), random.nextDouble(18, 28), random.nextDouble(28)));
            };
            case OUTLINE -> CannyEdges.detect(image, random.nextDouble(0.6, 1.4), random.nextDouble(0.05, 0.15),
                    random.nextDouble(0.15, 0.3));
            case SPOTS -> Noise.specks(image, 1 + random.nextInt(8), 0.5, 2.5, 0.2, 1, random);
        };
    }

    /** {@code share} of the way from {@code image} to {@code target}, pixel by pixel. */
    private static GrayImage blend(GrayImage image, GrayImage target, double share) {
        float[] out = new float[image.pixels().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (image.pixels()[i] * (1 - share) + target.pixels()[i] * share);
        }
        return new GrayImage(image.width(), image.height(), out);
    }

    /** Every pixel times {@code gain} plus {@code offset}: grey paper and faded ink. */
    private static GrayImage affine(GrayImage image, double gain, double offset) {
        float[] out = new float[image.pixels().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (image.pixels()[i] * gain + offset);
        }
        return new GrayImage(image.width(), image.height(), out);
    }

    /** Uneven grey haze, as MNIST-C's fog, at a random strength and grain, rescaled to the old brightest pixel. */
    private static GrayImage fog(GrayImage image, SplittableRandom random) {
        GrayImage plasma = PlasmaFractal.generate(FOG_MAP, random.nextDouble(1.2, 2.5), random);
        double strength = random.nextDouble(0.3, 3);
        float[] out = new float[image.pixels().length];
        int w = image.width();
        for (int i = 0; i < out.length; i++) {
            double haze = strength * plasma.pixels()[(i / w) * FOG_MAP + i % w];
            out[i] = (float) ((image.pixels()[i] + haze) / (1 + strength));
        }
        return new GrayImage(w, image.height(), out);
    }

    /** Bands of rows or columns at the edges or anywhere, their ink inverted: dark frames and shadows. */
    private static GrayImage invertedBands(GrayImage image, SplittableRandom random) {
        int w = image.width();
        int h = image.height();
        boolean columns = random.nextBoolean();
        int size = columns ? w : h;
        int band = 2 + random.nextInt(7);
        int from = random.nextBoolean() ? 0 : random.nextInt(size - band);
        boolean mirrored = random.nextBoolean();
        float[] out = image.pixels().clone();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int at = columns ? x : y;
                if ((at >= from && at < from + band) || (mirrored && at >= size - from - band && at < size - from)) {
                    out[y * w + x] = 1 - out[y * w + x];
                }
            }
        }
        return new GrayImage(w, h, out);
    }

    private static long mix(long seed, int epoch, int index) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + index * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        return z ^ (z >>> 31);
    }
}
