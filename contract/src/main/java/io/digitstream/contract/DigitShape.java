package io.digitstream.contract;

/**
 * The shape every part agrees on: an image is 28x28 grayscale pixels, 784 in row-major order (MNIST's), and a model
 * tells ten classes apart, the digits 0-9. The preprocessor makes this shape, the trainer trains on it, the ONNX model
 * takes and returns it, and the raw input format is it.
 */
public final class DigitShape {

    /** Pixels on a side of an image. */
    public static final int SIDE = 28;
    /** Pixels of an image: one model input row, one raw input record. */
    public static final int PIXELS = SIDE * SIDE;
    /** The digits 0-9: model outputs, labels, rows and columns of a confusion matrix. */
    public static final int CLASSES = 10;

    private DigitShape() {
    }
}
