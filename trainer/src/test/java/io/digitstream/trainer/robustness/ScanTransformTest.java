package io.digitstream.trainer.robustness;

import static io.digitstream.trainer.robustness.TestDigits.mnist;
import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.core.image.DigitPreprocessor;
import io.digitstream.core.image.ImageRejectedException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ScanTransformTest {

    private final DigitPreprocessor preprocessor = new DigitPreprocessor();

    @ParameterizedTest
    @EnumSource(ScanTransform.class)
    void encodesTheSameFileForTheSameSeedThatThePreprocessorReads(ScanTransform transform) throws Exception {
        GrayImage digit = mnist(0);

        byte[] file = transform.encode(digit, new SplittableRandom(11));

        assertThat(transform.encode(digit, new SplittableRandom(11))).isEqualTo(file);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(file));
        assertThat(decoded).as("a readable image").isNotNull();
        // dark ink on light paper, as a scan
        assertThat(decoded.getRaster().getSample(0, 0, 0)).isGreaterThan(200);
        float[] input = preprocessor.preprocess(file);
        assertThat(input).hasSize(784);
    }

    @Test
    void jpegAtQualityTwentyIsAJpegThatDecodes() throws Exception {
        byte[] file = ScanTransform.JPEG_Q20.encode(mnist(1), new SplittableRandom(1));

        assertThat(file).startsWith((byte) 0xFF, (byte) 0xD8, (byte) 0xFF);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(file));
        assertThat(image.getWidth()).isEqualTo(56);
        // quality 20 is smaller than quality 90 of the same picture
        BufferedImage paper = ScanImages.onPaper(Resampling.enlarge(mnist(1), 56, 56), 240, 20);
        assertThat(file.length).isLessThan(ScanImages.jpeg(paper, 0.9f).length);
    }

    @Test
    void thickAndThinStrokesChangeTheInkTheScanCarries() throws IOException {
        GrayImage digit = mnist(2);

        double plain = darkness(ScanTransform.DARK_INK.encode(digit, new SplittableRandom(1)));
        double thick = darkness(ScanTransform.THICK_STROKES.encode(digit, new SplittableRandom(1)));
        double thin = darkness(ScanTransform.THIN_STROKES.encode(digit, new SplittableRandom(1)));

        assertThat(thick).isGreaterThan(plain * 1.4);
        assertThat(thin).isLessThan(plain * 0.85).isPositive();
    }

    @Test
    void lowResolutionScansLoseDetail() throws ImageRejectedException {
        GrayImage digit = mnist(3);
        float[] clean = preprocessor.preprocess(ScanTransform.DARK_INK.encode(digit, new SplittableRandom(1)));

        double at8 = distance(clean, preprocessor.preprocess(ScanTransform.LOW_RES_8.encode(digit, new SplittableRandom(1))));
        double at16 = distance(clean, preprocessor.preprocess(ScanTransform.LOW_RES_16.encode(digit, new SplittableRandom(1))));

        assertThat(at8).isGreaterThan(at16);
        assertThat(at16).isPositive();
    }

    @Test
    void aPageIsLargeAndTheDigitIsOffCentre() throws IOException {
        BufferedImage page = ImageIO.read(new ByteArrayInputStream(
                ScanTransform.PAGE_MARGINS.encode(mnist(4), new SplittableRandom(1))));

        assertThat(page.getWidth()).isEqualTo(420);
        assertThat(page.getHeight()).isEqualTo(594);
        // the ink's centre is not the page's
        double mass = 0;
        double x = 0;
        double y = 0;
        for (int j = 0; j < page.getHeight(); j++) {
            for (int i = 0; i < page.getWidth(); i++) {
                int ink = Math.max(0, 200 - page.getRaster().getSample(i, j, 0));
                mass += ink;
                x += ink * i;
                y += ink * j;
            }
        }
        assertThat(Math.hypot(x / mass - 210, y / mass - 297)).isGreaterThan(20);
    }

    private static double darkness(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        double sum = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                sum += 240 - image.getRaster().getSample(x, y, 0);
            }
        }
        return sum;
    }

    private static double distance(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum;
    }
}
