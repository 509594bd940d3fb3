package io.digitstream.trainer.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AurocTest {

    @Test
    void perfectSeparationIsOneAndReversedIsZero() {
        assertThat(Auroc.of(new double[] {3, 4, 5}, new double[] {0, 1, 2})).isEqualTo(1.0);
        assertThat(Auroc.of(new double[] {0, 1, 2}, new double[] {3, 4, 5})).isEqualTo(0.0);
    }

    @Test
    void tiesCountOneHalf() {
        assertThat(Auroc.of(new double[] {1, 1}, new double[] {1, 1, 1})).isEqualTo(0.5);
        // pairs: (1,1) tie, (1,0) win, (2,1) win, (2,0) win
        assertThat(Auroc.of(new double[] {1, 2}, new double[] {1, 0})).isEqualTo(3.5 / 4);
    }

    @Test
    void identicalDistributionsGiveAboutOneHalf() {
        SplittableRandom random = new SplittableRandom(1);
        double[] a = random.doubles(5_000).toArray();
        double[] b = random.doubles(5_000).toArray();

        assertThat(Auroc.of(a, b)).isCloseTo(0.5, within(0.02));
    }

    @Test
    void agreesWithCountingEveryPair() {
        SplittableRandom random = new SplittableRandom(2);
        double[] pos = random.ints(300, 0, 20).asDoubleStream().toArray();
        double[] neg = random.ints(200, 0, 15).asDoubleStream().toArray();
        double wins = 0;
        for (double p : pos) {
            for (double n : neg) {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }

        assertThat(Auroc.of(pos, neg)).isCloseTo(wins / (300.0 * 200), within(1e-12));
    }

    @Test
    void refusesEmptySidesAndNaN() {
        assertThatThrownBy(() -> Auroc.of(new double[0], new double[] {1})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Auroc.of(new double[] {1}, new double[] {Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
