package io.digitstream.trainer.robustness;

import java.awt.image.BufferedImage;
import java.util.random.RandomGenerator;

/**
 * What happens to a digit between paper and the classifier: each transform turns a 28x28 MNIST digit into the
 * encoded file a scanner, fax or phone would produce (dark ink on light paper, at the size the transform implies),
 * which the benchmark then sends through {@code DigitPreprocessor}, the path of {@code ./digits classify} and the
 * stream. Unless said otherwise the digit is first enlarged four times (to 112x112) as if scanned at four times
 * MNIST's resolution.
 */
public enum ScanTransform {

    DARK_INK("dark-ink", "dark ink (grey 20) on white paper (grey 240), 112x112 PNG") {
        @Override
        public byte[] encode(GrayImage digit, RandomGenerator random) {
            return ScanImages.png(ScanImages.onPaper(enlarged(digit), ScanImages.PAPER, ScanImages.INK));
        }
    },
    THICK_STROKES("thick-strokes", "strokes dilated by 1 MNIST pixel each side (disc radius 4 at 112x112), PNG") {
        @Override
        public byte[] encode(GrayImage digit, RandomGenerator random) {
            return paperPng(StrokeWidth.dilate(enlarged(digit), 4));
        }
    },
    THIN_STROKES("thin-strokes", "strokes eroded by 1/2 MNIST pixel each side (disc radius 2 at 112x112), PNG") {
        @Override
        public byte[] encode(GrayImage digit, RandomGenerator random) {
            return paperPng(StrokeWidth.erode(enlarged(digit), 2));
        }
    },
    JPEG_Q20("jpeg-q20", "dark ink on paper at 56x56, JPEG quality 20") {
        @Override
        public byte[] encode(GrayImage digit, RandomGenerator random) {
            GrayImage ink = Resampling.enlarge(digit, 2 * digit.width(), 2 * digit.height());
            return ScanImages.jpeg(ScanImages.onPaper(ink, ScanImages.PAPER, ScanImages.INK), 0.20f);
        }
    },
    LOW_RES_8("low-res-8", "the digit scanned at 8x8 pixels (it fills 80% of them), enlarged to 64x64, PNG") {
        @Override
        public byte[] encode(GrayImage digit, RandomGenerator random) {
            return lowResolution(digit, 8);
        }
    },
    LOW_RES_16("low-res-16", "the digit scanned at 16x16 pixels (it fills 80% of them), enlarged to 64x64, PNG") {
        @Override
        public byte[] encode(GrayImage digit, RandomGenerator random) {
            return lowResolution(digit, 16);
        }
    },
    PAGE_MARGINS("page-margins", "the 112x112 digit anywhere on a 420x594 page, paper grain of 3 grey levels, PNG") {
        @Override
        public byte[] encode(GrayImage digit, RandomGenerator random) {
            return ScanImages.png(ScanImages.onPaper(onPage(digit, random), ScanImages.PAPER, ScanImages.INK,
                    PAPER_GRAIN, random));
        }
    },
    PAGE_SPECKLE("page-speckle", "as page-margins, plus 25 specks of dust (radius 0.6-1.6 px, 15-60% ink), PNG") {
        @Override
        public byte[] encode(GrayImage digit, RandomGenerator random) {
            GrayImage page = Noise.specks(onPage(digit, random), SPECKS, 0.6, 1.6, 0.15, 0.6, random);
            return ScanImages.png(ScanImages.onPaper(page, ScanImages.PAPER, ScanImages.INK, PAPER_GRAIN, random));
        }
    },
    SKEW("skew", "the scan rotated by 4-10 degrees either way, paper filling the corners, 112x112 PNG") {
        @Override
        public byte[] encode(GrayImage digit, RandomGenerator random) {
            double degrees = random.nextDouble(4, 10) * (random.nextBoolean() ? 1 : -1);
            return paperPng(Warp.rotate(enlarged(digit), Math.toRadians(degrees)));
        }
    };

    /** Scanned at four times MNIST's resolution. */
    static final int ENLARGE = 4;
    /** A page of A4 proportions at about 50 dpi. */
    static final int PAGE_WIDTH = 420;
    static final int PAGE_HEIGHT = 594;
    static final int PAGE_MARGIN = 30;
    static final double PAPER_GRAIN = 3;
    static final int SPECKS = 25;
    static final int LOW_RES_OUTPUT = 64;
    /** The digit's box fills this share of the low-resolution crop. */
    static final double LOW_RES_FILL = 0.8;

    private final String id;
    private final String description;

    ScanTransform(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    /** The encoded image file (PNG or JPEG) for a 28x28 digit in MNIST polarity. */
    public abstract byte[] encode(GrayImage digit, RandomGenerator random);

    static GrayImage enlarged(GrayImage digit) {
        return Resampling.enlarge(digit, ENLARGE * digit.width(), ENLARGE * digit.height());
    }

    private static byte[] paperPng(GrayImage ink) {
        return ScanImages.png(ScanImages.onPaper(ink.clipped(), ScanImages.PAPER, ScanImages.INK));
    }

    /** The enlarged digit placed at a uniformly random spot of an empty page, inside the margins. */
    static GrayImage onPage(GrayImage digit, RandomGenerator random) {
        GrayImage tile = enlarged(digit);
        int left = random.nextInt(PAGE_MARGIN, PAGE_WIDTH - PAGE_MARGIN - tile.width() + 1);
        int top = random.nextInt(PAGE_MARGIN, PAGE_HEIGHT - PAGE_MARGIN - tile.height() + 1);
        float[] page = new float[PAGE_WIDTH * PAGE_HEIGHT];
        for (int y = 0; y < tile.height(); y++) {
            System.arraycopy(tile.pixels(), y * tile.width(), page, (top + y) * PAGE_WIDTH + left, tile.width());
        }
        return new GrayImage(PAGE_WIDTH, PAGE_HEIGHT, page);
    }

    /**
     * The square around the digit's ink (the box of pixels above 0.3, squared and widened so that the digit fills
     * {@link #LOW_RES_FILL} of it) averaged down to {@code side x side}, then enlarged to 64x64 as a viewer or
     * upscaling driver shows it.
     */
    static byte[] lowResolution(GrayImage digit, int side) {
        int x0 = digit.width();
        int y0 = digit.height();
        int x1 = 0;
        int y1 = 0;
        for (int y = 0; y < digit.height(); y++) {
            for (int x = 0; x < digit.width(); x++) {
                if (digit.get(x, y) > 0.3f) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x + 1);
                    y1 = Math.max(y1, y + 1);
                }
            }
        }
        if (x1 <= x0) { // no clear ink: take the whole frame
            x0 = 0;
            y0 = 0;
            x1 = digit.width();
            y1 = digit.height();
        }
        double crop = Math.max(x1 - x0, y1 - y0) / LOW_RES_FILL;
        double cx = (x0 + x1) / 2.0;
        double cy = (y0 + y1) / 2.0;
        GrayImage low = Resampling.area(digit, cx - crop / 2, cy - crop / 2, crop, crop, side, side);
        BufferedImage scan = ScanImages.onPaper(Resampling.enlarge(low, LOW_RES_OUTPUT, LOW_RES_OUTPUT).clipped(),
                ScanImages.PAPER, ScanImages.INK);
        return ScanImages.png(scan);
    }
}
