package io.digitstream.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFileSourceTest {

    @TempDir
    Path dir;

    @Test
    void walksFoldersInNameOrderWithIdsRelativeToTheFolder() throws IOException {
        write("3/b.png", 10);
        write("3/a.png", 10);
        write("1/c.jpg", 10);

        List<OutgoingImage> images = all(ImageFileSource.of(List.of(dir), LabelRule.FOLDER, 1000));

        assertThat(images).extracting(OutgoingImage::id).containsExactly("1/c.jpg", "3/a.png", "3/b.png");
        assertThat(images).extracting(OutgoingImage::label).containsExactly(1, 3, 3);
        assertThat(images).extracting(OutgoingImage::contentType)
                .containsExactly("image/jpeg", "image/png", "image/png");
    }

    @Test
    void nonImageFilesInFoldersAreLeftOutAndCounted() throws IOException {
        write("7/a.png", 10);
        write("README.md", 10);

        ImageFileSource source = ImageFileSource.of(List.of(dir), LabelRule.NONE, 1000);

        assertThat(source.size()).isEqualTo(1);
        assertThat(source.skippedFiles()).isEqualTo(1);
        assertThat(source.description()).contains("1 non-image file(s)");
    }

    @Test
    void tooLargeFileFailsAloneAndTheRestGoOn() throws IOException {
        write("a.png", 2000);
        write("b.png", 10);

        Iterator<OutgoingImage> it = ImageFileSource.of(List.of(dir), LabelRule.NONE, 1000).iterator();

        assertThatThrownBy(it::next).isInstanceOf(ImageReadException.class)
                .hasMessageContaining("a.png").hasMessageContaining("larger than 1000 bytes");
        assertThat(it.next().id()).isEqualTo("b.png");
        assertThat(it.hasNext()).isFalse();
    }

    @Test
    void missingPathIsAnError() {
        assertThatThrownBy(() -> ImageFileSource.of(List.of(dir.resolve("nope")), LabelRule.NONE, 1000))
                .isInstanceOf(IOException.class).hasMessageContaining("nope");
    }

    @Test
    void standardInputIsReadWithACeiling() {
        StdinImageSource ok = new StdinImageSource(new ByteArrayInputStream(new byte[784]), "x", 5, 1000);
        StdinImageSource big = new StdinImageSource(new ByteArrayInputStream(new byte[1001]), "y", null, 1000);

        assertThat(all(ok)).singleElement().satisfies(i -> {
            assertThat(i.value()).hasSize(784);
            assertThat(i.label()).isEqualTo(5);
        });
        assertThatThrownBy(() -> big.iterator().next()).isInstanceOf(ImageReadException.class)
                .hasMessageContaining("larger than 1000");
    }

    private void write(String name, int bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[bytes]);
    }

    private static List<OutgoingImage> all(ImageSource source) {
        List<OutgoingImage> images = new ArrayList<>();
        source.forEach(images::add);
        return images;
    }
}
