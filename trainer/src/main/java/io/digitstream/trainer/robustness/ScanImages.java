package io.digitstream.trainer.robustness;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.random.RandomGenerator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Ink images printed on paper and encoded the way a scanner or a phone saves them: grey PNG and JPEG bytes. */
public final class ScanImages {

    /** White paper as scanners see it: a little below full white. */
    public static final int PAPER = 240;
    /** Ballpoint or pencil ink: dark, not black. */
    public static final int INK = 20;
    /** The JDK's PNG writer maps quality q to deflate level 9 (1 - q): 0.9 is level 1, the fastest that compresses. */
    private static final float PNG_FAST = 0.9f;

    private ScanImages() {
    }

    /** Dark ink on light paper: grey {@code paper - ink * (paper - inkLevel)}, rounded and clamped to 0..255. */
    public static BufferedImage onPaper(GrayImage ink, int paper, int inkLevel) {
        return onPaper(ink, paper, inkLevel, 0, null);
    }

    /** As {@link #onPaper(GrayImage, int, int)} with Gaussian grain of {@code grain} grey levels (paper texture). */
    public static BufferedImage onPaper(GrayImage ink, int paper, int inkLevel, double grain, RandomGenerator random) {
        BufferedImage image = new BufferedImage(ink.width(), ink.height(), BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = image.getRaster();
        int[] row = new int[ink.width()];
        for (int y = 0; y < ink.height(); y++) {
            for (int x = 0; x < ink.width(); x++) {
                double gray = paper - ink.pixels()[y * ink.width() + x] * (paper - inkLevel);
                if (grain > 0) {
                    gray += grain * random.nextGaussian();
                }
                row[x] = (int) Math.max(0, Math.min(255, Math.round(gray)));
            }
            raster.setPixels(0, y, ink.width(), 1, row);
        }
        return image;
    }

    /** PNG with fast deflate (the files are read once, and large pages with grain compress slowly). */
    public static byte[] png(BufferedImage image) {
        return write(image, "png", PNG_FAST);
    }

    /** Baseline JPEG at {@code quality} 0..1 (0.2 is what phone apps and web uploads squeeze to at worst). */
    public static byte[] jpeg(BufferedImage image, float quality) {
        return write(image, "jpeg", quality);
    }

    private static byte[] write(BufferedImage image, String format, float quality) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) {
            throw new IllegalStateException("no " + format + " writer available");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
