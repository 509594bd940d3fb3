package io.digitstream.trainer.robustness;

import java.util.random.RandomGenerator;

/**
 * The fifteen corruptions of MNIST-C (Mu and Gilmer, 2019, arXiv:1906.02337), each at the severity MNIST-C fixed for
 * its dataset, acting on the 28x28 model input as MNIST-C does: the result goes to the model directly, without
 * preprocessing. Reimplemented from the paper's description and parameters; random choices come from the generator
 * given, so a seed fixes the result.
 */
public enum MnistCorruption {

    SHOT_NOISE("shot-noise", "Poisson noise, 3 photons per unit of ink (severity 5)") {
        @Override
        public GrayImage apply(GrayImage image, RandomGenerator random) {
            return Noise.shot(image, 3, random);
        }
    },
    IMPULSE_NOISE("impulse-noise", "salt and pepper on 17% of the pixels (severity 4)") {
        @Override
        public GrayImage apply(GrayImage image, RandomGenerator random) {
            return Noise.impulse(image, 0.17, random);
        }
    },
    GLASS_BLUR("glass-blur", "vertical blur sigma 0.7, 2 passes of 1-pixel shuffles, blur again (severity 1)") {
        @Override
        public GrayImage apply(GrayImage image, RandomGenerator random) {
            // MNIST-C's code blurs along columns only: scikit-image's multichannel flag takes the 28 columns of a
            // 2-D image for colour channels. Kept, so that results compare with MNIST-C's.
            GrayImage shuffled = Blur.localShuffle(Blur.gaussian(image, 0, 0.7), 1, 2, random);
            return Blur.gaussian(shuffled, 0, 0.7).clipped();
        }
    },
    MOTION_BLUR("motion-blur", "one-sided trail, radius 10, sigma 3, angle -45..45 degrees (severity 1)") {
        @Override
        public GrayImage apply(GrayImage image, RandomGenerator random) {
            return Blur.motion(image, 10, 3, random.nextDouble(-45, 45));
        }
    },
    SHEAR("shear", "shear of 0.4 rad, either direction (severity 2)") {
        @Override
        public GrayImage apply(GrayImage image, RandomGenerator random) {
            return Warp.shear(image, sign(random) * 0.4).clipped();
        }
    },
    SCALE("scale", "shrunk to 70% about the centre (severity 3)") {
        @Override
        public GrayImage apply(GrayImage image, RandomGenerator random) {
            return Warp.scale(image, 0.7).clipped();
        }
    },
    ROTATE("rotate", "rotated by 0.4 rad (23 degrees), either direction (severity 2)") {
        @Override
        public GrayImage apply(GrayImage image, RandomGenerator random) {
            return Warp.rotate(image, sign(random) * 0.4).clipped();
        }
    },
    BRIGHTNESS("brightness", "+0.5 on every pixel, clipped (severity 5)") {
        @Override
        public GrayImage apply(GrayImage image, RandomGenerator random) {
            float[] out = new float[image.pixels().length];
            for (int i = 0; i < out.length; i++) {
                out[i] = Noise.clip(image.pixels()[i] + 0.5);
            }
            return new GrayImage(image.width(), image.height(), out);
        }
    },
    TRANSLATE("translate", "moved 3 pixels on each axis, random signs (severity 3)") {
        @Override
        public GrayImage apply(GrayImage image, RandomGenerator random) {
            return Warp.translate(image, sign(random) * 3, sign(random) * 3).clipped();
        }
    },
    STRIPE("stripe", "the 7 leftmost and 7 rightmost columns inverted") {
        @Override
        public GrayImage apply(GrayImage image, RandomGenerator random) {
            int w = image.width();
            int band = w / 4;
            float[] out = image.clipped().pixels();
            for (int y = 0; y < image.height(); y++) {
                for (int x = 0; x < w; x++) {
                    if (x < band || x >= w - band) {
                        out[y * w + x] = 1 - out[y * w + x];
                    }
                }
            }
            return new GrayImage(w, image.height(), out);
        }
    },
    FOG("fog", "plasma fractal (decay 1.4) times 3 added, rescaled to the old maximum (severity 5)") {
        @Override
        public GrayImage apply(GrayImage image, RandomGenerator random) {
            GrayImage plasma = PlasmaFractal.generate(FOG_MAP, 1.4, random);
            double max = 0;
            for (float p : image.pixels()) {
                max = Math.max(max, p);
            }
            float[] out = new float[image.pixels().length];
            int w = image.width();
            for (int i = 0; i < out.length; i++) {
                double fog = 3 * plasma.pixels()[(i / w) * FOG_MAP + i % w];
                out[i] = Noise.clip((image.pixels()[i] + fog) * max / (max + 3));
            }
            return new GrayImage(w, image.height(), out);
        }
    },
    SPATTER("spatter", "mud blobs of grey 63/255 from thresholded smoothed noise (severity 4)") {
        @Override
        public GrayImage apply(GrayImage image, RandomGenerator random) {
            int w = image.width();
            int h = image.height();
            float[] liquid = new float[w * h];
            for (int i = 0; i < liquid.length; i++) {
                liquid[i] = (float) (0.65 + 0.3 * random.nextGaussian());
            }
            float[] smooth = Blur.gaussian(new GrayImage(w, h, liquid), 1).pixels();
            float[] wet = new float[w * h];
            for (int i = 0; i < wet.length; i++) {
                wet[i] = smooth[i] > 0.65f ? 1f : 0f;
            }
            float[] mud = Blur.gaussian(new GrayImage(w, h, wet), 1.5).pixels();
            float[] out = new float[w * h];
            for (int i = 0; i < out.length; i++) {
                float m = mud[i] < 0.8f ? 0f : mud[i];
                out[i] = Noise.clip(image.pixels()[i] * (1 - m) + 63 / 255.0 * m);
            }
            return new GrayImage(w, h, out);
        }
    },
    DOTTED_LINE("dotted-line", "a dashed line from the left edge to the right edge at random heights") {
        @Override
        public GrayImage apply(GrayImage image, RandomGenerator random) {
            return StrokeMarks.dottedLine(image, random);
        }
    },
    ZIGZAG("zigzag", "a zigzag line across the digit at a random height") {
        @Override
        public GrayImage apply(GrayImage image, RandomGenerator random) {
            return StrokeMarks.zigzag(image, random);
        }
    },
    CANNY_EDGES("canny-edges", "the outline of the strokes (Canny, sigma 1, thresholds 0.1 and 0.2)") {
        @Override
        public GrayImage apply(GrayImage image, RandomGenerator random) {
            return CannyEdges.detect(image);
        }
    };

    /** MNIST-C draws a 256x256 plasma map and keeps its top-left corner. */
    static final int FOG_MAP = 256;

    private final String id;
    private final String description;

    MnistCorruption(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The name in reports and on the command line, e.g. {@code shot-noise}. */
    public String id() {
        return id;
    }

    /** What it does, with its parameters. */
    public String description() {
        return description;
    }

    /** The corrupted copy of a 28x28 image (0..1, MNIST polarity); {@code image} is left unchanged. */
    public abstract GrayImage apply(GrayImage image, RandomGenerator random);

    private static int sign(RandomGenerator random) {
        return random.nextBoolean() ? 1 : -1;
    }
}
