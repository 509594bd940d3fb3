package io.digitstream.trainer.robustness;

/** Changes of resolution: area-averaged shrinking, bilinear enlarging, and the two in a row (a low-resolution copy). */
public final class Resampling {

    private Resampling() {
    }

    /**
     * The source rectangle {@code [x0, x0 + w) x [y0, y0 + h)} (in pixel edges: pixel {@code i} covers
     * {@code [i, i + 1)}) averaged onto {@code outWidth x outHeight} pixels, partial pixels weighted by overlap and
     * no ink outside the source. Shrinking this way does not alias, as a scanner's sensor does not.
     */
    public static GrayImage area(GrayImage image, double x0, double y0, double w, double h, int outWidth, int outHeight) {
        if (!(w > 0 && h > 0) || outWidth < 1 || outHeight < 1) {
            throw new IllegalArgumentException("empty rectangle or output: " + w + "x" + h + " to " + outWidth + "x"
                    + outHeight);
        }
        double sx = w / outWidth;
        double sy = h / outHeight;
        float[] out = new float[outWidth * outHeight];
        for (int j = 0; j < outHeight; j++) {
            double top = y0 + j * sy;
            double bottom = top + sy;
            for (int i = 0; i < outWidth; i++) {
                double left = x0 + i * sx;
                double right = left + sx;
                double sum = 0;
                for (int y = (int) Math.floor(top); y < bottom; y++) {
                    double wy = Math.min(bottom, y + 1) - Math.max(top, y);
                    for (int x = (int) Math.floor(left); x < right; x++) {
                        double wx = Math.min(right, x + 1) - Math.max(left, x);
                        sum += wx * wy * image.get(x, y);
                    }
                }
                out[j * outWidth + i] = (float) (sum / (sx * sy));
            }
        }
        return new GrayImage(outWidth, outHeight, out);
    }

    /** The whole image area-averaged to {@code outWidth x outHeight}. */
    public static GrayImage shrink(GrayImage image, int outWidth, int outHeight) {
        return area(image, 0, 0, image.width(), image.height(), outWidth, outHeight);
    }

    /**
     * Bilinear resize with pixel centres aligned (output pixel {@code i} samples source {@code (i + 0.5) * scale -
     * 0.5}) and edges repeating outward: how image viewers and scanner drivers enlarge.
     */
    public static GrayImage enlarge(GrayImage image, int outWidth, int outHeight) {
        double sx = (double) image.width() / outWidth;
        double sy = (double) image.height() / outHeight;
        float[] out = new float[outWidth * outHeight];
        for (int j = 0; j < outHeight; j++) {
            double y = Math.max(0, Math.min(image.height() - 1, (j + 0.5) * sy - 0.5));
            int y0 = (int) Math.floor(y);
            double fy = y - y0;
            for (int i = 0; i < outWidth; i++) {
                double x = Math.max(0, Math.min(image.width() - 1, (i + 0.5) * sx - 0.5));
                int x0 = (int) Math.floor(x);
                double fx = x - x0;
                double top = (1 - fx) * image.clamped(x0, y0) + fx * image.clamped(x0 + 1, y0);
                double bottom = (1 - fx) * image.clamped(x0, y0 + 1) + fx * image.clamped(x0 + 1, y0 + 1);
                out[j * outWidth + i] = (float) ((1 - fy) * top + fy * bottom);
            }
        }
        return new GrayImage(outWidth, outHeight, out);
    }

    /**
     * The image shrunk to {@code side x side} and enlarged back to its own size: the detail a low-resolution scan or
     * fax loses, at the size the model expects.
     */
    public static GrayImage lowResolution(GrayImage image, int side) {
        return enlarge(shrink(image, side, side), image.width(), image.height());
    }
}
