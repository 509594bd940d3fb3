package io.digitstream.producer;

import java.util.Iterator;

/**
 * Images to publish, read lazily. {@link Iterator#next()} may throw {@link ImageReadException} for one image that
 * cannot be read; the iteration goes on after it, so a publisher can report that image and continue.
 */
public interface ImageSource extends Iterable<OutgoingImage> {

    /** How many images one pass yields, or -1 when unknown (stdin). */
    long size();

    /** What the images are, for progress lines: "MNIST test set", "3 paths". */
    String description();
}
