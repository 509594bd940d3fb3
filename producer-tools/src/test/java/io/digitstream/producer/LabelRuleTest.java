package io.digitstream.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LabelRuleTest {

    @Test
    void folderNamedByOneDigitIsTheLabel() {
        assertThat(LabelRule.FOLDER.labelOf(Path.of("scans", "7", "0001.png"))).isEqualTo(7);
        assertThat(LabelRule.FOLDER.labelOf(Path.of("scans", "17", "0001.png"))).isNull();
        assertThat(LabelRule.FOLDER.labelOf(Path.of("scans", "0001.png"))).isNull();
    }

    @Test
    void digitAtTheEndOfTheFileNameIsTheLabel() {
        assertThat(LabelRule.FILE_NAME.labelOf(Path.of("img_7.png"))).isEqualTo(7);
        assertThat(LabelRule.FILE_NAME.labelOf(Path.of("dir", "0001-3.jpg"))).isEqualTo(3);
        assertThat(LabelRule.FILE_NAME.labelOf(Path.of("img7.png"))).isNull();
        assertThat(LabelRule.FILE_NAME.labelOf(Path.of("img_17.png"))).isNull();
    }

    @Test
    void noRuleNoLabel() {
        assertThat(LabelRule.NONE.labelOf(Path.of("7", "img_7.png"))).isNull();
    }
}
