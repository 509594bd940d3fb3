package io.digitstream.core.mnist;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Small slices of the real MNIST, shipped as gzip IDX test resources under {@code /mnist/} and shared with other
 * modules through core's test-jar: the first 1000 training and the first 500 test images with their labels, cut
 * unchanged from the original files. Each call returns a fresh copy, so callers may modify it.
 */
public final class MnistSamples {

    private MnistSamples() {
    }

    public static MnistDataset train1000() {
        return load("train-1000");
    }

    public static MnistDataset test500() {
        return load("t10k-500");
    }

    private static MnistDataset load(String prefix) {
        String images = "/mnist/" + prefix + "-images-idx3-ubyte.gz";
        String labels = "/mnist/" + prefix + "-labels-idx1-ubyte.gz";
        try {
            MnistIdxReader.Images img = MnistIdxReader.readImages(open(images), images);
            byte[] lab = MnistIdxReader.readLabels(open(labels), labels);
            return new MnistDataset(img.pixels(), lab, img.rows(), img.cols());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the MNIST test sample " + prefix, e);
        }
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = MnistSamples.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("test resource " + resource + " is missing");
        }
        return in;
    }
}
