package io.digitstream.trainer.ood;

import static io.digitstream.contract.DigitShape.PIXELS;
import static io.digitstream.contract.DigitShape.SIDE;

import io.digitstream.core.image.DigitPreprocessor;
import io.digitstream.core.image.ImageRejectedException;
import io.digitstream.trainer.data.DigitArrays;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.geom.AffineTransform;
import java.awt.geom.Arc2D;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Images that are not digits, drawn as MNIST draws digits (white on black, 28x28, 0..1): the outliers that outlier
 * exposure trains the network to meet with a flat softmax, and the held-out set its not-a-digit threshold is chosen
 * on. The same seed draws the same images (on the same fonts).
 *
 * <p>Most kinds are drawn on a large canvas and passed through core's {@link DigitPreprocessor}, so they are fitted
 * into 20x20 and centred by mass exactly like a user's image on its way to the model; noise, large blobs, overlaid
 * digits and digits pushed off the frame are drawn into the 28x28 frame directly, as raw 784-pixel inputs arrive.
 * Nothing that reads as a digit should be drawn: every image whose ink is a thin upright stroke (a 1) is drawn again,
 * single shapes exclude lines and upright ellipses (a 1, a 0), and letters a hand turns into digits are left out
 * ({@link #CONFUSABLE_LETTERS}).
 */
public final class SyntheticOutliers {

    /** What an outlier is. */
    public enum Kind {
        /** Speckle, smooth random fields, Gaussian noise and gratings over the whole frame. */
        NOISE,
        /** One smooth random pen path with many turns. */
        SCRIBBLE,
        /** Two to four lines, arcs, ellipses, rectangles, triangles or crosses; or one closed or filled shape. */
        SHAPES,
        /** A filled irregular region, some fitted like a digit and some filling the frame, flat or textured. */
        BLOB,
        /**
         * An object filling most of the frame, as no fitted digit does: one to three filled rectangles, ellipses or
         * polygons in shades of grey, maybe with seams across and a texture.
         */
        LARGE_OBJECT,
        /** A letter, symbol or pair of them rendered from a training font ({@link TrainingFonts}). */
        GLYPH,
        /** Two training digits of different classes drawn over each other. */
        DIGIT_OVERLAY,
        /** Two training digits side by side, fitted together as one image. */
        DIGIT_PAIR,
        /** About half of a training digit, cut along a random line and fitted again. */
        DIGIT_PART,
        /** A training digit pushed so far off centre that a third or more of it leaves the frame. */
        DIGIT_OFF_CENTRE
    }

    /**
     * The kinds training draws, in these proportions, unless told otherwise; kinds without material (fonts, digits)
     * drop out. Overlaid, cut and off-centre digits are left out: with them, 4 epochs of the lite recipe reached
     * 98.94% test accuracy and rejected 26% of held-out outliers of all kinds at the threshold that rejects 0.5% of
     * validation digits; without them 99.07% and 32% (the network rejected only 1% to 6% of those three kinds
     * either way: they are too close to digits to be taught as non-digits).
     */
    public static final Map<Kind, Double> DEFAULT_MIX = Collections.unmodifiableMap(new EnumMap<>(Map.of(
            Kind.NOISE, 0.10, Kind.SCRIBBLE, 0.16, Kind.SHAPES, 0.16, Kind.BLOB, 0.09, Kind.LARGE_OBJECT, 0.10,
            Kind.GLYPH, 0.30, Kind.DIGIT_PAIR, 0.09)));

    /**
     * Letters a hand easily writes as a digit, never drawn: O o D (0), I l i j (1), S s (5), Z z (2), B (8), b (6),
     * g q (9). Measured with the shipped 1.1.0-lite model over 60 renderings each: each of these read as that digit
     * with p > 0.99 in 27% (b, Z) to 93% (O) of renderings. Q, J and G were suspects but read as a digit in at most
     * 13%, so they stay; H, T and W (57% to 70%, as 4, 7, 4) stay because a person does not read them as digits: the
     * model's confidence there is what outlier exposure is for.
     */
    public static final String CONFUSABLE_LETTERS = "OoDIlijSsZzBbgq";
    static final String SYMBOLS = "#$%&@*+=?<>~^\u00a7\u00b6\u20ac\u00a3";
    static final String GLYPHS = glyphs();

    /** The canvas the drawn kinds use before they are fitted to 28x28: four times the frame. */
    static final int CANVAS = 4 * SIDE;
    /** Ink narrower than this share of its height reads as a 1. */
    static final double MIN_ASPECT = 0.4;
    /** Fitted digits are 20 pixels high, a little more with their anti-aliased edges. */
    static final int MAX_FITTED_HEIGHT = 22;
    private static final int MAX_ATTEMPTS = 50;

    private final float[] digits;
    private final int[] labels;
    private final TrainingFonts fonts;
    private final Kind[] kinds;
    private final double[] cumulative;
    private final DigitPreprocessor preprocessor = new DigitPreprocessor();
    private final FontRenderContext fontContext = new FontRenderContext(null, true, true);

    /**
     * @param digits training digits the digit kinds are cut from (may be empty: those kinds drop out)
     * @param fonts  the fonts glyphs are rendered from (may be none: glyphs drop out)
     */
    public SyntheticOutliers(DigitArrays digits, TrainingFonts fonts) {
        this(digits, fonts, DEFAULT_MIX);
    }

    public SyntheticOutliers(DigitArrays digits, TrainingFonts fonts, Map<Kind, Double> mix) {
        this.digits = digits.pixels();
        this.labels = digits.labels();
        this.fonts = Objects.requireNonNull(fonts, "fonts");
        EnumMap<Kind, Double> usable = new EnumMap<>(Kind.class);
        mix.forEach((kind, weight) -> {
            if (weight < 0) {
                throw new IllegalArgumentException("negative weight for " + kind + ": " + weight);
            }
            if (weight > 0 && canDraw(kind)) {
                usable.put(kind, weight);
            }
        });
        if (usable.isEmpty()) {
            throw new IllegalArgumentException("no kind of outlier can be drawn from " + mix
                    + " with " + labels.length + " digits and " + fonts.families().size() + " font families");
        }
        kinds = usable.keySet().toArray(Kind[]::new);
        cumulative = new double[kinds.length];
        double total = usable.values().stream().mapToDouble(Double::doubleValue).sum();
        double sum = 0;
        for (int k = 0; k < kinds.length; k++) {
            sum += usable.get(kinds[k]) / total;
            cumulative[k] = sum;
        }
    }

    /** Whether this generator has what {@code kind} is drawn from. */
    public boolean canDraw(Kind kind) {
        return switch (kind) {
            case GLYPH -> !fonts.isEmpty();
            case DIGIT_OVERLAY, DIGIT_PAIR -> distinctLabels();
            case DIGIT_PART, DIGIT_OFF_CENTRE -> labels.length > 0;
            default -> true;
        };
    }

    /** {@code count} outliers of kinds drawn by the mix, image after image ({@code count * 784} floats). */
    public float[] generate(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[count * PIXELS];
        for (int i = 0; i < count; i++) {
            System.arraycopy(draw(pickKind(random), random), 0, out, i * PIXELS, PIXELS);
        }
        return out;
    }

    /** {@code count} outliers of one kind. */
    public float[] generate(Kind kind, int count, long seed) {
        if (!canDraw(kind)) {
            throw new IllegalArgumentException("this generator cannot draw " + kind);
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[count * PIXELS];
        for (int i = 0; i < count; i++) {
            System.arraycopy(draw(kind, random), 0, out, i * PIXELS, PIXELS);
        }
        return out;
    }

    private Kind pickKind(SplittableRandom random) {
        double u = random.nextDouble();
        for (int k = 0; k < kinds.length - 1; k++) {
            if (u < cumulative[k]) {
                return kinds[k];
            }
        }
        return kinds[kinds.length - 1];
    }

    /** Draws until an image has ink and does not read as a 1; gives up (a bug) after many attempts. */
    private float[] draw(Kind kind, SplittableRandom random) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            float[] image = drawOnce(kind, random);
            if (image != null && hasInk(image) && !isThinUpright(image)) {
                return image;
            }
        }
        throw new IllegalStateException("no usable " + kind + " outlier in " + MAX_ATTEMPTS + " attempts");
    }

    private float[] drawOnce(Kind kind, SplittableRandom random) {
        return switch (kind) {
            case NOISE -> noise(random);
            case SCRIBBLE -> fitted(scribble(random));
            case SHAPES -> fitted(shapes(random));
            case BLOB -> blob(random);
            case LARGE_OBJECT -> largeObject(random);
            case GLYPH -> fitted(glyph(random));
            case DIGIT_OVERLAY -> digitOverlay(random);
            case DIGIT_PAIR -> digitPair(random);
            case DIGIT_PART -> digitPart(random);
            case DIGIT_OFF_CENTRE -> digitOffCentre(random);
        };
    }

    // ---- noise and blobs, drawn into the frame ----

    private static float[] noise(SplittableRandom random) {
        float[] out = new float[PIXELS];
        float peak = (float) random.nextDouble(0.4, 1.0);
        switch (random.nextInt(4)) {
            case 0 -> { // speckle
                double density = random.nextDouble(0.03, 0.4);
                for (int p = 0; p < PIXELS; p++) {
                    out[p] = random.nextDouble() < density ? peak * (float) random.nextDouble(0.3, 1) : 0f;
                }
            }
            case 1 -> { // a smooth random field cut at a level: patches of all sizes
                float[] field = smoothField(random, 2 + random.nextInt(7));
                double level = random.nextDouble(0.3, 0.75);
                for (int p = 0; p < PIXELS; p++) {
                    out[p] = peak * (float) Math.max(0, (field[p] - level) / (1 - level));
                }
            }
            case 2 -> { // Gaussian noise over a grey level
                double mean = random.nextDouble(0, 0.5);
                double sigma = random.nextDouble(0.1, 0.4);
                for (int p = 0; p < PIXELS; p++) {
                    out[p] = clamp(peak * (float) (mean + sigma * random.nextGaussian()));
                }
            }
            default -> { // a grating: stripes of any angle and period
                double angle = random.nextDouble(Math.PI);
                double period = random.nextDouble(3, 12);
                double phase = random.nextDouble(2 * Math.PI);
                double cos = Math.cos(angle);
                double sin = Math.sin(angle);
                for (int y = 0; y < SIDE; y++) {
                    for (int x = 0; x < SIDE; x++) {
                        double v = Math.sin(2 * Math.PI * (x * cos + y * sin) / period + phase);
                        out[y * SIDE + x] = peak * (float) Math.max(0, v);
                    }
                }
            }
        }
        return out;
    }

    /** Values 0..1 on a {@code grid x grid} lattice of random values, bilinearly interpolated over the frame. */
    private static float[] smoothField(SplittableRandom random, int grid) {
        double[] lattice = new double[(grid + 1) * (grid + 1)];
        for (int i = 0; i < lattice.length; i++) {
            lattice[i] = random.nextDouble();
        }
        float[] out = new float[PIXELS];
        double cell = (double) SIDE / grid;
        for (int y = 0; y < SIDE; y++) {
            double gy = y / cell;
            int y0 = (int) gy;
            double fy = gy - y0;
            for (int x = 0; x < SIDE; x++) {
                double gx = x / cell;
                int x0 = (int) gx;
                double fx = gx - x0;
                double top = (1 - fx) * lattice[y0 * (grid + 1) + x0] + fx * lattice[y0 * (grid + 1) + x0 + 1];
                double bottom = (1 - fx) * lattice[(y0 + 1) * (grid + 1) + x0] + fx * lattice[(y0 + 1) * (grid + 1) + x0 + 1];
                out[y * SIDE + x] = (float) ((1 - fy) * top + fy * bottom);
            }
        }
        return out;
    }

    private float[] blob(SplittableRandom random) {
        BufferedImage canvas = canvas();
        Graphics2D g = pen(canvas);
        int vertices = 6 + random.nextInt(9);
        double[] xs = new double[vertices];
        double[] ys = new double[vertices];
        double stretch = random.nextDouble(0.6, 1.6);
        for (int v = 0; v < vertices; v++) {
            double angle = 2 * Math.PI * (v + random.nextDouble(-0.3, 0.3)) / vertices;
            double radius = random.nextDouble(0.35, 1.0);
            xs[v] = 0.5 + 0.45 * radius * Math.cos(angle) * stretch;
            ys[v] = 0.5 + 0.45 * radius * Math.sin(angle) / stretch;
        }
        Path2D path = new Path2D.Double();
        path.moveTo(CANVAS * (xs[0] + xs[1]) / 2, CANVAS * (ys[0] + ys[1]) / 2);
        for (int v = 1; v <= vertices; v++) {
            int here = v % vertices;
            int next = (v + 1) % vertices;
            path.quadTo(CANVAS * xs[here], CANVAS * ys[here],
                    CANVAS * (xs[here] + xs[next]) / 2, CANVAS * (ys[here] + ys[next]) / 2);
        }
        path.closePath();
        g.setColor(grey((float) random.nextDouble(0.5, 1.0)));
        g.fill(path);
        g.dispose();
        boolean fillsFrame = random.nextBoolean();
        float[] image = fillsFrame ? downsampled(canvas) : fitted(canvas);
        if (image != null && random.nextBoolean()) { // texture: the field modulates the ink
            float[] field = smoothField(random, 4 + random.nextInt(10));
            for (int p = 0; p < PIXELS; p++) {
                image[p] *= (float) (0.4 + 0.6 * field[p]);
            }
        }
        return image;
    }

    private static float[] largeObject(SplittableRandom random) {
        BufferedImage canvas = canvas();
        Graphics2D g = pen(canvas);
        int parts = 1 + random.nextInt(3);
        Area object = new Area();
        for (int i = 0; i < parts; i++) {
            // the first part spans most of the frame one way or the other; the others add to it
            double w = CANVAS * (i == 0 && random.nextBoolean() ? random.nextDouble(0.8, 1.0) : random.nextDouble(0.3, 1.0));
            double h = CANVAS * (i == 0 && w < 0.8 * CANVAS ? random.nextDouble(0.8, 1.0) : random.nextDouble(0.3, 1.0));
            double x = random.nextDouble(0, CANVAS - w + 1);
            double y = random.nextDouble(0, CANVAS - h + 1);
            Shape part = switch (random.nextInt(4)) {
                case 0 -> new Rectangle2D.Double(x, y, w, h);
                case 1 -> new Ellipse2D.Double(x, y, w, h);
                case 2 -> new RoundRectangle2D.Double(x, y, w, h, w / 3, h / 3);
                default -> { // corners around the box's centre, at jittered angles and radii
                    Path2D polygon = new Path2D.Double();
                    int corners = 4 + random.nextInt(5);
                    for (int c = 0; c < corners; c++) {
                        double angle = 2 * Math.PI * (c + random.nextDouble(-0.3, 0.3)) / corners;
                        double radius = random.nextDouble(0.6, 1.0);
                        double px = x + w / 2 * (1 + radius * Math.cos(angle));
                        double py = y + h / 2 * (1 + radius * Math.sin(angle));
                        if (c == 0) {
                            polygon.moveTo(px, py);
                        } else {
                            polygon.lineTo(px, py);
                        }
                    }
                    polygon.closePath();
                    yield polygon;
                }
            };
            g.setColor(grey((float) random.nextDouble(0.3, 1.0)));
            g.fill(part);
            object.add(new Area(part));
        }
        g.setClip(object); // seams run across the object, not the background
        int seams = random.nextInt(4);
        for (int i = 0; i < seams; i++) {
            g.setColor(grey((float) random.nextDouble(0, 1)));
            g.setStroke(new BasicStroke((float) random.nextDouble(2, 8)));
            g.draw(new Line2D.Double(random.nextDouble(CANVAS), random.nextDouble(CANVAS), random.nextDouble(CANVAS),
                    random.nextDouble(CANVAS)));
        }
        g.dispose();
        float[] image = downsampled(canvas);
        if (random.nextBoolean()) {
            float[] field = smoothField(random, 4 + random.nextInt(12));
            for (int p = 0; p < PIXELS; p++) {
                image[p] *= (float) (0.5 + 0.5 * field[p]);
            }
        }
        return image;
    }

    // ---- pen drawings, fitted like a digit ----

    private static BufferedImage scribble(SplittableRandom random) {
        BufferedImage canvas = canvas();
        Graphics2D g = pen(canvas);
        g.setStroke(stroke(random));
        int points = 6 + random.nextInt(6);
        double[] xs = new double[points];
        double[] ys = new double[points];
        xs[0] = random.nextDouble(0.2, 0.8);
        ys[0] = random.nextDouble(0.2, 0.8);
        double heading = random.nextDouble(2 * Math.PI);
        for (int i = 1; i < points; i++) {
            heading += random.nextDouble(-2.4, 2.4);
            double step = random.nextDouble(0.15, 0.45);
            xs[i] = Math.max(0.05, Math.min(0.95, xs[i - 1] + step * Math.cos(heading)));
            ys[i] = Math.max(0.05, Math.min(0.95, ys[i - 1] + step * Math.sin(heading)));
        }
        Path2D path = new Path2D.Double();
        path.moveTo(CANVAS * xs[0], CANVAS * ys[0]);
        for (int i = 1; i < points - 1; i++) {
            path.quadTo(CANVAS * xs[i], CANVAS * ys[i], CANVAS * (xs[i] + xs[i + 1]) / 2, CANVAS * (ys[i] + ys[i + 1]) / 2);
        }
        path.lineTo(CANVAS * xs[points - 1], CANVAS * ys[points - 1]);
        g.draw(path);
        g.dispose();
        return canvas;
    }

    private static BufferedImage shapes(SplittableRandom random) {
        BufferedImage canvas = canvas();
        Graphics2D g = pen(canvas);
        int count = random.nextInt(4) == 0 ? 1 : 2 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            g.setStroke(stroke(random));
            double cx = CANVAS * random.nextDouble(0.25, 0.75);
            double cy = CANVAS * random.nextDouble(0.25, 0.75);
            double w = CANVAS * random.nextDouble(0.15, 0.6);
            double h = CANVAS * random.nextDouble(0.15, 0.6);
            // alone, a line is a 1 and an upright ellipse a 0: a single shape is closed, filled, or a wide ellipse
            int pick = count == 1 ? 3 + random.nextInt(6) : random.nextInt(9);
            if (count == 1 && pick == 3 && w < 1.4 * h) {
                w = 1.4 * h + CANVAS * 0.05;
            }
            switch (pick) {
                case 0 -> {
                    double angle = random.nextDouble(Math.PI);
                    g.draw(new Line2D.Double(cx - w / 2 * Math.cos(angle), cy - w / 2 * Math.sin(angle),
                            cx + w / 2 * Math.cos(angle), cy + w / 2 * Math.sin(angle)));
                }
                case 1 -> g.draw(new Arc2D.Double(cx - w / 2, cy - h / 2, w, h, random.nextDouble(360),
                        random.nextDouble(60, 270), Arc2D.OPEN));
                case 2 -> { // a cross, upright or diagonal
                    double angle = random.nextBoolean() ? 0 : Math.PI / 4;
                    for (double a : new double[] {angle, angle + Math.PI / 2}) {
                        g.draw(new Line2D.Double(cx - w / 2 * Math.cos(a), cy - w / 2 * Math.sin(a),
                                cx + w / 2 * Math.cos(a), cy + w / 2 * Math.sin(a)));
                    }
                }
                case 3 -> g.draw(new Ellipse2D.Double(cx - w / 2, cy - h / 2, w, h));
                case 4 -> g.fill(new Ellipse2D.Double(cx - w / 2, cy - h / 2, w, h));
                case 5 -> g.draw(new Rectangle2D.Double(cx - w / 2, cy - h / 2, w, h));
                case 6 -> g.fill(new Rectangle2D.Double(cx - w / 2, cy - h / 2, w, h));
                default -> {
                    Path2D triangle = new Path2D.Double();
                    triangle.moveTo(cx + random.nextDouble(-w, w) / 2, cy - h / 2);
                    triangle.lineTo(cx - w / 2, cy + h / 2);
                    triangle.lineTo(cx + w / 2, cy + h / 2);
                    triangle.closePath();
                    if (pick == 7) {
                        g.draw(triangle);
                    } else {
                        g.fill(triangle);
                    }
                }
            }
        }
        g.dispose();
        return canvas;
    }

    /**
     * {@code count} renderings of {@code text} in random training fonts, sizes, slants and weights: how the glyphs
     * are drawn, for measuring which of them read as digits.
     */
    public float[] glyphs(String text, int count, long seed) {
        if (fonts.isEmpty()) {
            throw new IllegalStateException("no training fonts installed");
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[count * PIXELS];
        for (int i = 0; i < count; i++) {
            float[] image = null;
            for (int attempt = 0; image == null && attempt < MAX_ATTEMPTS; attempt++) {
                image = fitted(glyph(random, text));
                image = image != null && hasInk(image) && !isThinUpright(image) ? image : null;
            }
            if (image == null) {
                throw new IllegalArgumentException("no training font renders '" + text + "'");
            }
            System.arraycopy(image, 0, out, i * PIXELS, PIXELS);
        }
        return out;
    }

    private BufferedImage glyph(SplittableRandom random) {
        String text = String.valueOf(GLYPHS.charAt(random.nextInt(GLYPHS.length())));
        if (random.nextInt(6) == 0) {
            text += GLYPHS.charAt(random.nextInt(GLYPHS.length()));
        }
        return glyph(random, text);
    }

    private BufferedImage glyph(SplittableRandom random, String text) {
        Font font = fonts.pick(random);
        if (font.canDisplayUpTo(text) != -1) {
            return null;
        }
        Shape outline = font.deriveFont(100f).createGlyphVector(fontContext, text).getOutline();
        Rectangle2D bounds = outline.getBounds2D();
        if (bounds.isEmpty()) {
            return null;
        }
        double scale = 0.7 * CANVAS / Math.max(bounds.getWidth(), bounds.getHeight());
        AffineTransform place = new AffineTransform();
        place.translate(CANVAS / 2.0, CANVAS / 2.0);
        place.rotate(Math.toRadians(random.nextDouble(-15, 15)));
        place.shear(random.nextDouble(-0.2, 0.2), 0);
        place.scale(scale, scale);
        place.translate(-bounds.getCenterX(), -bounds.getCenterY());
        Shape placed = place.createTransformedShape(outline);
        BufferedImage canvas = canvas();
        Graphics2D g = pen(canvas);
        g.fill(placed);
        if (random.nextBoolean()) { // thicker strokes than the font's
            g.setStroke(new BasicStroke((float) random.nextDouble(1, 7), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(placed);
        }
        g.dispose();
        return canvas;
    }

    // ---- made of training digits ----

    private float[] digitOverlay(SplittableRandom random) {
        int a = random.nextInt(labels.length);
        int b = otherClass(random, labels[a]);
        float[] out = new float[PIXELS];
        copyShifted(a, 0, 0, out);
        copyShifted(b, random.nextInt(-5, 6), random.nextInt(-5, 6), out);
        return out;
    }

    private float[] digitPair(SplittableRandom random) {
        int a = random.nextInt(labels.length);
        int b = otherClass(random, labels[a]);
        int width = 2 * SIDE;
        float[] wide = new float[width * SIDE];
        int gap = random.nextInt(14, 25);
        int lift = random.nextInt(-3, 4);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                wide[y * width + x] = digits[a * PIXELS + y * SIDE + x];
                int ty = y + lift;
                if (ty >= 0 && ty < SIDE) {
                    int at = ty * width + x + gap;
                    wide[at] = Math.max(wide[at], digits[b * PIXELS + y * SIDE + x]);
                }
            }
        }
        return fitted(grey(wide, width, SIDE));
    }

    private float[] digitPart(SplittableRandom random) {
        int d = random.nextInt(labels.length);
        double mass = 0;
        double mx = 0;
        double my = 0;
        for (int p = 0; p < PIXELS; p++) {
            float v = digits[d * PIXELS + p];
            mass += v;
            mx += v * (p % SIDE);
            my += v * (p / SIDE);
        }
        double angle = random.nextDouble(2 * Math.PI);
        double offset = random.nextDouble(-2, 2);
        float[] part = new float[PIXELS];
        double kept = 0;
        for (int p = 0; p < PIXELS; p++) {
            double side = (p % SIDE - mx / mass) * Math.cos(angle) + (p / SIDE - my / mass) * Math.sin(angle);
            if (side > offset) {
                part[p] = digits[d * PIXELS + p];
                kept += part[p];
            }
        }
        if (kept < 0.3 * mass || kept > 0.7 * mass) {
            return null;
        }
        return fitted(grey(part, SIDE, SIDE));
    }

    private float[] digitOffCentre(SplittableRandom random) {
        int d = random.nextInt(labels.length);
        double angle = random.nextDouble(2 * Math.PI);
        double distance = random.nextDouble(9, 15);
        float[] out = new float[PIXELS];
        copyShifted(d, (int) Math.round(distance * Math.cos(angle)), (int) Math.round(distance * Math.sin(angle)), out);
        return out;
    }

    private int otherClass(SplittableRandom random, int label) {
        while (true) {
            int candidate = random.nextInt(labels.length);
            if (labels[candidate] != label) {
                return candidate;
            }
        }
    }

    /** Writes digit {@code index} moved by (dx, dy) into {@code out}, keeping the brighter pixel where both have ink. */
    private void copyShifted(int index, int dx, int dy, float[] out) {
        for (int y = 0; y < SIDE; y++) {
            int ty = y + dy;
            for (int x = 0; x < SIDE; x++) {
                int tx = x + dx;
                if (tx >= 0 && tx < SIDE && ty >= 0 && ty < SIDE) {
                    out[ty * SIDE + tx] = Math.max(out[ty * SIDE + tx], digits[index * PIXELS + y * SIDE + x]);
                }
            }
        }
    }

    private boolean distinctLabels() {
        for (int label : labels) {
            if (label != labels[0]) {
                return true;
            }
        }
        return false;
    }

    // ---- pixels ----

    private static BufferedImage canvas() {
        return new BufferedImage(CANVAS, CANVAS, BufferedImage.TYPE_BYTE_GRAY);
    }

    private static Graphics2D pen(BufferedImage canvas) {
        Graphics2D g = canvas.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        return g;
    }

    /** A round pen 5% to 13% of the canvas wide: MNIST's strokes are about a tenth of the digit's height. */
    private static BasicStroke stroke(SplittableRandom random) {
        return new BasicStroke((float) (CANVAS * random.nextDouble(0.05, 0.13)), BasicStroke.CAP_ROUND,
                BasicStroke.JOIN_ROUND);
    }

    private static Color grey(float level) {
        return new Color(level, level, level);
    }

    private static BufferedImage grey(float[] pixels, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = image.getRaster();
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                row[x] = Math.round(255 * clamp(pixels[y * width + x]));
            }
            raster.setSamples(0, y, width, 1, 0, row);
        }
        return image;
    }

    /** The image as a user's image reaches the model: fitted into 20x20 and centred by mass; null when blank. */
    private float[] fitted(BufferedImage image) {
        if (image == null) {
            return null;
        }
        try {
            return preprocessor.preprocess(image);
        } catch (ImageRejectedException e) {
            return null;
        }
    }

    /** The canvas averaged over 4x4 blocks: the drawing fills the frame as it filled the canvas. */
    private static float[] downsampled(BufferedImage canvas) {
        int factor = CANVAS / SIDE;
        int[] samples = canvas.getRaster().getSamples(0, 0, CANVAS, CANVAS, 0, new int[CANVAS * CANVAS]);
        float[] out = new float[PIXELS];
        for (int y = 0; y < CANVAS; y++) {
            for (int x = 0; x < CANVAS; x++) {
                out[(y / factor) * SIDE + x / factor] += samples[y * CANVAS + x] / (255f * factor * factor);
            }
        }
        return out;
    }

    private static boolean hasInk(float[] image) {
        int inked = 0;
        for (float v : image) {
            if (v > 0.3f) {
                inked++;
            }
        }
        return inked >= 8;
    }

    /**
     * Whether the clear ink's bounding box is much taller than wide and no taller than a fitted digit: what a 1 looks
     * like once fitted. Taller ink fills the frame as no fitted digit does.
     */
    static boolean isThinUpright(float[] image) {
        int x0 = SIDE;
        int x1 = -1;
        int y0 = SIDE;
        int y1 = -1;
        for (int p = 0; p < PIXELS; p++) {
            if (image[p] > 0.3f) {
                x0 = Math.min(x0, p % SIDE);
                x1 = Math.max(x1, p % SIDE);
                y0 = Math.min(y0, p / SIDE);
                y1 = Math.max(y1, p / SIDE);
            }
        }
        int height = y1 - y0 + 1;
        return x1 >= 0 && height <= MAX_FITTED_HEIGHT && (x1 - x0 + 1) < MIN_ASPECT * height;
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    private static String glyphs() {
        StringBuilder glyphs = new StringBuilder();
        for (char c = 'A'; c <= 'Z'; c++) {
            glyphs.append(c).append(Character.toLowerCase(c));
        }
        for (char c : CONFUSABLE_LETTERS.toCharArray()) {
            int at = glyphs.indexOf(String.valueOf(c));
            glyphs.deleteCharAt(at);
        }
        return glyphs.append(SYMBOLS).toString();
    }
}
