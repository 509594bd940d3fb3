package io.digitstream.core.image;

/**
 * Bounds on untrusted image input, both checked before any pixel is decoded.
 *
 * @param maxBytes  longest encoded input accepted
 * @param maxPixels largest width x height accepted, read from the image header
 */
public record ImageLimits(long maxBytes, long maxPixels) {

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
