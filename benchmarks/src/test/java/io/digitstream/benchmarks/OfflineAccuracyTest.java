package io.digitstream.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OfflineAccuracyTest {

    /** Four images: a 7 read as 7, a 1 read as 7, a 3 rejected, a 0 read as 0. */
    private static final OfflineAccuracy FOUR = OfflineAccuracy.of("1.2.0", new int[] {7, 1, 3, 0},
            new int[] {7, 7, 3, 0}, new boolean[] {false, false, true, false});

    @Test
    void aBatchRepeatsTheImagesFromTheFirst() {
        // 10 images: 0 1 2 3 0 1 2 3 0 1, i.e. images 0 and 1 three times, 2 and 3 twice
        OfflineAccuracy.Expected expected = FOUR.expected(10);

        assertThat(expected.accepted().count(7, 7)).isEqualTo(3);
        assertThat(expected.accepted().count(1, 7)).isEqualTo(3);
        assertThat(expected.accepted().count(0, 0)).isEqualTo(2);
        assertThat(expected.rejected()).isEqualTo(2);
        assertThat(expected.accepted().total()).isEqualTo(8);
        assertThat(expected.accepted().correct()).isEqualTo(5);
        assertThat(expected.labelled()).isEqualTo(10);
    }

    @Test
    void theWarmupAndTheLoadAreTwoBatchesEachFromTheFirstImage() {
        OfflineAccuracy.Expected expected = FOUR.expected(3, 5);

        // warm-up 0 1 2, load 0 1 2 3 0
        assertThat(expected.accepted().count(7, 7)).isEqualTo(3);
        assertThat(expected.accepted().count(1, 7)).isEqualTo(2);
        assertThat(expected.rejected()).isEqualTo(2);
        assertThat(expected.accepted().count(0, 0)).isEqualTo(1);
        assertThat(expected.labelled()).isEqualTo(8);
    }
}
