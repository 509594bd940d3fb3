package io.digitstream.core.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistIdxReaderTest {

    @TempDir
    Path dir;

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    @Test
    void readsRawImagesAndLabels() throws IOException {
        byte[] imageFile = IdxFiles.images(3, 2, 4, 10);
        Path images = write("images", imageFile);
        Path labels = write("labels", IdxFiles.labels((byte) 7, (byte) 0, (byte) 9));

        MnistDataset data = MnistIdxReader.read(images, labels);

        assertThat(data.size()).isEqualTo(3);
        assertThat(data.rows()).isEqualTo(2);
        assertThat(data.cols()).isEqualTo(4);
        assertThat(data.images()).containsExactly(IdxFiles.pixelsOf(imageFile));
        assertThat(data.labels()).containsExactly(7, 0, 9);
    }

    @Test
    void recognisesGzipByContentNotByName() throws IOException {
        byte[] imageFile = IdxFiles.images(2, 3, 3, 99);
        Path gzipWithoutSuffix = write("images", IdxFiles.gzip(imageFile));
        Path rawWithGzSuffix = write("labels.gz", IdxFiles.labels((byte) 1, (byte) 2));

        MnistDataset data = MnistIdxReader.read(gzipWithoutSuffix, rawWithGzSuffix);

        assertThat(data.images()).containsExactly(IdxFiles.pixelsOf(imageFile));
        assertThat(data.labels()).containsExactly(1, 2);
    }

    @Test
    void readsTheSharedMnistSamples() {
        MnistDataset train = MnistSamples.train1000();
        MnistDataset test = MnistSamples.test500();

        assertThat(train.size()).isEqualTo(1000);
        assertThat(test.size()).isEqualTo(500);
        assertThat(train.rows()).isEqualTo(28);
        assertThat(train.cols()).isEqualTo(28);
        assertThat(train.labels()).startsWith(5, 0, 4, 1, 9, 2, 1, 3, 1, 4);
        assertThat(test.labels()).startsWith(7, 2, 1, 0, 4, 1, 4, 9, 5, 9);
    }

    @Test
    void rejectsALabelFileReadAsImages() throws IOException {
        Path labels = write("train-labels", IdxFiles.labels((byte) 1));

        assertThatThrownBy(() -> MnistIdxReader.readImages(labels))
                .isInstanceOf(MnistFormatException.class)
                .hasMessageContaining(labels.toString())
                .hasMessageContaining("magic number 0x00000801")
                .hasMessageContaining("it is an IDX label file");
    }

    @Test
    void rejectsAnUnknownMagicNumber() throws IOException {
        Path html = write("page", "<!DOCTYPE html><html>not found</html>".getBytes());

        assertThatThrownBy(() -> MnistIdxReader.readLabels(html))
                .isInstanceOf(MnistFormatException.class)
                .hasMessageContaining(html.toString())
                .hasMessageContaining("0x3c21444f is not that of an IDX label file");
    }

    @Test
    void rejectsNonPositiveDimensions() throws IOException {
        Path images = write("images", IdxFiles.images(0, 28, 28, new byte[0]));
        Path labels = write("labels", IdxFiles.labelsHeader(MnistIdxReader.LABELS_MAGIC, -5));

        assertThatThrownBy(() -> MnistIdxReader.readImages(images))
                .hasMessageContaining("header declares 0 images of 28x28; all three must be positive");
        assertThatThrownBy(() -> MnistIdxReader.readLabels(labels))
                .hasMessageContaining("header declares -5 labels");
    }

    @Test
    void rejectsOversizedHeadersBeforeAllocating() throws IOException {
        byte[] hugeCount = ByteBuffer.allocate(16).putInt(MnistIdxReader.IMAGES_MAGIC)
                .putInt(2_000_000_000).putInt(28).putInt(28).array();
        byte[] hugeSide = ByteBuffer.allocate(16).putInt(MnistIdxReader.IMAGES_MAGIC)
                .putInt(1).putInt(5000).putInt(28).array();
        Path raw = write("raw", hugeCount);
        Path gz = write("gz", IdxFiles.gzip(hugeCount));
        Path side = write("side", hugeSide);
        Path labels = write("labels", IdxFiles.labelsHeader(MnistIdxReader.LABELS_MAGIC, Integer.MAX_VALUE));

        assertThatThrownBy(() -> MnistIdxReader.readImages(raw))
                .hasMessageContaining("2000000000 images of 28x28 = 1568000000000 bytes, more than the limit");
        assertThatThrownBy(() -> MnistIdxReader.readImages(gz))
                .hasMessageContaining("more than the limit of 100000000");
        assertThatThrownBy(() -> MnistIdxReader.readImages(side))
                .hasMessageContaining("5000x28 images; each side must be at most 4096");
        assertThatThrownBy(() -> MnistIdxReader.readLabels(labels))
                .hasMessageContaining("2147483647 labels, more than the limit");
    }

    @Test
    void rejectsARawFileShorterThanItsHeaderDeclaresBeforeReadingIt() throws IOException {
        byte[] header = ByteBuffer.allocate(16).putInt(MnistIdxReader.IMAGES_MAGIC)
                .putInt(60_000).putInt(28).putInt(28).array();
        Path images = write("images", IdxFiles.append(header, new byte[100]));

        assertThatThrownBy(() -> MnistIdxReader.readImages(images))
                .isInstanceOf(MnistFormatException.class)
                .hasMessageContaining(images.toString())
                .hasMessageContaining("truncated: file has 116 bytes but its header declares 60000 images of 28x28,"
                        + " 47040016 bytes in all");
    }

    @Test
    void rejectsTruncatedGzipContent() throws IOException {
        byte[] full = IdxFiles.images(3, 4, 4, 1);
        Path shortContent = write("short", IdxFiles.gzip(IdxFiles.truncate(full, full.length - 5)));
        byte[] gzip = IdxFiles.gzip(full);
        Path cutStream = write("cut", IdxFiles.truncate(gzip, gzip.length - 12));
        Path noHeader = write("labels", IdxFiles.gzip(new byte[] {0, 0, 8}));

        assertThatThrownBy(() -> MnistIdxReader.readImages(shortContent))
                .hasMessageContaining("truncated: 48 bytes expected for the 3 images, only 43 present");
        assertThatThrownBy(() -> MnistIdxReader.readImages(cutStream))
                .isInstanceOf(MnistFormatException.class)
                .hasMessageContaining(cutStream.toString())
                .hasMessageContaining("truncated or corrupt gzip data");
        assertThatThrownBy(() -> MnistIdxReader.readLabels(noHeader))
                .hasMessageContaining("truncated: 4 bytes expected for the magic number, only 3 present");
    }

    @Test
    void rejectsTrailingBytes() throws IOException {
        byte[] padded = IdxFiles.append(IdxFiles.images(2, 2, 2, 0), (byte) 0);
        Path raw = write("raw", padded);
        Path gz = write("gz", IdxFiles.gzip(padded));

        assertThatThrownBy(() -> MnistIdxReader.readImages(raw))
                .hasMessageContaining("1 trailing bytes: file has 25 bytes but its header declares 2 images of 2x2");
        assertThatThrownBy(() -> MnistIdxReader.readImages(gz))
                .hasMessageContaining(gz.toString())
                .hasMessageContaining("trailing bytes after the 2 images its header declares");
    }

    @Test
    void rejectsLabelsThatAreNotDigits() throws IOException {
        Path labels = write("labels", IdxFiles.labels((byte) 3, (byte) 9, (byte) 10));

        assertThatThrownBy(() -> MnistIdxReader.readLabels(labels))
                .isInstanceOf(MnistFormatException.class)
                .hasMessageContaining(labels.toString())
                .hasMessageContaining("label 2 is 10; digits are 0..9");
    }

    @Test
    void rejectsImagesAndLabelsOfDifferentCounts() throws IOException {
        Path images = write("images", IdxFiles.images(3, 2, 2, 0));
        Path labels = write("labels", IdxFiles.labels((byte) 1, (byte) 2));

        assertThatThrownBy(() -> MnistIdxReader.read(images, labels))
                .isInstanceOf(MnistFormatException.class)
                .hasMessage(labels + ": holds 2 labels but " + images + " holds 3 images");
    }
}
