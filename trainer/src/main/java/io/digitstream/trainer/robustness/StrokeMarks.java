package io.digitstream.trainer.robustness;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** Pen marks drawn across a digit the way MNIST-C draws them: a dotted line and a zigzag. */
public final class StrokeMarks {

    /** Ink falls from 1 on the line to 0 at {@code BAND * (1 - 1/e)}, about 1.45 pixels away (MNIST-C's decay). */
    static final double BAND = 2.3;

    private StrokeMarks() {
    }

    /**
     * A line from column {@code c0}, row {@code r0} to column {@code c1}, row {@code r1}, with {@code c0 < c1}: ink
     * {@code 1 + ln(1 - d / 2.3)} at vertical distance {@code d} from the line, only in columns
     * {@code floor(c0)..ceil(c1) - 1}. Empty when {@code c0 == c1}.
     */
    public static GrayImage line(int width, int height, double c0, double r0, double c1, double r1) {
        float[] out = new float[width * height];
        if (c1 == c0) {
            return new GrayImage(width, height, out);
        }
        double slope = (r1 - r0) / (c1 - c0);
        int from = Math.max(0, (int) Math.floor(c0));
        int to = Math.min(width, (int) Math.ceil(c1));
        for (int x = from; x < to; x++) {
            double row = slope * (x - c0) + r0;
            for (int y = 0; y < height; y++) {
                double d = Math.min(Math.abs(y - row), BAND - 1e-10);
                out[y * width + x] = Noise.clip(Math.log(1 - d / BAND) + 1);
            }
        }
        return new GrayImage(width, height, out);
    }

    /** The image with {@code mark} added, clipped to 0..1. */
    public static GrayImage add(GrayImage image, GrayImage mark) {
        float[] out = new float[image.pixels().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Noise.clip(image.pixels()[i] + mark.pixels()[i]);
        }
        return new GrayImage(image.width(), image.height(), out);
    }

    /**
     * MNIST-C's dotted line: a line from the left edge to the right edge, each end at a random row, drawn in
     * two-pixel dashes (columns 2-3, 6-7, ...).
     */
    public static GrayImage dottedLine(GrayImage image, RandomGenerator random) {
        int w = image.width();
        int h = image.height();
        GrayImage line = line(w, h, 0, random.nextInt(h - 1), w - 1, random.nextInt(h - 1));
        float[] p = line.pixels();
        for (int x = 0; x < w; x++) {
            if ((x / 2) % 2 == 0) {
                for (int y = 0; y < h; y++) {
                    p[y * w + x] = 0;
                }
            }
        }
        return add(image, line);
    }

    /**
     * MNIST-C's zigzag: segments two pixels long and two pixels out, alternating sides, along a line from column 2
     * to column {@code width - 3} that starts at a random row and drifts by -5..4 rows.
     */
    public static GrayImage zigzag(GrayImage image, RandomGenerator random) {
        int w = image.width();
        int h = image.height();
        double length = 2;
        double amplitude = 2;
        double c0 = 2;
        double c1 = w - 3;
        double r0 = random.nextInt(h - 1);
        double r1 = r0 + random.nextInt(-5, 5);
        double theta = Math.atan((r1 - r0) / (c1 - c0));
        double d = (c1 - c0) / Math.cos(theta);
        // the zigzag's corners along the x axis, then rotated onto the line
        List<double[]> corners = new ArrayList<>();
        corners.add(new double[] {0, 0});
        double lastRow = 0;
        for (int i = 0; i <= (int) Math.floor((d - length) / (2 * length)); i++) {
            lastRow = (i % 2 == 0 ? 1 : -1) * amplitude;
            corners.add(new double[] {(2 * i + 1) * length, lastRow});
        }
        double lastFullPeriod = 2 * length * Math.floor(d / (2 * length));
        if (d != lastFullPeriod) {
            corners.add(new double[] {d, lastRow / (2 * (d - lastFullPeriod))});
        }
        double cos = Math.cos(theta);
        double sin = Math.sin(theta);
        GrayImage out = image.clipped();
        for (int i = 1; i < corners.size(); i++) {
            double[] a = corners.get(i - 1);
            double[] b = corners.get(i);
            out = add(out, line(w, h, cos * a[0] - sin * a[1] + c0, sin * a[0] + cos * a[1] + r0,
                    cos * b[0] - sin * b[1] + c0, sin * b[0] + cos * b[1] + r0));
        }
        return out;
    }
}
