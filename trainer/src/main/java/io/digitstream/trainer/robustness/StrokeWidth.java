package io.digitstream.trainer.robustness;

/**
 * Thicker and thinner strokes: grey-level dilation (the brightest ink within a disc) and erosion (the faintest).
 * A radius of {@code r} pixels widens or narrows a stroke by about {@code 2r}. Outside the image counts as no ink, so
 * erosion also eats strokes that touch the border.
 */
public final class StrokeWidth {

    private StrokeWidth() {
    }

    /** Each pixel becomes the largest value within {@code radius} pixels (a disc): strokes grow. */
    public static GrayImage dilate(GrayImage image, double radius) {
        return filter(image, radius, true);
    }

    /** Each pixel becomes the smallest value within {@code radius} pixels (a disc): strokes shrink. */
    public static GrayImage erode(GrayImage image, double radius) {
        return filter(image, radius, false);
    }

    private static GrayImage filter(GrayImage image, double radius, boolean max) {
        if (!(radius >= 0)) {
            throw new IllegalArgumentException("radius must be >= 0: " + radius);
        }
        int reach = (int) Math.floor(radius);
        // the disc as one horizontal run per row offset: x in [-half[dy], half[dy]]
        int[] half = new int[2 * reach + 1];
        for (int dy = -reach; dy <= reach; dy++) {
            half[dy + reach] = (int) Math.floor(Math.sqrt(radius * radius - dy * dy));
        }
        int w = image.width();
        int h = image.height();
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float best = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
                for (int dy = -reach; dy <= reach; dy++) {
                    int run = half[dy + reach];
                    for (int dx = -run; dx <= run; dx++) {
                        float v = image.get(x + dx, y + dy);
                        best = max ? Math.max(best, v) : Math.min(best, v);
                    }
                }
                out[y * w + x] = best;
            }
        }
        return new GrayImage(w, h, out);
    }
}
