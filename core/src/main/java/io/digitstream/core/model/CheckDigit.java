package io.digitstream.core.model;

import io.digitstream.contract.DigitShape;
import java.util.Arrays;
import java.util.Base64;

/**
 * A labelled test image embedded in a model file so that a loader can verify the model before serving it.
 * {@code pixels} are the 784 unsigned MNIST bytes (0 = background), row-major.
 */
public record CheckDigit(int label, byte[] pixels) {

    public CheckDigit {
        if (label < 0 || label >= DigitShape.CLASSES) {
            throw new IllegalArgumentException("label must be 0..9: " + label);
        }
        if (pixels.length != DigitShape.PIXELS) {
            throw new IllegalArgumentException("a check digit has " + DigitShape.PIXELS + " pixels, got "
                    + pixels.length);
        }
        pixels = pixels.clone();
    }

    public static CheckDigit fromBase64(int label, String base64Pixels) {
        return new CheckDigit(label, Base64.getDecoder().decode(base64Pixels));
    }

    public String pixelsBase64() {
        return Base64.getEncoder().encodeToString(pixels);
    }

    @Override
    public byte[] pixels() {
        return pixels.clone();
    }

    /** The pixels as the model input expects them: x/255. */
    public float[] normalizedPixels() {
        float[] out = new float[pixels.length];
        for (int p = 0; p < pixels.length; p++) {
            out[p] = (pixels[p] & 0xFF) / 255f;
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckDigit c && c.label == label && Arrays.equals(c.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return 31 * label + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "CheckDigit[label=" + label + "]";
    }
}
