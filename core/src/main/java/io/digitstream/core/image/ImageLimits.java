package io.digitstream.core.image;

/**
 * Bounds on untrusted image input, both checked before any pixel is decoded, as is {@link #MAX_SIDE}. Whatever they
 * allow, an image is decoded subsampled to at most {@link #MAX_DECODED_SIDE} pixels a side, so its decoded pixels never
 * take more than {@link #MAX_DECODED_BYTES}.
 *
 * @param maxBytes  longest encoded input accepted
 * @param maxPixels largest width x height accepted, read from the image header
 */
public record ImageLimits(long maxBytes, long maxPixels) {

    /**
     * Longest side of a decoded image: larger images are decoded keeping every n-th pixel of every n-th row (n the
     * smallest step that fits), so a stroke at least n pixels wide always keeps some pixels. At the default 4096 x
     * 4096 limit n is 4.
     */
    public static final int MAX_DECODED_SIDE = 1024;
    /**
     * Longest side accepted, whatever {@code maxPixels} allows: the readers hold a few rows of the source image at
     * full width, so a 16777216 x 1 image would cost them 128 MiB a row. At 16384 a row is at most 128 KiB.
     */
    public static final int MAX_SIDE = 16_384;
    /** Widest pixel the JDK's PNG, JPEG, GIF and BMP readers decode to: 16-bit RGBA. */
    public static final int MAX_DECODED_BYTES_PER_PIXEL = 8;
    /**
     * Upper bound of the memory one decode holds for its pixels: the decoded raster at
     * {@link #MAX_DECODED_BYTES_PER_PIXEL} plus the one-byte grey copy the preprocessing works on (9 MiB). The readers
     * add a few rows of the source image on top, at most {@link #MAX_SIDE} x 8 bytes each.
     */
    public static final long MAX_DECODED_BYTES =
            (long) MAX_DECODED_SIDE * MAX_DECODED_SIDE * (MAX_DECODED_BYTES_PER_PIXEL + 1);

    /** 8 MiB and 4096 x 4096: a phone photo fits, a decompression bomb does not. */
    public static final ImageLimits DEFAULT = new ImageLimits(8L * 1024 * 1024, 4096L * 4096);

    public ImageLimits {
        if (maxBytes <= 0 || maxPixels <= 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxBytes + " bytes, " + maxPixels + " pixels");
        }
        if (maxBytes > Integer.MAX_VALUE || maxPixels > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("limits must fit in a Java array: " + maxBytes + " bytes, "
                    + maxPixels + " pixels");
        }
    }
}
