package io.digitstream.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.digitstream.core.image.ImageRejectedException.Reason;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSamples;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class DigitPreprocessorTest {

    private final DigitPreprocessor preprocessor = new DigitPreprocessor();

    @Test
    void writingIntoABatchGivesTheSamePixelsInTheirPlaceAndLeavesTheRestAlone() throws Exception {
        byte[] raw = new byte[784];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (i * 7);
        }
        byte[] encoded = png(drawSeven(280, 280, Color.WHITE, Color.BLACK));
        float[] batch = new float[3 * 784];
        Arrays.fill(batch, -1f);

        preprocessor.preprocess(raw, batch, 784);
        preprocessor.preprocess(encoded, batch, 2 * 784);

        assertThat(Arrays.copyOfRange(batch, 0, 784)).containsOnly(-1f);
        assertThat(Arrays.copyOfRange(batch, 784, 2 * 784)).containsExactly(preprocessor.preprocess(raw));
        assertThat(Arrays.copyOfRange(batch, 2 * 784, 3 * 784)).containsExactly(preprocessor.preprocess(encoded));
    }

    @Test
    void darkInkOnLightPaperIsInvertedToMatchLightInkOnDark() throws Exception {
        BufferedImage paper = drawSeven(280, 280, Color.WHITE, Color.BLACK);
        BufferedImage screen = drawSeven(280, 280, Color.BLACK, Color.WHITE);

        float[] fromPaper = preprocessor.preprocess(png(paper));
        float[] fromScreen = preprocessor.preprocess(png(screen));

        assertThat(fromPaper).hasSize(784);
        assertMnistShaped(fromPaper);
        assertThat(meanAbsoluteDifference(fromPaper, fromScreen)).isLessThan(0.01);
    }

    @Test
    void anOffCentreStrokeIsFittedAndCentredByMass() throws Exception {
        BufferedImage image = blank(300, 300, Color.BLACK);
        Graphics2D g = pen(image, Color.WHITE, 12);
        g.drawLine(30, 20, 45, 110);
        g.drawLine(45, 110, 90, 110);
        g.dispose();

        float[] out = preprocessor.preprocess(png(image));

        assertMnistShaped(out);
        int[] box = inkBox(out);
        assertThat(Math.max(box[2] - box[0], box[3] - box[1]) + 1).isBetween(20, 22);
    }

    @Test
    void aLargePhotoSizedImageWorks() throws Exception {
        BufferedImage image = blank(2000, 1500, new Color(235, 235, 228));
        Graphics2D g = pen(image, new Color(30, 30, 40), 60);
        g.drawArc(700, 250, 500, 450, -90, 270);
        g.drawArc(650, 700, 600, 550, -180, 270);
        g.dispose();

        float[] out = preprocessor.preprocess(jpeg(image));

        assertMnistShaped(out);
    }

    @Test
    void aColourImageGivesTheSameDigitAsItsGreyVersion() throws Exception {
        Color yellowPaper = new Color(250, 235, 120);
        Color blueInk = new Color(20, 40, 160);
        BufferedImage colour = drawSeven(200, 240, yellowPaper, blueInk);
        BufferedImage grey = drawSeven(200, 240, Color.WHITE, Color.BLACK);

        float[] fromColour = preprocessor.preprocess(png(colour));
        float[] fromGrey = preprocessor.preprocess(png(grey));

        assertMnistShaped(fromColour);
        assertThat(meanAbsoluteDifference(fromColour, fromGrey)).isLessThan(0.02);
    }

    @Test
    void transparentBackgroundCountsAsWhitePaper() throws Exception {
        BufferedImage transparent = new BufferedImage(200, 240, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = pen(transparent, Color.BLACK, 16);
        drawSevenStrokes(g, 200, 240);
        g.dispose();

        float[] out = preprocessor.preprocess(png(transparent));

        assertMnistShaped(out);
        assertThat(meanAbsoluteDifference(out, preprocessor.preprocess(png(drawSeven(200, 240, Color.WHITE,
                Color.BLACK))))).isLessThan(0.02);
    }

    @Test
    void aTinyImageIsScaledUp() throws Exception {
        BufferedImage image = blank(5, 5, Color.WHITE);
        image.setRGB(2, 1, 0);
        image.setRGB(2, 2, 0);
        image.setRGB(2, 3, 0);

        float[] out = preprocessor.preprocess(png(image));

        assertMnistShaped(out);
        int[] box = inkBox(out);
        assertThat(box[3] - box[1] + 1).as("height").isBetween(20, 22);
        assertThat(box[2] - box[0] + 1).as("width").isLessThan(box[3] - box[1] + 1);
    }

    @Test
    void rawMnistPixelsPassThroughUnchanged() throws Exception {
        byte[] raw = new byte[784];
        new Random(7).nextBytes(raw);
        raw[0] = 'B';
        raw[1] = 'M';

        float[] out = preprocessor.preprocess(raw);

        for (int i = 0; i < raw.length; i++) {
            assertThat(out[i]).isEqualTo((raw[i] & 0xFF) / 255f);
        }
    }

    @Test
    void realMnistDigitsEncodedAsPngComeBackAlmostUnchanged() throws Exception {
        MnistDataset test = MnistSamples.test500();
        double total = 0;
        double worst = 0;
        int n = 200;
        for (int i = 0; i < n; i++) {
            float[] original = test.normalizedImage(i);
            BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setDataElements(0, 0, 28, 28, Arrays.copyOfRange(test.images(), i * 784, (i + 1) * 784));

            float[] out = preprocessor.preprocess(png(image));

            double mad = meanAbsoluteDifference(out, original);
            total += mad;
            worst = Math.max(worst, mad);
        }
        System.out.printf("MNIST round trip over %d test images: mean MAD %.4f, worst %.4f%n", n, total / n, worst);
        assertThat(total / n).isLessThan(0.02);
        assertThat(worst).isLessThan(0.1);
    }

    /**
     * The 500 test and 1,000 training images of the MNIST samples, as 28x28 PNGs, give the same inputs byte for byte as
     * before specks were left out of the ink box (CRC-32 of the outputs at commit 8ec0b84). In 16 of the training
     * images a detached piece or stray mark widens the box, in 7 of them one that only the rule for small pieces within
     * half the digit's size keeps.
     */
    @Test
    void mnistSampleDigitsGiveTheSameInputsAsBeforeSpecksWereLeftOut() throws Exception {
        CRC32 crc = new CRC32();
        for (MnistDataset samples : new MnistDataset[] {MnistSamples.test500(), MnistSamples.train1000()}) {
            for (int i = 0; i < samples.size(); i++) {
                BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
                image.getRaster().setDataElements(0, 0, 28, 28,
                        Arrays.copyOfRange(samples.images(), i * 784, (i + 1) * 784));
                ByteBuffer bytes = ByteBuffer.allocate(4 * 784);
                for (float v : preprocessor.preprocess(png(image))) {
                    bytes.putFloat(v);
                }
                crc.update(bytes.array());
            }
        }

        assertThat(Long.toHexString(crc.getValue())).isEqualTo("ff510933");
    }

    @Test
    void specksAwayFromADigitOnAPageLeaveItsInputUnchanged() throws Exception {
        Random random = new Random(5);
        for (int digit = 0; digit < 10; digit++) {
            int left = 70 + random.nextInt(240);
            int top = 70 + random.nextInt(380);
            BufferedImage clean = HandDrawnDigits.draw(digit, 420, 594, left, top, 112, 10);
            BufferedImage speckled = HandDrawnDigits.draw(digit, 420, 594, left, top, 112, 10);
            // more than half the digit's size from its box
            speckle(speckled, 25, new Rectangle(left - 70, top - 70, 90 + 140, 112 + 140), random);

            assertThat(preprocessor.preprocess(png(speckled))).as("digit %d", digit)
                    .containsExactly(preprocessor.preprocess(png(clean)));
        }
    }

    /**
     * Specks anywhere off the digit: those within half its size that carry enough ink, as MNIST's own stray marks do,
     * still widen its box, by a little. Before, any speck did: the digit shrank to a few pixels (mean difference 0.09).
     */
    @Test
    void specksAllOverAPageChangeADigitsInputLittle() throws Exception {
        Random random = new Random(6);
        double total = 0;
        int n = 40;
        for (int i = 0; i < n; i++) {
            int digit = i % 10;
            int left = 30 + random.nextInt(300);
            int top = 30 + random.nextInt(450);
            BufferedImage clean = HandDrawnDigits.draw(digit, 420, 594, left, top, 112, 10);
            BufferedImage speckled = HandDrawnDigits.draw(digit, 420, 594, left, top, 112, 10);
            speckle(speckled, 25, new Rectangle(left - 5, top - 5, 100, 122), random);

            float[] fromClean = preprocessor.preprocess(png(clean));
            float[] fromSpeckled = preprocessor.preprocess(png(speckled));
            assertThat(longestSide(inkBox(fromSpeckled))).as("digit %d's size in the frame", i)
                    .isGreaterThanOrEqualTo((int) (0.8 * longestSide(inkBox(fromClean))));
            total += meanAbsoluteDifference(fromSpeckled, fromClean);
        }
        System.out.printf("specks all over a page: mean absolute difference %.4f over %d digits%n", total / n, n);
        assertThat(total / n).isLessThan(0.01);
    }

    /** Joined by a hairline the strokes are one component; apart they must still make one box. */
    @Test
    void aDigitInSeparatedStrokesGivesNearlyTheInputOfItsStrokesJoinedByAHairline() throws Exception {
        BufferedImage four = blank(300, 300, Color.WHITE);
        Graphics2D g = pen(four, Color.BLACK, 12);
        g.drawLine(170, 60, 170, 240);
        g.drawPolyline(new int[] {120, 60, 135}, new int[] {70, 180, 180}, 3);
        g.dispose();
        BufferedImage five = blank(300, 300, Color.WHITE);
        g = pen(five, Color.BLACK, 10);
        g.drawLine(110, 50, 190, 50);
        g.drawPolyline(new int[] {105, 100, 150, 190, 180, 120, 95}, new int[] {85, 140, 125, 160, 215, 235, 210}, 7);
        g.dispose();

        assertThat(differenceFromJoined(four, 135, 180, 170, 180)).as("a 4 in two strokes 23 px apart")
                .isLessThan(0.01);
        assertThat(differenceFromJoined(five, 108, 50, 105, 85)).as("a 5 with its bar 25 px above").isLessThan(0.01);
    }

    /**
     * As before, a page with nothing but faint specks is blank. One with darker specks is not rejected for that: its
     * largest speck, with whatever lies near it, is fitted like a digit (before: the scatter of all of them), and it is
     * the model's not-a-digit score that can tell.
     */
    @Test
    void aPageOfOnlySpecksIsBlankWhenFaintAndOtherwiseFittedLikeADigit() throws Exception {
        Random random = new Random(8);
        BufferedImage faint = blank(420, 594, new Color(240, 240, 240));
        speckle(faint, 25, new Rectangle(), random, 215);
        BufferedImage dark = blank(420, 594, new Color(240, 240, 240));
        speckle(dark, 25, new Rectangle(), random, 60);

        assertRejected(() -> preprocessor.preprocess(png(faint)), Reason.BLANK, "no ink on the 420x594 image");
        float[] out = preprocessor.preprocess(png(dark));
        assertThat(out).hasSize(784);
        for (float v : out) {
            assertThat(v).isBetween(0f, 1f);
        }
    }

    @Test
    void rejectsEmptyInput() {
        assertRejected(() -> preprocessor.preprocess(new byte[0]), Reason.EMPTY, "input is empty");
        assertRejected(() -> preprocessor.preprocess((byte[]) null), Reason.EMPTY, "input is empty");
    }

    @Test
    void rejectsBytesThatAreNoImage() {
        assertRejected(() -> preprocessor.preprocess("{\"pixels\": [0, 0, 0]}".getBytes()), Reason.NOT_AN_IMAGE,
                "input is 21 bytes that are neither a PNG, JPEG, GIF or BMP image nor 784 raw 28x28 pixels");
    }

    @Test
    void rejectsAnImageThatCannotBeDecoded() throws Exception {
        byte[] good = png(drawSeven(100, 100, Color.WHITE, Color.BLACK));
        byte[] truncated = Arrays.copyOf(good, good.length / 2);
        byte[] garbage = Arrays.copyOf(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff}, 500);

        assertRejected(() -> preprocessor.preprocess(truncated), Reason.UNDECODABLE, "cannot decode the png image");
        assertRejected(() -> preprocessor.preprocess(garbage), Reason.UNDECODABLE, "cannot decode the jpeg image");
    }

    @Test
    void rejectsTooManyBytesBeforeLookingAtThem() throws Exception {
        DigitPreprocessor strict = new DigitPreprocessor(new ImageLimits(1000, 1_000_000));
        byte[] big = new byte[1001];

        assertRejected(() -> strict.preprocess(big), Reason.TOO_LARGE, "input is 1001 bytes, limit 1000");
    }

    @Test
    void rejectsAHeaderClaimingHugeDimensionsWithoutDecodingIt() {
        byte[] bomb = pngHeaderOnly(20_000, 20_000);

        assertRejected(() -> preprocessor.preprocess(bomb), Reason.TOO_LARGE,
                "image is 20000x20000 = 400000000 pixels, limit 16777216");
    }

    @Test
    void rejectsAnImageWithoutInk() throws Exception {
        BufferedImage paper = blank(120, 90, new Color(240, 240, 240));
        Graphics2D g = pen(paper, new Color(228, 228, 228), 3);
        g.drawLine(10, 10, 100, 80);
        g.dispose();

        assertRejected(() -> preprocessor.preprocess(jpeg(paper)), Reason.BLANK, "no ink on the 120x90 image");
        assertRejected(() -> preprocessor.preprocess(png(blank(28, 28, Color.BLACK))), Reason.BLANK, "no ink");
    }

    @Test
    void reasonCodesAreStable() {
        assertThat(Arrays.stream(Reason.values()).map(Reason::code))
                .containsExactly("empty", "not-an-image", "undecodable", "too-large", "blank");
    }

    private static void assertRejected(ThrowingCallable call, Reason reason, String message) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(ImageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(message);
    }

    /**
     * Bright ink on a black background, peak 1, centre of mass near (14, 14) as in MNIST. The border is dark, not
     * necessarily black: centring by mass may push a top-heavy digit such as a 7 against an edge, as in MNIST.
     */
    private static void assertMnistShaped(float[] out) {
        assertThat(out).hasSize(784);
        float max = 0;
        double mass = 0;
        double mx = 0;
        double my = 0;
        double border = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                float v = out[y * 28 + x];
                assertThat(v).isBetween(0f, 1f);
                if (x == 0 || y == 0 || x == 27 || y == 27) {
                    border += v;
                }
                max = Math.max(max, v);
                mass += v;
                mx += v * x;
                my += v * y;
            }
        }
        assertThat(max).isEqualTo(1f);
        assertThat(border / 108).as("mean of the border pixels").isLessThan(0.03);
        for (int corner : new int[] {0, 27, 27 * 28, 27 * 28 + 27}) {
            assertThat(out[corner]).as("corner pixel %d", corner).isZero();
        }
        assertThat(mx / mass).as("centre of mass x").isCloseTo(14, within(0.75));
        assertThat(my / mass).as("centre of mass y").isCloseTo(14, within(0.75));
    }

    /** minX, minY, maxX, maxY of pixels above 0.3. */
    private static int[] inkBox(float[] out) {
        int[] box = {28, 28, -1, -1};
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                if (out[y * 28 + x] > 0.3f) {
                    box[0] = Math.min(box[0], x);
                    box[1] = Math.min(box[1], y);
                    box[2] = Math.max(box[2], x);
                    box[3] = Math.max(box[3], y);
                }
            }
        }
        return box;
    }

    /** Mean absolute difference of the inputs for {@code apart} and for it with a grey hairline from x0,y0 to x1,y1. */
    private double differenceFromJoined(BufferedImage apart, int x0, int y0, int x1, int y1) throws Exception {
        BufferedImage joined = copy(apart);
        Graphics2D g = joined.createGraphics();
        g.setColor(new Color(160, 160, 160)); // ink 0.37: clear ink, so one component
        g.drawLine(x0, y0, x1, y1);
        g.dispose();
        return meanAbsoluteDifference(preprocessor.preprocess(png(apart)), preprocessor.preprocess(png(joined)));
    }

    private static int longestSide(int[] box) {
        return Math.max(box[2] - box[0], box[3] - box[1]) + 1;
    }

    private static double meanAbsoluteDifference(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }

    /**
     * {@code count} round specks of dust, radius 0.6-1.6 pixels, grey 0-150 (or {@code grey}), anywhere on the image
     * but inside {@code keepOut}.
     */
    private static void speckle(BufferedImage image, int count, Rectangle keepOut, Random random) {
        speckle(image, count, keepOut, random, -1);
    }

    private static void speckle(BufferedImage image, int count, Rectangle keepOut, Random random, int grey) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        for (int placed = 0; placed < count; ) {
            double x = random.nextDouble(image.getWidth());
            double y = random.nextDouble(image.getHeight());
            double r = 0.6 + random.nextDouble();
            int level = grey >= 0 ? grey : random.nextInt(151);
            if (!keepOut.contains(x, y)) {
                g.setColor(new Color(level, level, level));
                g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
                placed++;
            }
        }
        g.dispose();
    }

    private static BufferedImage copy(BufferedImage image) {
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), image.getType());
        Graphics2D g = copy.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return copy;
    }

    private static BufferedImage blank(int width, int height, Color background) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(background);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    private static Graphics2D pen(BufferedImage image, Color ink, float width) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(ink);
        g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        return g;
    }

    private static BufferedImage drawSeven(int width, int height, Color paper, Color ink) {
        BufferedImage image = blank(width, height, paper);
        Graphics2D g = pen(image, ink, 16);
        drawSevenStrokes(g, width, height);
        g.dispose();
        return image;
    }

    private static void drawSevenStrokes(Graphics2D g, int width, int height) {
        g.drawLine(width / 4, height / 4, width * 3 / 4, height / 4);
        g.drawLine(width * 3 / 4, height / 4, width * 2 / 5, height * 4 / 5);
    }

    private static byte[] png(BufferedImage image) {
        return encode(image, "png");
    }

    private static byte[] jpeg(BufferedImage image) {
        return encode(image, "jpeg");
    }

    private static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            assertThat(ImageIO.write(image, format, out)).isTrue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A PNG signature, an IHDR chunk with a valid CRC claiming the given size, and IEND: no pixel data at all. */
    private static byte[] pngHeaderOnly(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        ByteBuffer png = ByteBuffer.allocate(8 + 25 + 12);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(png, "IHDR", ihdr.array());
        chunk(png, "IEND", new byte[0]);
        return png.array();
    }

    private static void chunk(ByteBuffer png, String type, byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        crc.update(data);
        png.putInt(data.length).put(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(data)
                .putInt((int) crc.getValue());
    }
}
