package io.digitstream.trainer.robustness;

import static io.digitstream.trainer.robustness.TestDigits.centreOfMass;
import static io.digitstream.trainer.robustness.TestDigits.difference;
import static io.digitstream.trainer.robustness.TestDigits.dot;
import static io.digitstream.trainer.robustness.TestDigits.inkPixels;
import static io.digitstream.trainer.robustness.TestDigits.mnist;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The image primitives that the corruptions and, later, the trainer's augmentation are built from. */
class PrimitivesTest {

    @Test
    void bytesRoundTripThroughAnImage() {
        byte[] bytes = TestDigits.samples().images();
        GrayImage image = GrayImage.fromBytes(bytes, 784, 28, 28);

        assertThat(image).isEqualTo(mnist(1));
        assertThat(image.toBytes()).containsExactly(java.util.Arrays.copyOfRange(bytes, 784, 2 * 784));
    }

    @Test
    void dilationThickensStrokesAndErosionThinsThem() {
        GrayImage digit = mnist(0);

        GrayImage thick = StrokeWidth.dilate(digit, 1);
        GrayImage thin = StrokeWidth.erode(digit, 1);

        assertThat(inkPixels(thick)).isGreaterThan(inkPixels(digit) * 3 / 2);
        assertThat(inkPixels(thin)).isLessThan(inkPixels(digit) * 2 / 3).isPositive();
        assertThat(StrokeWidth.dilate(digit, 0)).isEqualTo(digit);
        // radius 1 is the 3x3 cross: a dot grows into five pixels
        assertThat(StrokeWidth.dilate(dot(9, 4, 4), 1).ink()).isEqualTo(5.0);
        assertThat(StrokeWidth.erode(dot(9, 4, 4), 1).ink()).isZero();
    }

    @Test
    void gaussianBlurSpreadsInkAndKeepsItsAmount() {
        GrayImage blurred = Blur.gaussian(dot(21, 10, 10), 1.5);

        assertThat(blurred.ink()).isCloseTo(1.0, within(1e-5));
        assertThat(blurred.get(10, 10)).isLessThan(0.1f);
        assertThat(blurred.get(12, 10)).isPositive().isEqualTo(blurred.get(8, 10)).isEqualTo(blurred.get(10, 12));
        GrayImage vertical = Blur.gaussian(dot(21, 10, 10), 0, 1.5);
        assertThat(vertical.get(11, 10)).isZero();
        assertThat(vertical.get(10, 11)).isPositive();
    }

    @Test
    void motionBlurLeavesAOneSidedTrailAlongTheAngle() {
        GrayImage trail = Blur.motion(dot(31, 15, 15), 5, 3, 0);

        assertThat(trail.ink()).isCloseTo(1.0, within(1e-5));
        assertThat(trail.get(10, 15)).isPositive(); // output x takes input x + i: the trail points left
        assertThat(trail.get(16, 15)).isZero();
        assertThat(trail.get(15, 14)).isZero();
        GrayImage down = Blur.motion(dot(31, 15, 15), 5, 3, 90);
        assertThat(down.get(15, 10)).isPositive();
        assertThat(down.get(10, 15)).isZero();
    }

    @Test
    void glassBlurIsFixedByTheSeedAndMovesInk() {
        GrayImage digit = mnist(2);

        GrayImage a = Blur.glass(digit, 0.7, 1, 2, new SplittableRandom(5));
        GrayImage b = Blur.glass(digit, 0.7, 1, 2, new SplittableRandom(5));
        GrayImage c = Blur.glass(digit, 0.7, 1, 2, new SplittableRandom(6));

        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        assertThat(difference(a, Blur.gaussian(Blur.gaussian(digit, 0.7), 0.7))).isGreaterThan(0.005);
        // a shuffle only moves pixels
        GrayImage shuffled = Blur.localShuffle(digit, 2, 3, new SplittableRandom(1));
        float[] before = digit.pixels().clone();
        float[] after = shuffled.pixels().clone();
        java.util.Arrays.sort(before);
        java.util.Arrays.sort(after);
        assertThat(after).containsExactly(before);
        assertThat(shuffled).isNotEqualTo(digit);
    }

    @Test
    void shotNoiseKeepsTheMeanAndAddsVariance() {
        GrayImage grey = new GrayImage(100, 100, filled(10_000, 0.5f));

        GrayImage noisy = Noise.shot(grey, 3, new SplittableRandom(1));

        // clipping at 1 takes a little off the mean of 0.5
        assertThat(noisy.ink() / 10_000).isBetween(0.44, 0.5);
        // Poisson(1.5) / 3 has variance 1.5 / 9 before clipping at 1
        double variance = 0;
        for (float p : noisy.pixels()) {
            variance += (p - 0.5) * (p - 0.5);
        }
        assertThat(variance / 10_000).isBetween(0.08, 0.2);
        assertThat(Noise.shot(grey, 3, new SplittableRandom(1))).isEqualTo(noisy);
    }

    @Test
    void poissonDrawsHaveTheirMean() {
        SplittableRandom random = new SplittableRandom(3);
        for (double mean : new double[] {0.2, 3, 20, 200}) {
            double sum = 0;
            for (int i = 0; i < 20_000; i++) {
                sum += Noise.poisson(mean, random);
            }
            assertThat(sum / 20_000).as("mean %s", mean).isCloseTo(mean, within(0.03 * mean + 0.01));
        }
    }

    @Test
    void impulseNoiseSetsTheGivenShareOfPixelsToZeroOrOne() {
        GrayImage grey = new GrayImage(100, 100, filled(10_000, 0.5f));

        GrayImage noisy = Noise.impulse(grey, 0.17, new SplittableRandom(2));

        int salt = 0;
        int pepper = 0;
        for (float p : noisy.pixels()) {
            salt += p == 1f ? 1 : 0;
            pepper += p == 0f ? 1 : 0;
        }
        assertThat(salt + pepper).isBetween(1_550, 1_850);
        assertThat(salt).isBetween(700, 1_000);
        assertThatThrownBy(() -> Noise.impulse(grey, 1.5, new SplittableRandom(2)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void specksAddInkWithoutLighteningAny() {
        GrayImage digit = mnist(3);

        GrayImage speckled = Noise.specks(digit, 10, 1, 2, 0.4, 0.6, new SplittableRandom(4));

        assertThat(speckled.ink()).isGreaterThan(digit.ink());
        for (int i = 0; i < 784; i++) {
            assertThat(speckled.pixels()[i]).isGreaterThanOrEqualTo(digit.pixels()[i]);
        }
    }

    @Test
    void affineWarpsMoveTheDigitAsNamed() {
        GrayImage digit = mnist(4);
        double[] centre = centreOfMass(digit);

        double[] moved = centreOfMass(Warp.translate(digit, 3, -2));
        assertThat(moved[0]).isCloseTo(centre[0] + 3, within(0.05));
        assertThat(moved[1]).isCloseTo(centre[1] - 2, within(0.05));

        assertThat(Warp.rotate(digit, 0)).isEqualTo(digit);
        assertThat(Warp.scale(digit, 0.7).ink()).isCloseTo(digit.ink() * 0.49, within(digit.ink() * 0.1));
        // a quarter turn four times is where it started, up to bilinear blur
        GrayImage turned = digit;
        for (int i = 0; i < 4; i++) {
            turned = Warp.rotate(turned, Math.PI / 2);
        }
        assertThat(difference(turned, digit)).isLessThan(1e-4);
        // a quarter turn clockwise as displayed: the top row becomes the right column
        GrayImage top = GrayImage.blank(28, 28);
        top.pixels()[2 * 28 + 14] = 1f;
        assertThat(Warp.rotate(top, Math.PI / 2).get(25, 14)).isCloseTo(1f, within(1e-5f));
        // shear keeps the middle row in place and slides the others sideways
        GrayImage sheared = Warp.shear(digit, 0.4);
        assertThat(difference(sheared, digit)).isGreaterThan(0.02);
    }

    @Test
    void elasticDistortionIsFixedByTheSeedAndBendsTheDigit() {
        GrayImage digit = mnist(5);

        GrayImage a = Warp.elastic(digit, 34, 4, new SplittableRandom(9));

        assertThat(Warp.elastic(digit, 34, 4, new SplittableRandom(9))).isEqualTo(a);
        assertThat(difference(a, digit)).isGreaterThan(0.01);
        assertThat(Warp.elastic(digit, 0, 4, new SplittableRandom(9))).isEqualTo(digit);
    }

    @Test
    void lowResolutionLosesDetailThatHigherResolutionKeeps() {
        GrayImage digit = mnist(6);

        double at8 = difference(Resampling.lowResolution(digit, 8), digit);
        double at16 = difference(Resampling.lowResolution(digit, 16), digit);

        assertThat(at8).isGreaterThan(at16 * 1.3);
        assertThat(at16).isGreaterThan(0.01);
        // a one-pixel checkerboard averages to flat grey
        float[] board = new float[64];
        for (int i = 0; i < 64; i++) {
            board[i] = ((i / 8 + i % 8) % 2);
        }
        GrayImage flat = Resampling.shrink(new GrayImage(8, 8, board), 4, 4);
        for (float p : flat.pixels()) {
            assertThat(p).isEqualTo(0.5f);
        }
        for (float p : Resampling.enlarge(flat, 13, 7).pixels()) {
            assertThat(p).isCloseTo(0.5f, within(1e-6f));
        }
        assertThat(Resampling.area(digit, 0, 0, 28, 28, 28, 28)).isEqualTo(digit);
    }

    @Test
    void plasmaFractalIsNormalisedAndFixedByTheSeed() {
        GrayImage a = PlasmaFractal.generate(64, 1.4, new SplittableRandom(1));

        assertThat(a).isEqualTo(PlasmaFractal.generate(64, 1.4, new SplittableRandom(1)));
        float min = 1;
        float max = 0;
        for (float p : a.pixels()) {
            min = Math.min(min, p);
            max = Math.max(max, p);
        }
        assertThat(min).isZero();
        assertThat(max).isEqualTo(1f);
        // neighbours are alike: clouds, not white noise
        assertThat(difference(a, Warp.translate(a, 1, 0))).isLessThan(0.05);
    }

    @Test
    void cannyFindsTheOutlineOfASquare() {
        GrayImage square = GrayImage.blank(28, 28);
        for (int y = 8; y < 20; y++) {
            for (int x = 8; x < 20; x++) {
                square.pixels()[y * 28 + x] = 1f;
            }
        }

        GrayImage edges = CannyEdges.detect(square);

        assertThat(edges.pixels()).containsOnly(0f, 1f);
        assertThat(edges.get(14, 14)).isZero(); // inside
        assertThat(edges.get(2, 2)).isZero(); // outside
        int onBorder = 0;
        for (int i = 8; i < 20; i++) {
            onBorder += edges.get(i, 7) + edges.get(i, 8) > 0 ? 1 : 0;
        }
        assertThat(onBorder).isGreaterThanOrEqualTo(10);
        assertThat(edges.ink()).isBetween(30.0, 70.0);
    }

    @Test
    void marksAddInkAcrossTheDigit() {
        GrayImage digit = mnist(7);

        GrayImage dotted = StrokeMarks.dottedLine(digit, new SplittableRandom(1));
        GrayImage zigzag = StrokeMarks.zigzag(digit, new SplittableRandom(1));

        assertThat(dotted.ink()).isGreaterThan(digit.ink() + 10);
        assertThat(zigzag.ink()).isGreaterThan(digit.ink() + 10);
        // dashes: columns 0-1 carry no line
        for (int y = 0; y < 28; y++) {
            assertThat(dotted.get(0, y)).isEqualTo(digit.get(0, y));
        }
        assertThat(StrokeMarks.line(28, 28, 5, 3, 5, 20).ink()).isZero();
    }

    private static float[] filled(int n, float value) {
        float[] out = new float[n];
        java.util.Arrays.fill(out, value);
        return out;
    }
}
