package io.digitstream.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.digitstream.contract.DigitShape;
import io.digitstream.core.image.EncodedImages.Layout;
import io.digitstream.core.image.EncodedImages.Sample;
import io.digitstream.core.image.ImageRejectedException.Reason;
import io.digitstream.core.model.OnnxDigitModel;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class BoundedDecodeTest {

    private static final Path MODEL = Path.of("../models/digits-cnn.onnx");

    private final DigitPreprocessor preprocessor = new DigitPreprocessor();

    @BeforeAll
    static void loadReaders() {
        ImageProperties.loadReaders();
    }

    @Test
    void theSubsamplingStepIsTheSmallestThatFitsTheDecodedSide() {
        assertThat(DigitPreprocessor.subsamplingStep(1024, 1024, 1024)).isEqualTo(1);
        assertThat(DigitPreprocessor.subsamplingStep(1025, 3, 1024)).isEqualTo(2);
        assertThat(DigitPreprocessor.subsamplingStep(3, 2048, 1024)).isEqualTo(2);
        assertThat(DigitPreprocessor.subsamplingStep(4096, 4096, 1024)).isEqualTo(4);
        assertThat(DigitPreprocessor.subsamplingStep(4097, 1, 1024)).isEqualTo(5);
    }

    @Test
    void theBoundCoversTheWidestPixelAndTheGreyCopyAtTheLargestDecodedSide() {
        assertThat(ImageLimits.MAX_DECODED_BYTES).isEqualTo(1024L * 1024 * (8 + 1));
    }

    @Test
    void anImageWithinTheDecodedSideIsDecodedWhole() throws Exception {
        byte[] png = EncodedImages.encode(EncodedImages.drawn(Layout.RGB_8, 1024, 300, 6), "png", null, false);

        BufferedImage decoded = preprocessor.decode(png, "png");

        assertThat(decoded.getWidth()).isEqualTo(1024);
        assertThat(decoded.getHeight()).isEqualTo(300);
    }

    /**
     * Every reader and pixel layout: a 2500x1300 image is decoded every third pixel, into at most 8 bytes a pixel
     * (with room for the uncompressed BMPs, which are larger than the default 8 MiB).
     */
    @TestFactory
    Stream<DynamicTest> everyReaderDecodesALargeImageSubsampledWithinTheBound() {
        DigitPreprocessor roomy = new DigitPreprocessor(new ImageLimits(32 << 20, ImageLimits.DEFAULT.maxPixels()));
        List<Sample> samples = EncodedImages.all(2500, 1300, 12);
        return samples.stream().map(sample -> DynamicTest.dynamicTest(sample.name(), () -> {
            BufferedImage decoded = roomy.decode(sample.bytes(), DigitPreprocessor.sniffFormat(sample.bytes()));

            assertThat(decoded.getWidth()).as("decoded width").isEqualTo(834);
            assertThat(decoded.getHeight()).as("decoded height").isEqualTo(434);
            assertThat(rasterBytes(decoded)).as("raster bytes of %s", decoded)
                    .isLessThanOrEqualTo(834L * 434 * ImageLimits.MAX_DECODED_BYTES_PER_PIXEL);
            assertHasInk(roomy.preprocess(sample.bytes()));
        }));
    }

    @Test
    void theWidestPixelsAtTheLargestSizeDecodeWithinTheBound() throws Exception {
        assumeTrue(AllocatedBytes.supported(), "this JVM does not count allocated bytes per thread");
        byte[] png = EncodedImages.encode(EncodedImages.drawn(Layout.RGBA_16, 4096, 4096, 24), "png", null, false);

        BufferedImage decoded = preprocessor.decode(png, "png");
        long before = AllocatedBytes.now();
        float[] pixels = preprocessor.preprocess(png);
        long allocated = AllocatedBytes.now() - before;

        assertThat(decoded.getWidth()).isEqualTo(1024);
        assertThat(decoded.getHeight()).isEqualTo(1024);
        assertThat(rasterBytes(decoded)).isEqualTo(1024L * 1024 * 8);
        assertHasInk(pixels);
        // everything the decode allocated, garbage included: the bound, the input's copy and the reader's row buffers
        System.out.printf("16-bit RGBA 4096x4096 PNG of %d bytes: %.1f MiB allocated to preprocess it%n", png.length,
                allocated / 1048576.0);
        assertThat(allocated).isLessThan(ImageLimits.MAX_DECODED_BYTES + png.length + (2 << 20));
    }

    /**
     * Subsampling keeps every fourth pixel of every fourth row of a 4096-pixel-wide canvas, so a 4-pixel stroke always
     * keeps some: each hand-drawn digit comes out as from the full-resolution image, and the shipped model reads them
     * alike.
     */
    @Test
    void strokesAsWideAsTheStepSurviveOnALargeCanvas() throws Exception {
        float[][] subsampled = new float[10][];
        float[][] full = new float[10][];
        for (int digit = 0; digit < 10; digit++) {
            BufferedImage image = HandDrawnDigits.draw(digit, 4096, 1024, 1700 + 13 * digit, 100 + 7 * digit, 800, 4);
            byte[] png = EncodedImages.encode(image, "png", null, false);

            subsampled[digit] = preprocessor.preprocess(png);
            full[digit] = preprocessor.preprocess(ImageIO.read(new ByteArrayInputStream(png)));

            assertHasInk(subsampled[digit]);
            assertThat(meanAbsoluteDifference(subsampled[digit], full[digit])).as("digit %d", digit).isLessThan(0.03);
        }
        assumeTrue(Files.isRegularFile(MODEL), "no shipped model at " + MODEL);
        try (OnnxDigitModel model = OnnxDigitModel.load(MODEL)) {
            int same = 0;
            StringBuilder table = new StringBuilder();
            for (int digit = 0; digit < 10; digit++) {
                int fromSubsampled = model.predict(subsampled[digit]).digit();
                int fromFull = model.predict(full[digit]).digit();
                same += fromSubsampled == fromFull ? 1 : 0;
                table.append(' ').append(digit).append(':').append(fromFull).append('/').append(fromSubsampled);
            }
            System.out.println("4-pixel strokes on 4096x1024, drawn: full / subsampled prediction" + table);
            assertThat(same).as("digits predicted as from the full-resolution image:" + table).isGreaterThanOrEqualTo(9);
        }
    }

    /** JDK 17's BMP reader allocated the declared size of a wrapped PNG or JPEG before reading it: 2 GB here. */
    @TestFactory
    Stream<DynamicTest> aBmpDeclaringMoreCompressedDataThanItHoldsIsRejectedWithoutAllocatingIt() {
        assumeTrue(AllocatedBytes.supported(), "this JVM does not count allocated bytes per thread");
        return EncodedImages.all(40, 30, 3).stream().filter(s -> s.name().matches("bmp .* BI_(RLE.|PNG|JPEG)"))
                .map(sample ->
                DynamicTest.dynamicTest(sample.name(), () -> {
                    byte[] bmp = sample.bytes().clone();
                    ByteBuffer.wrap(bmp).order(ByteOrder.LITTLE_ENDIAN).putInt(34, 0x7fff_f000);

                    Rejection rejection = rejection(bmp);

                    assertThat(rejection.exception().reason()).isEqualTo(Reason.UNDECODABLE);
                    assertThat(rejection.exception())
                            .hasMessageContaining("bmp image declares 2147479552 bytes of compressed data but is only");
                    assertThat(rejection.allocatedBytes()).isLessThan(1 << 20);
                }));
    }

    /**
     * Found by the damaged-images property: a 157-byte BMP wrapping a PNG that declares 9375495 x 5 pixels. The BMP's
     * own header said 7 x 5, and the JDK's BMP reader handed the PNG to a PNG reader unchecked, which allocated 84 MiB
     * of rows. Unwrapped, the PNG is held to the limits.
     */
    @Test
    void aPngWrappedInABmpIsHeldToTheLimits() throws Exception {
        assumeTrue(AllocatedBytes.supported(), "this JVM does not count allocated bytes per thread");
        byte[] found = HexFormat.of().parseHex("424d9d0000000000000036000000280000000700000005000000010018000500000067"
                + "0000000000000000000000000000000000000089504e470d0a1a0a0000000d49484452008f0f0700000005080200000006f8"
                + "618f0000002e49444154785e63f88f0d3000b1aaaa2a030cb0b3b3434521e0c081036262624012218a2c8410353030800b01"
                + "010095744e9717f059730000000049454e44ae426082");

        Rejection rejection = rejection(found);

        assertThat(rejection.exception().reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(rejection.exception()).hasMessageContaining("image is 9375495x5 = 46877475 pixels, limit 16777216");
        assertThat(rejection.allocatedBytes()).isLessThan(1 << 20);
    }

    @Test
    void aBmpWrappingNoImageWhereItSaysIsUndecodable() {
        byte[] bmp = EncodedImages.encode(EncodedImages.drawn(Layout.RGB_8, 40, 30, 3), "bmp", "BI_PNG", false);
        ByteBuffer.wrap(bmp).order(ByteOrder.LITTLE_ENDIAN).putInt(10, 20); // the data offset, now inside the header

        assertThatThrownBy(() -> preprocessor.preprocess(bmp))
                .isInstanceOfSatisfying(ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNDECODABLE))
                .hasMessageContaining("bmp image declares a wrapped png image of");
    }

    /**
     * Found by the damaged-images property: a 41-byte PNG declaring 1048576 x 5 pixels of 16-bit RGB, within the pixel
     * limit, made the PNG reader allocate 18 MiB of full-width rows; at 16777216 x 1 RGBA it would have been 384 MiB.
     */
    @Test
    void aSideLongerThanTheLimitIsRejectedBeforeTheReaderAllocatesItsRows() {
        assumeTrue(AllocatedBytes.supported(), "this JVM does not count allocated bytes per thread");
        byte[] found = HexFormat.of().parseHex(
                "89504e470d0a1a0a0000000d49484452001000000000000510020000005668bdcc0000003149444154");
        byte[] longest = pngHeaderOnly(16_777_216, 1, 16, 6);

        for (byte[] png : List.of(found, longest)) {
            Rejection rejection = rejection(png);

            assertThat(rejection.exception().reason()).isEqualTo(Reason.TOO_LARGE);
            assertThat(rejection.exception()).hasMessageContaining("pixels, longest side accepted 16384");
            assertThat(rejection.allocatedBytes()).isLessThan(1 << 20);
        }
    }

    @Test
    void anErrorWrappedByAReaderIsRethrownNotReportedAsUndecodable() {
        // what PNGImageReader.read does with any Throwable, OutOfMemoryError included
        OutOfMemoryError error = new OutOfMemoryError("Java heap space");
        IIOException wrapped = new IIOException("Caught exception during read: ", error);

        assertThatThrownBy(() -> DigitPreprocessor.undecodable("png", 100, wrapped)).isSameAs(error);
        assertThat(DigitPreprocessor.undecodable("png", 100, new IIOException("bad", new IOException("crc"))).reason())
                .isEqualTo(Reason.UNDECODABLE);
    }

    /** A rejection and the bytes allocated up to it; fails when {@code input} is not rejected. */
    private Rejection rejection(byte[] input) {
        long before = AllocatedBytes.now();
        try {
            preprocessor.preprocess(input);
        } catch (ImageRejectedException e) {
            return new Rejection(e, AllocatedBytes.now() - before);
        }
        throw new AssertionError("not rejected: " + input.length + " bytes");
    }

    private record Rejection(ImageRejectedException exception, long allocatedBytes) {
    }

    static void assertHasInk(float[] pixels) {
        assertThat(pixels).hasSize(DigitShape.PIXELS);
        float max = 0;
        double mass = 0;
        for (float v : pixels) {
            assertThat(v).isBetween(0f, 1f);
            max = Math.max(max, v);
            mass += v;
        }
        assertThat(max).isEqualTo(1f);
        assertThat(mass).as("total ink").isGreaterThan(10);
    }

    /** A PNG signature, an IHDR chunk with a valid CRC, and IEND: no pixel data. */
    private static byte[] pngHeaderOnly(int width, int height, int bitDepth, int colourType) {
        ByteBuffer png = ByteBuffer.allocate(8 + 25 + 12);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) bitDepth)
                .put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(png, "IEND", new byte[0]);
        return png.array();
    }

    private static void chunk(ByteBuffer png, String type, byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(type.getBytes(StandardCharsets.US_ASCII));
        crc.update(data);
        png.putInt(data.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(data).putInt((int) crc.getValue());
    }

    private static long rasterBytes(BufferedImage image) {
        DataBuffer buffer = image.getRaster().getDataBuffer();
        return (long) buffer.getNumBanks() * buffer.getSize() * DataBuffer.getDataTypeSize(buffer.getDataType()) / 8;
    }

    private static double meanAbsoluteDifference(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }
}
