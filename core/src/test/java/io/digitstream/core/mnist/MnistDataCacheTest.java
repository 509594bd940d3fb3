package io.digitstream.core.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistDataCacheTest {

    @TempDir
    Path dir;

    @Test
    void defaultDirectoryIsUnderTheUserCacheUnlessTheEnvironmentMovesIt() {
        Path home = Path.of("/home/someone");

        assertThat(MnistDataCache.defaultDirectory(name -> null, home))
                .isEqualTo(Path.of("/home/someone/.cache/digit-stream/mnist"));
        assertThat(MnistDataCache.defaultDirectory(Map.of("DIGITS_DATA_DIR", "/data/mnist")::get, home))
                .isEqualTo(Path.of("/data/mnist"));
        assertThat(MnistDataCache.defaultDirectory(Map.of("DIGITS_DATA_DIR", " ")::get, home))
                .isEqualTo(Path.of("/home/someone/.cache/digit-stream/mnist"));
    }

    @Test
    void loadsASplitFromTheUncompressedFiles() throws IOException {
        byte[] images = IdxFiles.images(2, 28, 28, 3);
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), images);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxFiles.labels((byte) 4, (byte) 2));
        MnistDataCache cache = new MnistDataCache(dir);

        MnistDataset test = cache.load(MnistSplit.TEST);

        assertThat(test.labels()).containsExactly(4, 2);
        assertThat(test.images()).containsExactly(IdxFiles.pixelsOf(images));
        assertThat(cache.missingFiles()).containsExactly(MnistFile.TRAIN_IMAGES, MnistFile.TRAIN_LABELS);
        assertThat(cache.isComplete()).isFalse();
    }

    @Test
    void missingFilesFailWithTheCommandThatFetchesThem() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), IdxFiles.images(1, 28, 28, 0));
        MnistDataCache cache = new MnistDataCache(dir);

        assertThatThrownBy(() -> cache.load(MnistSplit.TRAIN))
                .isInstanceOf(MnistDataMissingException.class)
                .hasMessageContaining("train-labels-idx1-ubyte missing in " + dir)
                .hasMessageNotContaining("train-images-idx3-ubyte")
                .hasMessageContaining("Run ./digits fetch-data")
                .hasMessageContaining("DIGITS_DATA_DIR");
    }
}
