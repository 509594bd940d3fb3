package io.digitstream.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.core.image.InkComponents.Component;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DigitInkBoxTest {

    /** Black on white, as the preprocessor sees a black-on-white grey image: grey g has ink (255 - g) / 255. */
    private static final float[] INK = new float[256];
    private static final float THRESHOLD = DigitPreprocessor.BOX_THRESHOLD;

    static {
        for (int g = 0; g < 256; g++) {
            INK[g] = (255 - g) / 255f;
        }
    }

    /** 100 pixels a side, ink 1000. */
    private final DigitInkBox box = new DigitInkBox(new Component(1000, 1000, 100, 100, 200, 200));

    @Test
    void aPieceWithATenthOfTheLargestOnesInkBelongsWhereverItLies() {
        assertThat(box.partOfDigit(new Component(100, 100, 700, 700, 710, 710))).isTrue();
        assertThat(box.partOfDigit(new Component(100, 99.9, 700, 700, 710, 710))).isFalse();
    }

    @Test
    void aSmallPieceBelongsWithinHalfTheLargestOnesSizeIfItCarriesEnoughInk() {
        assertThat(box.partOfDigit(new Component(3, 3, 250, 150, 252, 152))).as("0.3%% at 50 px").isTrue();
        assertThat(box.partOfDigit(new Component(3, 2.9, 250, 150, 252, 152))).as("0.29%% at 50 px").isFalse();
        assertThat(box.partOfDigit(new Component(3, 3, 251, 150, 253, 152))).as("0.3%% at 51 px").isFalse();
    }

    @Test
    void anyPieceWithinATenthOfTheLargestOnesSizeBelongs() {
        assertThat(box.partOfDigit(new Component(1, 0.31, 210, 150, 211, 151))).as("at 10 px").isTrue();
        assertThat(box.partOfDigit(new Component(1, 0.31, 211, 150, 212, 151))).as("at 11 px").isFalse();
    }

    @Test
    void specksAwayFromTheDigitAreLeftOut() {
        Canvas clean = new Canvas(400, 500);
        clean.fill(new Ellipse2D.Double(150, 200, 80, 100), 12);
        Canvas page = new Canvas(400, 500);
        page.fill(new Ellipse2D.Double(150, 200, 80, 100), 12);
        Random random = new Random(3);
        for (int i = 0; i < 40; i++) {
            double x = random.nextDouble(400);
            double y = random.nextDouble(500);
            if (x < 80 || x > 300 || y < 130 || y > 370) { // 64 px, more than half the digit's size, from its box
                page.dot(x, y, 0.6 + random.nextDouble(), 60 + random.nextInt(120));
            }
        }

        assertThat(page.allInk()).isNotEqualTo(clean.allInk());
        assertThat(page.digitBox()).isEqualTo(clean.allInk());
    }

    @Test
    void aPenStrokeWithATenthOfTheDigitsInkCountsWhereverItLies() {
        Canvas page = new Canvas(400, 500);
        page.fill(new Ellipse2D.Double(150, 200, 80, 100), 12);
        page.fill(new Line2D.Double(20, 450, 90, 450), 8);

        assertThat(page.digitBox()).isEqualTo(page.allInk());
    }

    @Test
    void aFourDrawnInTwoStrokesApartKeepsBoth() {
        Canvas canvas = new Canvas(300, 300);
        canvas.fill(polyline(150, 60, 150, 240), 12);
        canvas.fill(polyline(120, 70, 60, 180, 125, 180), 12);

        assertThat(canvas.digitBox()).isEqualTo(canvas.allInk());
    }

    @Test
    void aFiveWithItsBarLiftedOffAndAOneWithADetachedFootKeepThem() {
        Canvas five = new Canvas(300, 300);
        five.fill(polyline(110, 60, 190, 60), 10);
        Path2D body = polyline(105, 85, 100, 140);
        body.curveTo(160, 110, 200, 150, 190, 190);
        body.curveTo(180, 240, 120, 240, 95, 215);
        five.fill(body, 10);
        Canvas one = new Canvas(300, 300);
        one.fill(polyline(130, 80, 150, 60, 150, 220), 10);
        one.fill(polyline(125, 238, 175, 238), 6);

        assertThat(five.digitBox()).isEqualTo(five.allInk());
        assertThat(one.digitBox()).isEqualTo(one.allInk());
    }

    /** Thresholding breaks a faint stroke into specks; they are followed wherever the stroke runs. */
    @Test
    void aBrokenFaintStrokeIsFollowedPieceByPieceWhicheverWayItRuns() {
        Canvas straight = new Canvas(500, 500);
        straight.fill(new Ellipse2D.Double(200, 200, 80, 100), 12);
        // dots of 2x2 pixels, 0.1% of the digit's ink each, 4 pixels apart: beyond a tenth of the digit's size only
        // the chain from dot to dot keeps them
        for (int k = 1; k <= 25; k++) {
            straight.square(240, 194 - 6 * k);
            straight.square(240, 306 + 6 * k);
            straight.square(194 - 6 * k, 250);
            straight.square(286 + 6 * k, 250);
        }
        Canvas hook = new Canvas(500, 500);
        hook.fill(new Ellipse2D.Double(200, 200, 80, 100), 12);
        for (int k = 1; k <= 10; k++) {
            hook.square(260 + 3 * k, 306 + 6 * k); // down and to the right
            hook.square(296 + 3 * k, 372 - 6 * k); // then back up, against the order of the first pass
        }

        assertThat(straight.digitBox()).isEqualTo(straight.allInk());
        assertThat(hook.digitBox()).isEqualTo(hook.allInk());
    }

    private static Path2D polyline(double... xy) {
        Path2D path = new Path2D.Double();
        path.moveTo(xy[0], xy[1]);
        for (int i = 2; i < xy.length; i += 2) {
            path.lineTo(xy[i], xy[i + 1]);
        }
        return path;
    }

    /** A white grey-scale page drawn on in black, anti-aliased. */
    private static final class Canvas {

        private final BufferedImage image;
        private final Graphics2D g;

        Canvas(int width, int height) {
            image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            g = image.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        }

        void fill(Shape stroke, float width) {
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(stroke);
        }

        void dot(double x, double y, double radius, int grey) {
            g.setColor(new Color(grey, grey, grey));
            g.fill(new Ellipse2D.Double(x - radius, y - radius, 2 * radius, 2 * radius));
        }

        void square(int x, int y) {
            image.getRaster().setSample(x, y, 0, 0);
            image.getRaster().setSample(x + 1, y, 0, 0);
            image.getRaster().setSample(x, y + 1, 0, 0);
            image.getRaster().setSample(x + 1, y + 1, 0, 0);
        }

        byte[] gray() {
            int w = image.getWidth();
            byte[] gray = new byte[w * image.getHeight()];
            image.getRaster().getDataElements(0, 0, w, image.getHeight(), gray);
            return gray;
        }

        List<Integer> digitBox() {
            DigitInkBox box = DigitInkBox.find(gray(), image.getWidth(), image.getHeight(), INK, THRESHOLD);
            return List.of(box.x0(), box.y0(), box.x1(), box.y1());
        }

        /** The box of all clear ink: what the preprocessor fitted before it left specks out. */
        List<Integer> allInk() {
            int w = image.getWidth();
            int[] box = {w, image.getHeight(), 0, 0};
            byte[] gray = gray();
            for (int i = 0; i < gray.length; i++) {
                if (INK[gray[i] & 0xFF] > THRESHOLD) {
                    box[0] = Math.min(box[0], i % w);
                    box[1] = Math.min(box[1], i / w);
                    box[2] = Math.max(box[2], i % w + 1);
                    box[3] = Math.max(box[3], i / w + 1);
                }
            }
            return List.of(box[0], box[1], box[2], box[3]);
        }
    }
}
