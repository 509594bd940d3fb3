package io.digitstream.trainer.data;

import static io.digitstream.contract.DigitShape.PIXELS;
import static io.digitstream.contract.DigitShape.SIDE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.digitstream.trainer.robustness.GrayImage;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ScanDamageAugmenterTest {

    /** A 7-like stroke: a bar across the top and a diagonal down. */
    private static float[] seven() {
        float[] p = new float[PIXELS];
        for (int x = 7; x < 21; x++) {
            p[6 * SIDE + x] = 1;
            p[7 * SIDE + x] = 1;
        }
        for (int y = 8; y < 22; y++) {
            int x = 20 - (y - 8) / 2;
            p[y * SIDE + x] = 1;
            p[y * SIDE + x - 1] = 1;
        }
        return p;
    }

    private static float[] images(int count) {
        float[] all = new float[count * PIXELS];
        for (int i = 0; i < count; i++) {
            System.arraycopy(seven(), 0, all, i * PIXELS, PIXELS);
        }
        return all;
    }

    @ParameterizedTest
    @EnumSource(ScanDamageAugmenter.Damage.class)
    void everyDamageChangesTheDigitAndStaysAValidImage(ScanDamageAugmenter.Damage damage) {
        float[] clean = seven();
        boolean changed = false;
        for (long seed = 1; seed <= 5; seed++) {
            GrayImage damaged = ScanDamageAugmenter.apply(damage, GrayImage.mnist(clean.clone()),
                    new SplittableRandom(seed)).clipped();
            assertEquals(PIXELS, damaged.pixels().length);
            for (float p : damaged.pixels()) {
                assertTrue(p >= 0 && p <= 1 && !Float.isNaN(p), damage + " gave pixel " + p);
            }
            changed |= !Arrays.equals(clean, damaged.pixels());
        }
        assertTrue(changed, damage + " left the digit as it was");
    }

    @Test
    void damagesAboutTheShareAskedAndLeavesTheRestAlone() {
        int count = 2_000;
        float[] input = images(count);
        float[] out = new ScanDamageAugmenter(0.3, 42).augment(input, count, 1);
        assertArrayEquals(images(count), input, "the input is not modified");
        int damaged = 0;
        for (int i = 0; i < count; i++) {
            if (!Arrays.equals(input, i * PIXELS, (i + 1) * PIXELS, out, i * PIXELS, (i + 1) * PIXELS)) {
                damaged++;
            }
        }
        assertTrue(damaged > 0.25 * count && damaged < 0.35 * count, damaged + " of " + count + " damaged");
    }

    @Test
    void theSameSeedAndEpochRepeatADrawAndAnotherEpochDoesNot() {
        float[] input = images(300);
        ScanDamageAugmenter augmenter = new ScanDamageAugmenter(0.5, 7);
        assertArrayEquals(augmenter.augment(input, 300, 3), augmenter.augment(input, 300, 3));
        assertFalse(Arrays.equals(augmenter.augment(input, 300, 3), augmenter.augment(input, 300, 4)));
    }

    @Test
    void shareZeroIsACopyAndBadArgumentsAreRefused() {
        float[] input = images(10);
        assertArrayEquals(input, new ScanDamageAugmenter(0, 1).augment(input, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> new ScanDamageAugmenter(1.5, 1));
        assertThrows(IllegalArgumentException.class, () -> new ScanDamageAugmenter(0.5, 1).augment(input, 9, 1));
    }
}
