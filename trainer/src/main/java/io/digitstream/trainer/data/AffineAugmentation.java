package io.digitstream.trainer.data;

/**
 * How far {@link RandomAffineAugmenter} may move an image: each image draws a rotation in
 * [-maxRotationDegrees, +maxRotationDegrees], a zoom factor in [1 - maxZoom, 1 + maxZoom] and a shift in
 * [-maxShiftPixels, +maxShiftPixels] along each axis, uniformly.
 */
public record AffineAugmentation(double maxRotationDegrees, double maxShiftPixels, double maxZoom) {

    public static final AffineAugmentation NONE = new AffineAugmentation(0, 0, 0);
    /** Moderate ranges that keep every digit readable (a 6 rotated by 10 degrees is still a 6). */
    public static final AffineAugmentation STANDARD = new AffineAugmentation(10, 2, 0.1);

    public AffineAugmentation {
        if (!(maxRotationDegrees >= 0 && maxRotationDegrees <= 45)) {
            throw new IllegalArgumentException("maxRotationDegrees must be in [0, 45]: " + maxRotationDegrees);
        }
        if (!(maxShiftPixels >= 0 && maxShiftPixels <= 8)) {
            throw new IllegalArgumentException("maxShiftPixels must be in [0, 8]: " + maxShiftPixels);
        }
        if (!(maxZoom >= 0 && maxZoom < 0.5)) {
            throw new IllegalArgumentException("maxZoom must be in [0, 0.5): " + maxZoom);
        }
    }

    public boolean isNone() {
        return maxRotationDegrees == 0 && maxShiftPixels == 0 && maxZoom == 0;
    }
}
