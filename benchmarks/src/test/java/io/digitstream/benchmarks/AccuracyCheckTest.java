package io.digitstream.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.contract.AccuracyReport;
import io.digitstream.contract.ConfusionMatrix;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccuracyCheckTest {

    private static final ConfusionMatrix OFFLINE = ConfusionMatrix.ofDigits(new int[] {7, 7, 1, 0},
            new int[] {7, 7, 7, 0});

    private static AccuracyCheck check(ConfusionMatrix recorded, long recordedRejected, double gauge,
                                       List<Integer> exporting) {
        return new AccuracyCheck("1.2.0", OFFLINE, 2,
                Optional.of(AccuracyReport.of("1.2.0", null, null, recorded, recordedRejected)), gauge, 2, exporting);
    }

    @Test
    void theSameCountsAsOfflineMatch() {
        AccuracyCheck check = check(OFFLINE, 2, 4, List.of(2));

        assertThat(check.recordMatches()).isTrue();
        assertThat(check.gaugesMatch()).isTrue();
        assertThat(check.summary()).contains("offline 4 accepted (3 correct), 2 rejected",
                "record 4 accepted (3 correct), 2 rejected: equal", "gauges 4 accepted, 2 rejected "
                        + "(exported by instance 2): equal");
    }

    @Test
    void theSameTotalsWithOneImageInAnotherCellDoNotMatch() {
        // as many correct, but a 1 read as 1 and a 7 read as 1: the matrix tells them apart
        ConfusionMatrix swapped = ConfusionMatrix.ofDigits(new int[] {7, 7, 1, 0}, new int[] {7, 1, 1, 0});

        assertThat(check(swapped, 2, 4, List.of(1)).recordMatches()).isFalse();
    }

    @Test
    void aRejectedImageCountedAsAcceptedDoesNotMatch() {
        assertThat(check(OFFLINE, 1, 4, List.of(1)).recordMatches()).isFalse();
    }

    @Test
    void noRecordOrNoGaugeIsNotEqual() {
        AccuracyCheck none = new AccuracyCheck("1.2.0", OFFLINE, 2, Optional.empty(), Double.NaN, Double.NaN,
                List.of());

        assertThat(none.recordMatches()).isFalse();
        assertThat(none.gaugesMatch()).isFalse();
        assertThat(none.summary()).contains("record no record: **not equal**", "gauges - (exported by instance "
                + "none): **not equal**");
        assertThat(check(OFFLINE, 2, 3, List.of(1)).gaugesMatch()).as("a gauge one short").isFalse();
    }
}
