package io.digitstream.trainer.robustness;

import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSamples;

/** Real MNIST test digits for the primitives' tests, and small synthetic pictures. */
final class TestDigits {

    private static final MnistDataset TEST = MnistSamples.test500();

    private TestDigits() {
    }

    static MnistDataset samples() {
        return TEST;
    }

    /** MNIST test image {@code index} (a fresh copy). */
    static GrayImage mnist(int index) {
        return GrayImage.of(TEST, index);
    }

    /** One pixel of full ink at (x, y) on an empty {@code side x side} image. */
    static GrayImage dot(int side, int x, int y) {
        GrayImage image = GrayImage.blank(side, side);
        image.pixels()[y * side + x] = 1f;
        return image;
    }

    /** Pixels that count as ink (above one half). */
    static int inkPixels(GrayImage image) {
        int n = 0;
        for (float p : image.pixels()) {
            if (p > 0.5f) {
                n++;
            }
        }
        return n;
    }

    /** The centre of mass of the ink, {x, y}. */
    static double[] centreOfMass(GrayImage image) {
        double mass = 0;
        double x = 0;
        double y = 0;
        for (int j = 0; j < image.height(); j++) {
            for (int i = 0; i < image.width(); i++) {
                float v = image.pixels()[j * image.width() + i];
                mass += v;
                x += v * i;
                y += v * j;
            }
        }
        return new double[] {x / mass, y / mass};
    }

    /** The mean absolute difference per pixel. */
    static double difference(GrayImage a, GrayImage b) {
        double sum = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            sum += Math.abs(a.pixels()[i] - b.pixels()[i]);
        }
        return sum / a.pixels().length;
    }
}
