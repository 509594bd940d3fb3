package io.digitstream.core.image;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;

/** The ten digits as pen strokes, roughly as people write them, to draw at any size and stroke width. */
public final class HandDrawnDigits {

    private HandDrawnDigits() {
    }

    /**
     * Black strokes {@code stroke} pixels wide on a white grey-scale canvas, the digit {@code size} pixels high
     * (0.8 of that wide) with its box's top left corner at {@code (x, y)}.
     */
    public static BufferedImage draw(int digit, int width, int height, double x, double y, double size,
                                     float stroke) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        draw(g, digit, x, y, size, stroke);
        g.dispose();
        return image;
    }

    /** Draws the digit in black with {@code g}, as {@link #draw(int, int, int, double, double, double, float)}. */
    public static void draw(Graphics2D g, int digit, double x, double y, double size, float stroke) {
        g.setColor(Color.BLACK);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setStroke(new BasicStroke(stroke, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        AffineTransform placed = new AffineTransform();
        placed.translate(x, y);
        placed.scale(size * 0.8, size);
        g.draw(placed.createTransformedShape(skeleton(digit)));
    }

    /** The digit's pen path in a unit box, x to the right and y down. */
    static Shape skeleton(int digit) {
        Path2D p = new Path2D.Double();
        switch (digit) {
            case 0 -> p.append(new Ellipse2D.Double(0.15, 0, 0.7, 1), false);
            case 1 -> {
                p.moveTo(0.35, 0.15);
                p.lineTo(0.55, 0);
                p.lineTo(0.55, 1);
            }
            case 2 -> {
                p.moveTo(0.1, 0.25);
                p.curveTo(0.15, -0.05, 0.9, -0.05, 0.85, 0.3);
                p.curveTo(0.8, 0.5, 0.3, 0.7, 0.1, 1);
                p.lineTo(0.9, 1);
            }
            case 3 -> {
                p.moveTo(0.1, 0.1);
                p.curveTo(0.5, -0.1, 1.0, 0.1, 0.8, 0.35);
                p.curveTo(0.7, 0.5, 0.4, 0.48, 0.4, 0.48);
                p.curveTo(1.0, 0.5, 1.0, 0.9, 0.6, 1.0);
                p.curveTo(0.4, 1.05, 0.2, 0.95, 0.1, 0.88);
            }
            case 4 -> {
                p.moveTo(0.65, 1);
                p.lineTo(0.65, 0);
                p.lineTo(0.05, 0.7);
                p.lineTo(0.95, 0.7);
            }
            case 5 -> {
                p.moveTo(0.85, 0);
                p.lineTo(0.2, 0);
                p.lineTo(0.15, 0.45);
                p.curveTo(0.5, 0.3, 0.95, 0.45, 0.9, 0.7);
                p.curveTo(0.85, 1.05, 0.3, 1.05, 0.1, 0.88);
            }
            case 6 -> {
                p.moveTo(0.75, 0.02);
                p.curveTo(0.3, 0.1, 0.1, 0.5, 0.15, 0.75);
                p.curveTo(0.2, 1.05, 0.85, 1.05, 0.85, 0.72);
                p.curveTo(0.85, 0.45, 0.3, 0.4, 0.17, 0.65);
            }
            case 7 -> {
                p.moveTo(0.1, 0);
                p.lineTo(0.9, 0);
                p.lineTo(0.4, 1);
            }
            case 8 -> {
                p.append(new Ellipse2D.Double(0.25, 0, 0.5, 0.45), false);
                p.append(new Ellipse2D.Double(0.18, 0.45, 0.64, 0.55), false);
            }
            case 9 -> {
                p.append(new Ellipse2D.Double(0.15, 0, 0.65, 0.45), false);
                p.moveTo(0.8, 0.22);
                p.lineTo(0.7, 1);
            }
            default -> throw new IllegalArgumentException("not a digit: " + digit);
        }
        return p;
    }
}
