package io.digitstream.core.image;

import io.digitstream.contract.DigitShape;
import io.digitstream.core.PropertyCheck;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Whatever bytes arrive, {@link DigitPreprocessor#preprocess(byte[])} ends as 784 floats in 0..1 or as an
 * {@link ImageRejectedException} with its reason code, never as another exception, and allocates no more than the
 * decode bound, two copies of the input and some slack ({@link ImageProperties#endsAsPixelsOrAReasonCode}). Each
 * property takes about a second; {@code -Ddigitstream.property.tries=100000} hunts longer.
 */
class DigitPreprocessorPropertyTest {

    private static final byte[][] SIGNATURES = {
        {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, {(byte) 0xff, (byte) 0xd8, (byte) 0xff},
        {'G', 'I', 'F', '8', '7', 'a'}, {'G', 'I', 'F', '8', '9', 'a'}, {'B', 'M'},
    };

    private final DigitPreprocessor preprocessor = new DigitPreprocessor();
    private final Map<String, Integer> outcomes = new TreeMap<>();

    @AfterEach
    void printOutcomes() {
        System.out.println("  outcomes: " + outcomes);
    }

    @Test
    void anyBytesEndAsPixelsOrAReasonCode() {
        PropertyCheck.forAll("random bytes", 2000, random -> {
            byte[] bytes = Mutations.randomBytes(random, length(random));
            if (random.nextInt(3) == 0) {
                byte[] signature = SIGNATURES[random.nextInt(SIGNATURES.length)];
                System.arraycopy(signature, 0, bytes, 0, Math.min(signature.length, bytes.length));
            }
            return bytes;
        }, PropertyCheck.BYTES, this::endsAsPixelsOrAReasonCode);
    }

    @Test
    void damagedValidImagesEndAsPixelsOrAReasonCode() {
        PropertyCheck.forAll("damaged images", 2000,
                random -> Mutations.mutate(ImageProperties.validInput(random), random),
                PropertyCheck.BYTES, this::endsAsPixelsOrAReasonCode);
    }

    @Test
    void headersDeclaringExtremeSizesEndAsPixelsOrAReasonCode() {
        PropertyCheck.forAll("extreme header fields", 1000, random -> {
            byte[] image = Mutations.hugeHeaderField(ImageProperties.validInput(random), random);
            return random.nextBoolean() ? image : Mutations.hugeHeaderField(image, random);
        }, PropertyCheck.BYTES, this::endsAsPixelsOrAReasonCode);
    }

    private void endsAsPixelsOrAReasonCode(byte[] input) {
        outcomes.merge(ImageProperties.endsAsPixelsOrAReasonCode(preprocessor, input), 1, Integer::sum);
    }

    /** Mostly short, often exactly 784 (raw pixels), sometimes a few kilobytes. */
    private static int length(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextInt(16);
            case 1 -> DigitShape.PIXELS;
            case 2 -> random.nextInt(200);
            default -> random.nextInt(5000);
        };
    }
}
