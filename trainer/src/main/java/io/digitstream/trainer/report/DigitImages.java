package io.digitstream.trainer.report;

import io.digitstream.contract.ConfusionMatrix;
import io.digitstream.core.mnist.MnistDataset;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.Locale;

/** Pictures drawn by hand with Java 2D: the confusion matrix heatmap and grids of test digits. */
final class DigitImages {

    static final int CELL = 52;
    static final int MATRIX_LEFT = 96;
    static final int MATRIX_TOP = 96;
    static final int MATRIX_RIGHT = 24;
    static final int MATRIX_BOTTOM = 48;

    static final int COLUMNS = 10;
    static final int SCALE = 3;
    static final int TILE_PAD = 8;
    static final int CAPTION = 36;
    static final int GRID_TOP = 64;
    static final int GRID_MARGIN = 16;

    private static final Color INK = new Color(0x222222);
    private static final Color MUTED = new Color(0x666666);
    private static final Color RIGHT = new Color(0x1a7f37);
    private static final Color WRONG = new Color(0xcf222e);

    private DigitImages() {
    }

    static int matrixWidth(int classes) {
        return MATRIX_LEFT + classes * CELL + MATRIX_RIGHT;
    }

    static int matrixHeight(int classes) {
        return MATRIX_TOP + classes * CELL + MATRIX_BOTTOM;
    }

    /**
     * Counts in every cell; the diagonal shaded blue by recall, errors shaded red by their share of the row
     * (square-root scale against the worst error, so a handful of mistakes still shows).
     */
    static BufferedImage confusionMatrix(ConfusionMatrix matrix) {
        int n = matrix.classes();
        BufferedImage image = canvas(matrixWidth(n), matrixHeight(n));
        Graphics2D g = graphics(image);

        double worstError = 0;
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < n; p++) {
                if (a != p) {
                    worstError = Math.max(worstError, share(matrix, a, p));
                }
            }
        }
        Font countFont = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < n; p++) {
                int x = MATRIX_LEFT + p * CELL;
                int y = MATRIX_TOP + a * CELL;
                double share = share(matrix, a, p);
                Color fill;
                if (a == p) {
                    fill = blend(new Color(0xdeebf7), new Color(0x08519c), share);
                } else if (matrix.count(a, p) == 0) {
                    fill = Color.WHITE;
                } else {
                    fill = blend(new Color(0xfee0d2), new Color(0xcb181d), Math.sqrt(share / worstError));
                }
                g.setColor(fill);
                g.fillRect(x, y, CELL, CELL);
                long count = matrix.count(a, p);
                if (count > 0) {
                    g.setColor(luminance(fill) < 0.5 ? Color.WHITE : INK);
                    g.setFont(count > 9999 ? countFont.deriveFont(11f) : countFont);
                    centred(g, Long.toString(count), x + CELL / 2, y + CELL / 2);
                }
            }
        }
        g.setColor(new Color(0xbbbbbb));
        g.setStroke(new BasicStroke(1f));
        for (int i = 0; i <= n; i++) {
            g.drawLine(MATRIX_LEFT, MATRIX_TOP + i * CELL, MATRIX_LEFT + n * CELL, MATRIX_TOP + i * CELL);
            g.drawLine(MATRIX_LEFT + i * CELL, MATRIX_TOP, MATRIX_LEFT + i * CELL, MATRIX_TOP + n * CELL);
        }

        g.setColor(INK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        centred(g, String.format(Locale.ROOT, "Confusion matrix (%d test images, accuracy %.2f%%)",
                matrix.total(), 100 * matrix.accuracy()), image.getWidth() / 2, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        centred(g, "Predicted digit", MATRIX_LEFT + n * CELL / 2, 56);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        centred(g, "True digit", -(MATRIX_TOP + n * CELL / 2), 30);
        g.setTransform(saved);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        for (int i = 0; i < n; i++) {
            centred(g, Integer.toString(i), MATRIX_LEFT + i * CELL + CELL / 2, MATRIX_TOP - 14);
            centred(g, Integer.toString(i), MATRIX_LEFT - 18, MATRIX_TOP + i * CELL + CELL / 2);
        }
        g.setColor(MUTED);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        centred(g, "rows: true digit, columns: prediction; blue = correct, red = errors", image.getWidth() / 2,
                MATRIX_TOP + n * CELL + 26);
        g.dispose();
        return image;
    }

    static int gridWidth(MnistDataset data) {
        return 2 * GRID_MARGIN + COLUMNS * tileWidth(data);
    }

    static int gridHeight(MnistDataset data, int count) {
        int rows = Math.max(1, (count + COLUMNS - 1) / COLUMNS);
        return GRID_TOP + rows * tileHeight(data) + GRID_MARGIN;
    }

    /**
     * Test digits with a caption under each. {@code indices} picks the images; a wrong prediction is captioned
     * in red with the true label, a right one in green.
     */
    static BufferedImage grid(String title, MnistDataset data, int[] indices, int[] predicted, float[] confidence,
                              String emptyMessage) {
        BufferedImage image = canvas(gridWidth(data), gridHeight(data, indices.length));
        Graphics2D g = graphics(image);
        g.setColor(INK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString(title, GRID_MARGIN, 28);
        g.setColor(MUTED);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString("caption: predicted digit and its probability; red = wrong, with the true digit below",
                GRID_MARGIN, 50);
        if (indices.length == 0) {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
            g.drawString(emptyMessage, GRID_MARGIN, GRID_TOP + 40);
        }
        Font caption = new Font(Font.SANS_SERIF, Font.BOLD, 13);
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            int x = GRID_MARGIN + (k % COLUMNS) * tileWidth(data) + TILE_PAD / 2;
            int y = GRID_TOP + (k / COLUMNS) * tileHeight(data);
            g.drawImage(digit(data, i), x, y, data.cols() * SCALE, data.rows() * SCALE, null);
            g.setColor(new Color(0xd0d7de));
            g.drawRect(x, y, data.cols() * SCALE - 1, data.rows() * SCALE - 1);

            boolean right = predicted[i] == data.label(i);
            g.setColor(right ? RIGHT : WRONG);
            g.setFont(caption);
            int baseline = y + data.rows() * SCALE + 15;
            g.drawString(String.format(Locale.ROOT, "%d  %.1f%%", predicted[i], 100 * confidence[i]), x, baseline);
            if (!right) {
                g.drawString("true " + data.label(i), x, baseline + 15);
            }
        }
        g.dispose();
        return image;
    }

    private static int tileWidth(MnistDataset data) {
        return data.cols() * SCALE + TILE_PAD + 12;
    }

    private static int tileHeight(MnistDataset data) {
        return data.rows() * SCALE + CAPTION;
    }

    /** Dark ink on white paper, the way a person wrote it, not MNIST's white-on-black storage. */
    private static BufferedImage digit(MnistDataset data, int index) {
        BufferedImage digit = new BufferedImage(data.cols(), data.rows(), BufferedImage.TYPE_BYTE_GRAY);
        float[] pixels = data.normalizedImage(index);
        for (int y = 0; y < data.rows(); y++) {
            for (int x = 0; x < data.cols(); x++) {
                int ink = Math.round(255 * (1 - pixels[y * data.cols() + x]));
                digit.getRaster().setSample(x, y, 0, ink);
            }
        }
        return digit;
    }

    private static double share(ConfusionMatrix matrix, int actual, int predicted) {
        long row = matrix.actualTotal(actual);
        return row == 0 ? 0 : (double) matrix.count(actual, predicted) / row;
    }

    private static Color blend(Color from, Color to, double t) {
        double s = Math.max(0, Math.min(1, t));
        return new Color(
                (int) Math.round(from.getRed() + s * (to.getRed() - from.getRed())),
                (int) Math.round(from.getGreen() + s * (to.getGreen() - from.getGreen())),
                (int) Math.round(from.getBlue() + s * (to.getBlue() - from.getBlue())));
    }

    private static double luminance(Color c) {
        return (0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue()) / 255;
    }

    private static BufferedImage canvas(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    private static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        return g;
    }

    private static void centred(Graphics2D g, String text, int cx, int cy) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, cx - fm.stringWidth(text) / 2, cy + (fm.getAscent() - fm.getDescent()) / 2);
    }
}
