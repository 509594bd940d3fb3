package io.digitstream.cli;

import io.digitstream.core.mnist.MnistFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The MNIST samples shipped with core's tests (500 test images, 1,000 training images) laid out as a data cache
 * directory, so that commands run with {@code --data-dir} on them read real IDX files.
 */
final class MnistSampleCache {

    private MnistSampleCache() {
    }

    /** Writes the four files into {@code parent/mnist} and returns that directory. */
    static Path createIn(Path parent) throws IOException {
        Path dir = Files.createDirectories(parent.resolve("mnist"));
        copyGunzipped("/mnist/t10k-500-images-idx3-ubyte.gz", dir.resolve(MnistFile.TEST_IMAGES.fileName()));
        copyGunzipped("/mnist/t10k-500-labels-idx1-ubyte.gz", dir.resolve(MnistFile.TEST_LABELS.fileName()));
        copyGunzipped("/mnist/train-1000-images-idx3-ubyte.gz", dir.resolve(MnistFile.TRAIN_IMAGES.fileName()));
        copyGunzipped("/mnist/train-1000-labels-idx1-ubyte.gz", dir.resolve(MnistFile.TRAIN_LABELS.fileName()));
        return dir;
    }

    private static void copyGunzipped(String resource, Path target) throws IOException {
        try (InputStream in = MnistSampleCache.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("test resource " + resource + " is missing (core's test-jar)");
            }
            try (InputStream gunzipped = new GZIPInputStream(in)) {
                Files.copy(gunzipped, target);
            }
        }
    }
}
