package io.digitstream.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MeasuredWindowTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void theWindowCountsOnlyWhatHappenedBetweenItsMarks() {
        long start = 7 * SECOND;
        // the cut: 5 s, 40,000 images sent and 30,000 consumed before the window opened, 6 s of child CPU
        MeasuredWindow.Mark open = new MeasuredWindow.Mark(start + 5 * SECOND, 1_000_000L, 40_000, 30_000, 6.0, 4.0);
        MeasuredWindow.Mark close = new MeasuredWindow.Mark(start + 35 * SECOND, 1_030_000L, 340_000, 330_000, 42.0,
                34.0);

        MeasuredWindow window = MeasuredWindow.between(start, open, close);

        assertThat(window.cutSeconds()).isEqualTo(5.0);
        assertThat(window.seconds()).isEqualTo(30.0);
        assertThat(window.sent()).isEqualTo(300_000);
        assertThat(window.consumed()).isEqualTo(300_000);
        assertThat(window.throughput()).isEqualTo(10_000.0);
        assertThat(window.sendRate()).isEqualTo(10_000.0);
        assertThat(window.childCores()).isCloseTo(1.2, within(1e-9));
        assertThat(window.harnessCores()).isCloseTo(1.0, within(1e-9));
        assertThat(window.childMicrosPerImage()).isCloseTo(120.0, within(1e-9));
        assertThat(window.harnessMicrosPerImage()).isCloseTo(100.0, within(1e-9));
    }

    @Test
    void cpuTheOperatingSystemDidNotTellIsUnknownNotZero() {
        MeasuredWindow window = new MeasuredWindow(5, 30, 300, 300, Double.NaN, 2.0);

        assertThat(window.childCores()).isNaN();
        assertThat(window.childMicrosPerImage()).isNaN();
        assertThat(window.harnessMicrosPerImage()).isCloseTo(6_666.7, within(0.1));
    }

    @Test
    void withNothingConsumedThereIsNoCostPerImage() {
        MeasuredWindow window = new MeasuredWindow(0, 1, 10, 0, 0.5, 0.5);

        assertThat(window.throughput()).isZero();
        assertThat(window.childMicrosPerImage()).isNaN();
    }

    @Test
    void aWindowHasALength() {
        assertThatThrownBy(() -> new MeasuredWindow(5, 0, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
