package io.digitstream.trainer.ood;

import static io.digitstream.contract.DigitShape.PIXELS;
import static io.digitstream.contract.DigitShape.SIDE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.trainer.data.DigitArrays;
import io.digitstream.trainer.ood.SyntheticOutliers.Kind;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SyntheticOutliersTest {

    private static final DigitArrays DIGITS = DigitArrays.from(MnistSamples.train1000().head(300));
    private static final TrainingFonts FONTS = TrainingFonts.installed();

    @Test
    void theSameSeedDrawsTheSameImagesAndAnotherSeedOthers() {
        SyntheticOutliers outliers = new SyntheticOutliers(DIGITS, FONTS);

        float[] first = outliers.generate(200, 5);

        assertThat(Arrays.equals(new SyntheticOutliers(DIGITS, FONTS).generate(200, 5), first)).isTrue();
        float[] other = outliers.generate(200, 6);
        int same = 0;
        for (int i = 0; i < 200; i++) {
            same += Arrays.equals(first, i * PIXELS, (i + 1) * PIXELS, other, i * PIXELS, (i + 1) * PIXELS) ? 1 : 0;
        }
        assertThat(same).isZero();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyKindDrawsInkedFramesThatAreNotAThinUprightStroke(Kind kind) {
        SyntheticOutliers outliers = new SyntheticOutliers(DIGITS, FONTS);
        assumeFalse(kind == Kind.GLYPH && FONTS.isEmpty(), "no training fonts installed (fonts-dejavu-core and others)");

        float[] images = outliers.generate(kind, 100, 3);

        assertThat(images).hasSize(100 * PIXELS);
        for (int i = 0; i < 100; i++) {
            float[] image = Arrays.copyOfRange(images, i * PIXELS, (i + 1) * PIXELS);
            for (float v : image) {
                assertThat(v).isBetween(0f, 1f);
            }
            assertThat(inked(image)).as("%s #%d inked pixels", kind, i).isGreaterThanOrEqualTo(8);
            assertThat(SyntheticOutliers.isThinUpright(image)).as("%s #%d is a thin upright stroke", kind, i).isFalse();
        }
    }

    /** The kinds drawn like a user's image reach the model are centred by mass as MNIST centres its digits. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"SCRIBBLE", "SHAPES", "GLYPH", "DIGIT_PAIR", "DIGIT_PART"})
    void fittedKindsAreCentredLikeMnist(Kind kind) {
        assumeFalse(kind == Kind.GLYPH && FONTS.isEmpty(), "no training fonts installed");
        float[] images = new SyntheticOutliers(DIGITS, FONTS).generate(kind, 50, 8);

        for (int i = 0; i < 50; i++) {
            double mass = 0;
            double mx = 0;
            double my = 0;
            for (int p = 0; p < PIXELS; p++) {
                float v = images[i * PIXELS + p];
                mass += v;
                mx += v * (p % SIDE + 0.5);
                my += v * (p / SIDE + 0.5);
            }
            assertThat(mx / mass).as("%s #%d centre x", kind, i).isBetween(12.5, 16.5);
            assertThat(my / mass).as("%s #%d centre y", kind, i).isBetween(12.5, 16.5);
        }
    }

    @Test
    void aThinUprightStrokeOfADigitsHeightReadsAsAOneButNotWhenTallerOrWider() {
        assertThat(SyntheticOutliers.isThinUpright(bar(4, 20))).isTrue();
        assertThat(SyntheticOutliers.isThinUpright(bar(10, 20))).isFalse();
        assertThat(SyntheticOutliers.isThinUpright(bar(4, 26))).as("taller than any fitted digit").isFalse();
    }

    @Test
    void kindsWithoutTheirMaterialDropOutOfTheMix() {
        SyntheticOutliers bare = new SyntheticOutliers(new DigitArrays(new float[0], new int[0]), TrainingFonts.NONE);

        assertThat(bare.canDraw(Kind.GLYPH)).isFalse();
        assertThat(bare.canDraw(Kind.DIGIT_OVERLAY)).isFalse();
        assertThat(bare.canDraw(Kind.NOISE)).isTrue();
        assertThat(bare.generate(50, 1)).hasSize(50 * PIXELS);
        assertThatThrownBy(() -> bare.generate(Kind.DIGIT_PART, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyntheticOutliers(DIGITS, TrainingFonts.NONE, Map.of(Kind.GLYPH, 1.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no kind of outlier");
    }

    @Test
    void lettersThatReadAsDigitsAreNeverDrawn() {
        for (char c : SyntheticOutliers.CONFUSABLE_LETTERS.toCharArray()) {
            assertThat(SyntheticOutliers.GLYPHS).doesNotContain(String.valueOf(c));
        }
        assertThat(SyntheticOutliers.GLYPHS).contains("A", "x", "#").doesNotContainPattern("[0-9]");
    }

    @Test
    void glyphsComeOnlyFromTheTrainingFontFolders() {
        // the foreign-handwriting benchmark's font packages (fonts-bwht, -dkg-handwriting, -humor-sans, -kristi,
        // -rufscript, -femkeklaver, -breip) install into these folders
        for (String benchmark : new String[] {"bwht", "fifthhorseman", "humor-sans", "kristi", "rufscript",
                "femkeklaver", "breip"}) {
            assertThat(TrainingFonts.FOLDERS).noneMatch(folder -> folder.contains(benchmark));
        }
        assertThat(TrainingFonts.installed(java.nio.file.Path.of("/nonexistent")).isEmpty()).isTrue();
    }

    /** A white bar {@code width x height} in the middle of the frame. */
    private static float[] bar(int width, int height) {
        float[] image = new float[PIXELS];
        for (int y = (SIDE - height) / 2; y < (SIDE - height) / 2 + height; y++) {
            for (int x = (SIDE - width) / 2; x < (SIDE - width) / 2 + width; x++) {
                image[y * SIDE + x] = 1f;
            }
        }
        return image;
    }

    private static int inked(float[] image) {
        int inked = 0;
        for (float v : image) {
            inked += v > 0.3f ? 1 : 0;
        }
        return inked;
    }
}
