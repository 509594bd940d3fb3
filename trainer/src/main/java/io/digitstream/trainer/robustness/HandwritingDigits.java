package io.digitstream.trainer.robustness;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Digits written in handwriting-style fonts from Debian packages: the benchmark's foreign-handwriting set, never
 * training data (issue 11 keeps these packages' fonts for the benchmark and leaves the others to training). Each
 * digit is drawn in dark ink on paper at a random size, slant, small rotation and position, and saved as PNG, so it
 * goes through {@code DigitPreprocessor} like a user's scan.
 */
public final class HandwritingDigits {

    /**
     * The font files of fonts-bwht, fonts-dkg-handwriting, fonts-humor-sans, fonts-kristi, fonts-rufscript,
     * fonts-femkeklaver and fonts-breip where Debian installs them.
     */
    public static final List<Path> BENCHMARK_FONT_FILES = List.of(
            Path.of("/usr/share/fonts/opentype/bwht/BecauseWeBuild-Regular.otf"),
            Path.of("/usr/share/fonts/opentype/bwht/BecauseWeConnect-Regular.otf"),
            Path.of("/usr/share/fonts/opentype/bwht/BecauseWeCreate-Regular.otf"),
            Path.of("/usr/share/fonts/opentype/bwht/BecauseWeLearn-Regular.otf"),
            Path.of("/usr/share/fonts/opentype/bwht/BecauseWeMentor-Regular.otf"),
            Path.of("/usr/share/fonts/opentype/bwht/BecauseWeOrganize-Regular.otf"),
            Path.of("/usr/share/fonts/truetype/fifthhorseman/dkg.ttf"),
            Path.of("/usr/share/fonts/truetype/fifthhorseman/dkgBI.ttf"),
            Path.of("/usr/share/fonts/truetype/fifthhorseman/dkgBd.ttf"),
            Path.of("/usr/share/fonts/truetype/fifthhorseman/dkgIt.ttf"),
            Path.of("/usr/share/fonts/truetype/humor-sans/Humor-Sans.ttf"),
            Path.of("/usr/share/fonts/truetype/kristi/Kristi.ttf"),
            Path.of("/usr/share/fonts/truetype/rufscript/Rufscript010.ttf"),
            Path.of("/usr/share/fonts/truetype/femkeklaver/femkeklaver.ttf"),
            Path.of("/usr/share/fonts/truetype/breip/Breip.ttf"),
            Path.of("/usr/share/fonts/truetype/breip/breipfont.ttf"));

    /** The canvas: a digit cut from a form at about MNIST's scale times four. */
    static final int CANVAS = 112;
    static final double MIN_HEIGHT = 40;
    static final double MAX_HEIGHT = 80;
    static final double MAX_SLANT = 0.3;
    static final double MAX_ROTATION_DEGREES = 8;

    /** One font: its file and the name reports use. */
    public record HandwritingFont(Path file, String name, Font font) {
    }

    private HandwritingDigits() {
    }

    /**
     * The fonts among {@code files} that exist and load; the others are left out (a machine may lack them). A font
     * whose name an earlier one has is named with its file too.
     */
    public static List<HandwritingFont> load(List<Path> files) {
        List<HandwritingFont> fonts = new ArrayList<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            try {
                Font font = Font.createFont(Font.TRUETYPE_FONT, file.toFile());
                String fontName = font.getFontName();
                boolean taken = fonts.stream().anyMatch(f -> f.name().equals(fontName));
                fonts.add(new HandwritingFont(file, taken ? fontName + " (" + file.getFileName() + ")" : fontName, font));
            } catch (FontFormatException | IOException e) {
                // an unreadable font file is one font less, not a failed benchmark
            }
        }
        return fonts;
    }

    /** Whether {@code font} has a glyph for {@code digit}. */
    public static boolean hasGlyph(HandwritingFont font, int digit) {
        return font.font().canDisplay((char) ('0' + digit));
    }

    /**
     * Draws {@code digit} with {@code font} at a random height of 40-80 pixels (the glyph's ink, not the font size),
     * slant of up to 0.3, rotation of up to 8 degrees and position, dark ink on paper, as a 112x112 PNG.
     */
    public static byte[] render(HandwritingFont font, int digit, RandomGenerator random) {
        BufferedImage image = new BufferedImage(CANVAS, CANVAS, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setColor(new Color(ScanImages.PAPER, ScanImages.PAPER, ScanImages.PAPER));
            g.fillRect(0, 0, CANVAS, CANVAS);

            FontRenderContext context = new FontRenderContext(null, true, true);
            GlyphVector glyph = font.font().deriveFont(100f).createGlyphVector(context, String.valueOf((char) ('0' + digit)));
            Rectangle2D bounds = glyph.getVisualBounds();
            double height = random.nextDouble(MIN_HEIGHT, MAX_HEIGHT);
            double scale = bounds.getHeight() > 0 ? height / bounds.getHeight() : 1;
            AffineTransform shape = new AffineTransform();
            shape.rotate(Math.toRadians(random.nextDouble(-MAX_ROTATION_DEGREES, MAX_ROTATION_DEGREES)));
            shape.shear(random.nextDouble(-MAX_SLANT, MAX_SLANT), 0);
            shape.scale(scale, scale);
            shape.translate(-bounds.getCenterX(), -bounds.getCenterY());
            Shape outline = shape.createTransformedShape(glyph.getOutline());
            Rectangle2D placed = outline.getBounds2D();
            // anywhere on the canvas that keeps the whole glyph on it (centred when it does not fit)
            double dx = slack(random, CANVAS - placed.getWidth()) - placed.getX();
            double dy = slack(random, CANVAS - placed.getHeight()) - placed.getY();
            g.translate(dx, dy);
            g.setColor(new Color(ScanImages.INK, ScanImages.INK, ScanImages.INK));
            g.fill(outline);
        } finally {
            g.dispose();
        }
        return ScanImages.png(image);
    }

    private static double slack(RandomGenerator random, double room) {
        return room > 0 ? random.nextDouble(0, room) : room / 2;
    }
}
