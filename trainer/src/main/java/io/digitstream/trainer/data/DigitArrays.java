package io.digitstream.trainer.data;

import static io.digitstream.contract.DigitShape.PIXELS;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.digitstream.core.mnist.MnistDataset;
import java.nio.FloatBuffer;

/**
 * Images scaled to 0..1 and their labels as flat arrays: the form augmentation works on and DJL batches are cut from.
 * {@code pixels} holds {@code labels.length * 784} floats, image after image.
 */
public record DigitArrays(float[] pixels, int[] labels) {

    public DigitArrays {
        if (pixels.length != labels.length * PIXELS) {
            throw new IllegalArgumentException(labels.length + " images need " + labels.length * PIXELS
                    + " floats, got " + pixels.length);
        }
    }

    public static DigitArrays from(MnistDataset data) {
        if (data.pixelsPerImage() != PIXELS) {
            throw new IllegalArgumentException("expected 28x28 images, got " + data.rows() + "x" + data.cols());
        }
        byte[] bytes = data.images();
        float[] pixels = new float[bytes.length];
        for (int p = 0; p < bytes.length; p++) {
            pixels[p] = (bytes[p] & 0xFF) / 255f;
        }
        int[] labels = new int[data.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = data.label(i);
        }
        return new DigitArrays(pixels, labels);
    }

    public int size() {
        return labels.length;
    }

    /** The same labels with other pixels, e.g. an augmented copy. */
    public DigitArrays withPixels(float[] newPixels) {
        return new DigitArrays(newPixels, labels);
    }

    /** The images at {@code indices} as a float32 {@code [n, 784]} array owned by {@code manager}. */
    public NDArray pixels(NDManager manager, int[] indices) {
        float[] batch = new float[indices.length * PIXELS];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * PIXELS, batch, i * PIXELS, PIXELS);
        }
        return manager.create(FloatBuffer.wrap(batch), new Shape(indices.length, PIXELS));
    }

    /** The labels at {@code indices} as a float32 {@code [n]} array, the form DJL's cross-entropy loss takes. */
    public NDArray labels(NDManager manager, int[] indices) {
        float[] batch = new float[indices.length];
        for (int i = 0; i < indices.length; i++) {
            batch[i] = labels[indices[i]];
        }
        return manager.create(batch);
    }
}
