package io.digitstream.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.digitstream.core.mnist.MnistSamples;
import org.junit.jupiter.api.Test;

class RandomAffineAugmenterTest {

    private static final int PIXELS = 784;
    private final DigitArrays samples = DigitArrays.from(MnistSamples.train1000().head(20));

    @Test
    void identityParametersLeaveAnImageExactlyUnchanged() {
        float[] out = new float[PIXELS];

        RandomAffineAugmenter.warp(samples.pixels(), 3 * PIXELS, out, 0, 0, 1, 0, 0);

        assertThat(out).containsExactly(image(3));
    }

    @Test
    void shiftMovesTheCentreOfMassByTheShift() {
        float[] image = image(0);
        double[] before = centreOfMass(image);
        for (double[] shift : new double[][] {{3, -2}, {1.5, 0.25}}) {
            float[] out = new float[PIXELS];

            RandomAffineAugmenter.warp(image, 0, out, 0, 0, 1, shift[0], shift[1]);

            double[] after = centreOfMass(out);
            assertThat(after[0] - before[0]).isCloseTo(shift[0], within(1e-3));
            assertThat(after[1] - before[1]).isCloseTo(shift[1], within(1e-3));
        }
    }

    @Test
    void positiveRotationTurnsCounterClockwiseAsDisplayed() {
        float[] dot = new float[PIXELS];
        dot[13 * 28 + 20] = 1; // right of the centre (13.5, 13.5)
        float[] out = new float[PIXELS];

        RandomAffineAugmenter.warp(dot, 0, out, 0, 90, 1, 0, 0);

        assertThat(out[7 * 28 + 13]).isCloseTo(1f, within(1e-5f)); // now above the centre
        assertThat(sum(out)).isCloseTo(1.0, within(1e-4));
    }

    @Test
    void zoomScalesTheSpreadAroundTheCentre() {
        float[] image = image(5);
        float[] out = new float[PIXELS];

        RandomAffineAugmenter.warp(image, 0, out, 0, 0, 1.2, 0, 0);

        // a 1.2x larger digit covers 1.44x the area at about the same intensity
        assertThat(sum(out) / sum(image)).isCloseTo(1.44, within(0.05));
    }

    @Test
    void sameSeedAndEpochGiveTheSameImagesAndAnotherEpochOthers() {
        AffineAugmentation ranges = AffineAugmentation.STANDARD;
        float[] first = new RandomAffineAugmenter(ranges, 7).augment(samples.pixels(), samples.size(), 1);
        float[] again = new RandomAffineAugmenter(ranges, 7).augment(samples.pixels(), samples.size(), 1);
        float[] nextEpoch = new RandomAffineAugmenter(ranges, 7).augment(samples.pixels(), samples.size(), 2);

        assertThat(again).containsExactly(first);
        assertThat(nextEpoch).isNotEqualTo(first);
        assertThat(first).isNotEqualTo(samples.pixels());
        for (float v : first) {
            assertThat(v).isBetween(0f, 1f);
        }
    }

    @Test
    void noRangesMeansNoChange() {
        float[] out = new RandomAffineAugmenter(AffineAugmentation.NONE, 1).augment(samples.pixels(), samples.size(), 1);

        assertThat(out).containsExactly(samples.pixels());
    }

    @Test
    void refusesAnArrayThatDoesNotHoldCountImages() {
        RandomAffineAugmenter augmenter = new RandomAffineAugmenter(AffineAugmentation.STANDARD, 1);

        assertThatThrownBy(() -> augmenter.augment(new float[PIXELS], 2, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private float[] image(int index) {
        float[] out = new float[PIXELS];
        System.arraycopy(samples.pixels(), index * PIXELS, out, 0, PIXELS);
        return out;
    }

    private static double[] centreOfMass(float[] image) {
        double mass = 0;
        double x = 0;
        double y = 0;
        for (int p = 0; p < PIXELS; p++) {
            mass += image[p];
            x += image[p] * (p % 28);
            y += image[p] * (p / 28);
        }
        return new double[] {x / mass, y / mass};
    }

    private static double sum(float[] image) {
        double s = 0;
        for (float v : image) {
            s += v;
        }
        return s;
    }
}
