package io.digitstream.trainer.robustness;

import java.util.ArrayDeque;

/**
 * Canny's edge detector, as MNIST-C's {@code canny_edges} runs scikit-image's with its defaults (sigma 1, hysteresis
 * thresholds 0.1 and 0.2 of the unnormalised Sobel gradient): the result is 1 on edges, 0 elsewhere, so a stroke
 * becomes its outline.
 */
public final class CannyEdges {

    public static final double DEFAULT_SIGMA = 1.0;
    public static final double DEFAULT_LOW = 0.1;
    public static final double DEFAULT_HIGH = 0.2;

    private CannyEdges() {
    }

    public static GrayImage detect(GrayImage image) {
        return detect(image, DEFAULT_SIGMA, DEFAULT_LOW, DEFAULT_HIGH);
    }

    /**
     * Smooths with a Gaussian of {@code sigma}, takes the Sobel gradient, keeps only pixels whose gradient magnitude
     * is a maximum across the edge (direction quantised to 45 degrees), then keeps those above {@code high} and those
     * above {@code low} connected (8-neighbours) to them. The outermost pixels are never edges.
     */
    public static GrayImage detect(GrayImage image, double sigma, double low, double high) {
        int w = image.width();
        int h = image.height();
        GrayImage smooth = Blur.gaussian(image, sigma);
        float[] gx = new float[w * h];
        float[] gy = new float[w * h];
        float[] magnitude = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float sx = smooth.clamped(x + 1, y - 1) + 2 * smooth.clamped(x + 1, y) + smooth.clamped(x + 1, y + 1)
                        - smooth.clamped(x - 1, y - 1) - 2 * smooth.clamped(x - 1, y) - smooth.clamped(x - 1, y + 1);
                float sy = smooth.clamped(x - 1, y + 1) + 2 * smooth.clamped(x, y + 1) + smooth.clamped(x + 1, y + 1)
                        - smooth.clamped(x - 1, y - 1) - 2 * smooth.clamped(x, y - 1) - smooth.clamped(x + 1, y - 1);
                int i = y * w + x;
                gx[i] = sx;
                gy[i] = sy;
                magnitude[i] = (float) Math.hypot(sx, sy);
            }
        }
        byte[] state = new byte[w * h]; // 0 none, 1 weak, 2 strong
        ArrayDeque<Integer> strong = new ArrayDeque<>();
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int i = y * w + x;
                float m = magnitude[i];
                if (m < low) {
                    continue;
                }
                int[] step = neighbourAcross(gx[i], gy[i]);
                float ahead = magnitude[(y + step[1]) * w + x + step[0]];
                float behind = magnitude[(y - step[1]) * w + x - step[0]];
                if (m >= ahead && m >= behind) {
                    state[i] = (byte) (m >= high ? 2 : 1);
                    if (m >= high) {
                        strong.add(i);
                    }
                }
            }
        }
        float[] out = new float[w * h];
        while (!strong.isEmpty()) {
            int i = strong.poll();
            if (out[i] == 1f) {
                continue;
            }
            out[i] = 1f;
            int x = i % w;
            int y = i / w;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int nx = x + dx;
                    int ny = y + dy;
                    if (nx >= 0 && ny >= 0 && nx < w && ny < h && state[ny * w + nx] > 0 && out[ny * w + nx] == 0f) {
                        strong.add(ny * w + nx);
                    }
                }
            }
        }
        return new GrayImage(w, h, out);
    }

    /** The neighbour offset (dx, dy) closest to the gradient direction. */
    private static int[] neighbourAcross(float gx, float gy) {
        double angle = Math.toDegrees(Math.atan2(gy, gx));
        if (angle < 0) {
            angle += 180;
        }
        if (angle < 22.5 || angle >= 157.5) {
            return new int[] {1, 0};
        }
        if (angle < 67.5) {
            return new int[] {1, 1};
        }
        if (angle < 112.5) {
            return new int[] {0, 1};
        }
        return new int[] {-1, 1};
    }
}
