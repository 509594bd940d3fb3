package io.digitstream.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.contract.DigitShape;
import io.digitstream.core.image.EncodedImages.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** What every preprocessed input must satisfy, and valid inputs to damage: shared by the property tests. */
public final class ImageProperties {

    /**
     * What a decode may allocate beyond the decoded pixels and two copies of the input (the stream cache and a reader's
     * own), garbage included: the readers' row buffers, and per-row garbage, such as the JPEG reader's colour
     * conversion leaves (20 MiB in all for a 324-byte JPEG declaring 4096 x 4096 with an ICC conversion, which still
     * decodes in a 40 MB heap). The allocation counter cannot tell garbage from what is held at once, so this is a
     * coarse net: it catches a reader allocating what a header declares (2 GB, 384 MiB), not every waste.
     */
    static final long SLACK_BYTES = 64L << 20;

    private static final List<byte[]> SEEDS = seeds();

    private ImageProperties() {
    }

    /**
     * Loads every reader's classes and native code by decoding an image of each kind once, so that a measurement of
     * what one decode allocates does not count them.
     */
    public static void loadReaders() {
        // SEEDS, initialised with the class, has done it
    }

    /**
     * Small valid inputs: every format and layout of {@link EncodedImages#all} at 48x40 and 7x5, and 784 raw pixels.
     * Each has been preprocessed once, so the readers' classes and native code are loaded before anything measures.
     */
    public static byte[] validInput(Random random) {
        return SEEDS.get(random.nextInt(SEEDS.size()));
    }

    /**
     * The property: 784 floats in 0..1, or a rejection with a reason code and a message; no other exception; and no
     * more allocated than {@link ImageLimits#MAX_DECODED_BYTES} plus two copies of the input and {@link #SLACK_BYTES}.
     *
     * @return {@code pixels} or the reason code, for statistics
     */
    public static String endsAsPixelsOrAReasonCode(DigitPreprocessor preprocessor, byte[] input) {
        long before = AllocatedBytes.supported() ? AllocatedBytes.now() : 0;
        String outcome;
        try {
            assertPixels(preprocessor.preprocess(input));
            outcome = "pixels";
        } catch (ImageRejectedException e) {
            assertThat(e.reason()).isIn((Object[]) ImageRejectedException.Reason.values());
            assertThat(e.getMessage()).isNotBlank();
            outcome = e.reason().code();
        }
        if (AllocatedBytes.supported()) {
            long allocated = AllocatedBytes.now() - before;
            assertThat(allocated).as("bytes allocated for %d input bytes", input.length)
                    .isLessThanOrEqualTo(ImageLimits.MAX_DECODED_BYTES + 2L * input.length + SLACK_BYTES);
        }
        return outcome;
    }

    /** 784 values, each in 0..1 (NaN is not). */
    public static void assertPixels(float[] pixels) {
        assertThat(pixels).hasSize(DigitShape.PIXELS);
        for (float v : pixels) {
            assertThat(v).isBetween(0f, 1f);
        }
    }

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (Sample sample : EncodedImages.all(48, 40, 4)) {
            seeds.add(sample.bytes());
        }
        for (Sample sample : EncodedImages.all(7, 5, 1)) {
            seeds.add(sample.bytes());
        }
        byte[] raw = new byte[DigitShape.PIXELS];
        Arrays.fill(raw, 300, 340, (byte) 255);
        seeds.add(raw);
        DigitPreprocessor warmUp = new DigitPreprocessor();
        for (byte[] seed : seeds) {
            try {
                warmUp.preprocess(seed);
            } catch (ImageRejectedException e) {
                // a 7x5 image may be too small to carry ink; it is still a valid image to damage
            }
        }
        return List.copyOf(seeds);
    }
}
