package io.digitstream.trainer.robustness;

import java.util.random.RandomGenerator;

/**
 * Cloud-like noise by the diamond-square algorithm on a torus, normalised to 0..1: the fog of MNIST-C (after
 * ImageNet-C). At each level a point becomes the mean of its four neighbours plus uniform noise of amplitude
 * {@code wibble^2}; wibble starts at 100 and is divided by {@code decay} per level, so a larger decay gives smoother
 * clouds.
 */
public final class PlasmaFractal {

    private static final double START_WIBBLE = 100;

    private PlasmaFractal() {
    }

    /** A {@code size x size} map, {@code size} a power of two. */
    public static GrayImage generate(int size, double decay, RandomGenerator random) {
        if (size < 2 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size must be a power of two >= 2: " + size);
        }
        double[] map = new double[size * size];
        double wibble = START_WIBBLE;
        for (int step = size; step >= 2; step /= 2) {
            int half = step / 2;
            // squares: the centre of each square takes the mean of its corners
            for (int y = half; y < size; y += step) {
                for (int x = half; x < size; x += step) {
                    double sum = at(map, size, x - half, y - half) + at(map, size, x + half, y - half)
                            + at(map, size, x - half, y + half) + at(map, size, x + half, y + half);
                    map[y * size + x] = sum / 4 + wibble * random.nextDouble(-wibble, wibble);
                }
            }
            // diamonds: the edge midpoints take the mean of the two corners and the two centres beside them
            for (int y = 0; y < size; y += half) {
                for (int x = (y / half) % 2 == 0 ? half : 0; x < size; x += step) {
                    double sum = at(map, size, x - half, y) + at(map, size, x + half, y)
                            + at(map, size, x, y - half) + at(map, size, x, y + half);
                    map[y * size + x] = sum / 4 + wibble * random.nextDouble(-wibble, wibble);
                }
            }
            wibble /= decay;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : map) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float[] out = new float[map.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = max > min ? (float) ((map[i] - min) / (max - min)) : 0f;
        }
        return new GrayImage(size, size, out);
    }

    private static double at(double[] map, int size, int x, int y) {
        return map[Math.floorMod(y, size) * size + Math.floorMod(x, size)];
    }
}
