package io.digitstream.core.mnist;

import java.util.Objects;

/**
 * MNIST-style images with their labels, held as the unsigned bytes the IDX files store.
 * Pixel {@code p} of image {@code i} is {@code images[i * pixelsPerImage() + p] & 0xFF}, 0 = background.
 */
public record MnistDataset(byte[] images, byte[] labels, int rows, int cols) {

    public MnistDataset {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("rows and cols must be positive: " + rows + "x" + cols);
        }
        if ((long) labels.length * rows * cols != images.length) {
            throw new IllegalArgumentException("images hold " + images.length + " bytes, expected "
                    + labels.length + " x " + rows + " x " + cols);
        }
    }

    public int size() {
        return labels.length;
    }

    public int pixelsPerImage() {
        return rows * cols;
    }

    public int label(int index) {
        return labels[index];
    }

    /** Image {@code index} scaled to 0..1 exactly as the trainer feeds it to the network. */
    public float[] normalizedImage(int index) {
        int n = pixelsPerImage();
        float[] out = new float[n];
        int offset = index * n;
        for (int p = 0; p < n; p++) {
            out[p] = (images[offset + p] & 0xFF) / 255f;
        }
        return out;
    }

    /** The images at {@code indices}, in that order: used for splits and subsets. */
    public MnistDataset select(int[] indices) {
        int n = pixelsPerImage();
        byte[] img = new byte[indices.length * n];
        byte[] lab = new byte[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(images, indices[i] * n, img, i * n, n);
            lab[i] = labels[indices[i]];
        }
        return new MnistDataset(img, lab, rows, cols);
    }

    /** The first {@code count} images (all of them when count exceeds the size). */
    public MnistDataset head(int count) {
        int c = Math.min(count, size());
        int[] idx = new int[c];
        for (int i = 0; i < c; i++) {
            idx[i] = i;
        }
        return select(idx);
    }
}
