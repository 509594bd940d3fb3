package io.digitstream.trainer.robustness;

import static io.digitstream.trainer.robustness.TestDigits.difference;
import static io.digitstream.trainer.robustness.TestDigits.mnist;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MnistCorruptionTest {

    /** The corruptions that draw nothing at random. */
    private static final Set<MnistCorruption> FIXED = EnumSet.of(MnistCorruption.SCALE, MnistCorruption.BRIGHTNESS,
            MnistCorruption.STRIPE, MnistCorruption.CANNY_EDGES);

    @ParameterizedTest
    @EnumSource(MnistCorruption.class)
    void isFixedByTheSeedAndChangesTheDigit(MnistCorruption corruption) {
        GrayImage digit = mnist(0);
        float[] before = digit.pixels().clone();

        GrayImage a = corruption.apply(digit, new SplittableRandom(7));

        assertThat(corruption.apply(digit, new SplittableRandom(7))).isEqualTo(a);
        assertThat(digit.pixels()).as("the input is left alone").containsExactly(before);
        assertThat(a.width()).isEqualTo(28);
        assertThat(a.height()).isEqualTo(28);
        for (float p : a.pixels()) {
            assertThat(p).isBetween(0f, 1f);
        }
        assertThat(difference(a, digit)).as("changes the image").isGreaterThan(0.005);
        if (!FIXED.contains(corruption)) {
            // some seed draws differently (a sign flip can coincide for two seeds, eight cannot)
            Set<GrayImage> draws = new HashSet<>();
            for (int seed = 0; seed < 8; seed++) {
                draws.add(corruption.apply(digit, new SplittableRandom(seed)));
            }
            assertThat(draws).as("random choices").hasSizeGreaterThan(1);
        }
    }

    @Test
    void idsAreUniqueKebabCaseNames() {
        Set<String> ids = new HashSet<>();
        for (MnistCorruption c : MnistCorruption.values()) {
            assertThat(c.id()).matches("[a-z]+(-[a-z]+)*");
            assertThat(ids.add(c.id())).isTrue();
            assertThat(c.description()).isNotBlank();
        }
        assertThat(ids).hasSize(15);
    }

    @Test
    void brightnessLiftsTheBackgroundToHalf() {
        GrayImage bright = MnistCorruption.BRIGHTNESS.apply(mnist(0), new SplittableRandom(1));

        assertThat(bright.get(0, 0)).isEqualTo(0.5f);
        assertThat(bright.get(14, 14)).isGreaterThanOrEqualTo(0.5f);
    }

    @Test
    void stripeInvertsTheOuterQuarters() {
        GrayImage digit = mnist(0);

        GrayImage striped = MnistCorruption.STRIPE.apply(digit, new SplittableRandom(1));

        for (int y = 0; y < 28; y++) {
            assertThat(striped.get(3, y)).isEqualTo(1 - digit.get(3, y));
            assertThat(striped.get(24, y)).isEqualTo(1 - digit.get(24, y));
            assertThat(striped.get(14, y)).isEqualTo(digit.get(14, y));
        }
    }

    @Test
    void fogLowersContrastButKeepsTheDigitBrighterThanItsSurroundings() {
        GrayImage digit = mnist(0);

        GrayImage fog = MnistCorruption.FOG.apply(digit, new SplittableRandom(3));

        assertThat(fog.ink()).isGreaterThan(digit.ink());
        double onInk = 0;
        double offInk = 0;
        int inkCount = 0;
        for (int i = 0; i < 784; i++) {
            if (digit.pixels()[i] > 0.9f) {
                onInk += fog.pixels()[i];
                inkCount++;
            } else if (digit.pixels()[i] == 0f) {
                offInk += fog.pixels()[i];
            }
        }
        int background = 784 - (int) java.util.stream.IntStream.range(0, 784).filter(i -> digit.pixels()[i] > 0).count();
        assertThat(onInk / inkCount).isGreaterThan(offInk / background + 0.15);
    }

    @Test
    void scaleShrinksTheDigitAboutTheCentre() {
        GrayImage digit = mnist(0);

        GrayImage small = MnistCorruption.SCALE.apply(digit, new SplittableRandom(1));

        assertThat(small.ink()).isCloseTo(0.49 * digit.ink(), within(0.1 * digit.ink()));
    }
}
