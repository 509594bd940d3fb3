package io.digitstream.trainer.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.digitstream.core.image.DigitPreprocessor;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HandwritingDigitsTest {

    @Test
    void rendersEachDigitTheSameWayForTheSameSeed() throws Exception {
        List<HandwritingDigits.HandwritingFont> fonts = HandwritingDigits.load(HandwritingDigits.BENCHMARK_FONT_FILES);
        assumeTrue(!fonts.isEmpty(), "none of the benchmark's handwriting fonts is installed (Debian fonts-* packages)");
        HandwritingDigits.HandwritingFont font = fonts.get(0);
        DigitPreprocessor preprocessor = new DigitPreprocessor();

        for (int digit = 0; digit < 10; digit++) {
            byte[] png = HandwritingDigits.render(font, digit, new SplittableRandom(digit));
            assertThat(HandwritingDigits.render(font, digit, new SplittableRandom(digit))).isEqualTo(png);
            assertThat(HandwritingDigits.render(font, digit, new SplittableRandom(digit + 100))).isNotEqualTo(png);
            assertThat(preprocessor.preprocess(png)).hasSize(784);
        }
    }

    @Test
    void fontsThatAreNotThereAreLeftOut() {
        assertThat(HandwritingDigits.load(List.of(Path.of("/nonexistent/font.ttf")))).isEmpty();
    }

    @Test
    void fontsWithTheSameNameAreToldApartByTheirFile() {
        List<HandwritingDigits.HandwritingFont> fonts = HandwritingDigits.load(HandwritingDigits.BENCHMARK_FONT_FILES);
        assumeTrue(!fonts.isEmpty(), "none of the benchmark's handwriting fonts is installed");

        assertThat(fonts.stream().map(HandwritingDigits.HandwritingFont::name).distinct().count())
                .isEqualTo(fonts.size());
    }
}
