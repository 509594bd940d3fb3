package io.digitstream.core.image;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Valid encoded images in every format and pixel layout the preprocessor reads, each a digit-like stroke on paper:
 * fixtures for the decode bound and seeds for mutation tests.
 */
public final class EncodedImages {

    /** How the pixels are stored in the image handed to the encoder. */
    public enum Layout {
        GRAY_8, GRAY_16, GRAY_ALPHA_8, GRAY_ALPHA_16, PALETTE_1, PALETTE_4, PALETTE_8, RGB_565, RGB_8, RGB_INT, RGB_16,
        RGBA_8, RGBA_16
    }

    /** One encoded image: {@code name} says format, layout and encoder options. */
    public record Sample(String name, int width, int height, byte[] bytes) {
    }

    private EncodedImages() {
    }

    /**
     * What the JDK's writers can write: PNG in every layout (and interlaced), JPEG grey and colour (and progressive),
     * GIF (and interlaced), BMP at 1, 4, 8, 16, 24 and 32 bits, RLE4, RLE8 and with an embedded PNG or JPEG.
     */
    public static List<Sample> all(int width, int height, float stroke) {
        List<Sample> samples = new ArrayList<>();
        for (Layout layout : Layout.values()) {
            samples.add(sample("png " + layout, drawn(layout, width, height, stroke), "png", null, false));
        }
        samples.add(sample("png RGBA_8 interlaced", drawn(Layout.RGBA_8, width, height, stroke), "png", null, true));
        samples.add(sample("png GRAY_16 interlaced", drawn(Layout.GRAY_16, width, height, stroke), "png", null, true));
        samples.add(sample("jpeg GRAY_8", drawn(Layout.GRAY_8, width, height, stroke), "jpeg", null, false));
        samples.add(sample("jpeg RGB_8", drawn(Layout.RGB_8, width, height, stroke), "jpeg", null, false));
        samples.add(sample("jpeg RGB_8 progressive", drawn(Layout.RGB_8, width, height, stroke), "jpeg", null, true));
        samples.add(sample("gif PALETTE_8", drawn(Layout.PALETTE_8, width, height, stroke), "gif", null, false));
        samples.add(sample("gif PALETTE_8 interlaced", drawn(Layout.PALETTE_8, width, height, stroke), "gif", null,
                true));
        // the JDK's BMP writer takes no alpha and no 16-bit samples
        for (Layout layout : List.of(Layout.GRAY_8, Layout.PALETTE_1, Layout.PALETTE_4, Layout.PALETTE_8,
                Layout.RGB_565, Layout.RGB_8)) {
            samples.add(sample("bmp " + layout, drawn(layout, width, height, stroke), "bmp", null, false));
        }
        samples.add(sample("bmp RGB_INT BI_BITFIELDS", drawn(Layout.RGB_INT, width, height, stroke), "bmp",
                "BI_BITFIELDS", false));
        samples.add(sample("bmp PALETTE_4 BI_RLE4", drawn(Layout.PALETTE_4, width, height, stroke), "bmp", "BI_RLE4",
                false));
        samples.add(sample("bmp PALETTE_8 BI_RLE8", drawn(Layout.PALETTE_8, width, height, stroke), "bmp", "BI_RLE8",
                false));
        samples.add(sample("bmp RGB_8 BI_PNG", drawn(Layout.RGB_8, width, height, stroke), "bmp", "BI_PNG", false));
        samples.add(sample("bmp RGB_8 BI_JPEG", drawn(Layout.RGB_8, width, height, stroke), "bmp", "BI_JPEG", false));
        return samples;
    }

    /** White paper with a black 7 drawn {@code stroke} pixels wide, anti-aliased, in the given layout. */
    public static BufferedImage drawn(Layout layout, int width, int height, float stroke) {
        BufferedImage image = blank(layout, width, height);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(stroke, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.drawLine(width / 4, height / 4, width * 3 / 4, height / 4);
        g.drawLine(width * 3 / 4, height / 4, width * 2 / 5, height * 4 / 5);
        g.dispose();
        return image;
    }

    /** An image of the layout, all zero (transparent or black). */
    public static BufferedImage blank(Layout layout, int width, int height) {
        return switch (layout) {
            case GRAY_8 -> new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            case GRAY_16 -> new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
            case GRAY_ALPHA_8 -> component(ColorSpace.CS_GRAY, true, DataBuffer.TYPE_BYTE, width, height);
            case GRAY_ALPHA_16 -> component(ColorSpace.CS_GRAY, true, DataBuffer.TYPE_USHORT, width, height);
            case PALETTE_1 -> new BufferedImage(width, height, BufferedImage.TYPE_BYTE_BINARY);
            case PALETTE_4 -> new BufferedImage(width, height, BufferedImage.TYPE_BYTE_BINARY, palette(4));
            case PALETTE_8 -> new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, palette(8));
            case RGB_565 -> new BufferedImage(width, height, BufferedImage.TYPE_USHORT_565_RGB);
            case RGB_8 -> new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
            case RGB_INT -> new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            case RGB_16 -> component(ColorSpace.CS_sRGB, false, DataBuffer.TYPE_USHORT, width, height);
            case RGBA_8 -> new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
            case RGBA_16 -> component(ColorSpace.CS_sRGB, true, DataBuffer.TYPE_USHORT, width, height);
        };
    }

    /** {@code ImageIO} encoding with the given compression type (BMP) or progressive/interlaced mode. */
    public static byte[] encode(BufferedImage image, String format, String compression, boolean progressive) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        if (compression != null) {
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType(compression);
        }
        if (progressive) {
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(format + " " + compression, e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static Sample sample(String name, BufferedImage image, String format, String compression,
                                 boolean progressive) {
        return new Sample(name, image.getWidth(), image.getHeight(), encode(image, format, compression, progressive));
    }

    private static BufferedImage component(int colorSpace, boolean alpha, int dataType, int width, int height) {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(colorSpace), alpha, false,
                alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, dataType);
        return new BufferedImage(model, model.createCompatibleWritableRaster(width, height), false, null);
    }

    /** Black, white and tinted greys in between, so the palette is not taken for a grey ramp. */
    private static IndexColorModel palette(int bits) {
        int size = 1 << bits;
        byte[] r = new byte[size];
        byte[] g = new byte[size];
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            int level = i * 255 / (size - 1);
            r[i] = (byte) level;
            g[i] = (byte) level;
            b[i] = (byte) Math.min(255, level + (i % 2) * 20);
        }
        return new IndexColorModel(bits, size, r, g, b);
    }
}
