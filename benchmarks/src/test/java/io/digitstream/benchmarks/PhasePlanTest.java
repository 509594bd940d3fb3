package io.digitstream.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PhasePlanTest {

    private static final long SECOND = 1_000_000_000L;
    private static final StreamBenchmarkSettings.Lengths LENGTHS = new StreamBenchmarkSettings.Lengths(3_000,
            Duration.ofSeconds(5), Duration.ofSeconds(30), 100_000, Duration.ofSeconds(15));

    @Test
    void theWindowOpensOnlyOnceTheWarmupCutIsOver() {
        PhasePlan plan = PhasePlan.atFullLoad(LENGTHS);

        assertThat(plan.windowOpens(0)).isFalse();
        assertThat(plan.windowOpens(5 * SECOND - 1)).isFalse();
        assertThat(plan.windowOpens(5 * SECOND)).isTrue();
    }

    @Test
    void withoutACutTheWindowOpensAtOnce() {
        PhasePlan plan = PhasePlan.atFullLoad(new StreamBenchmarkSettings.Lengths(100, Duration.ZERO,
                Duration.ofSeconds(1), 300, Duration.ofSeconds(2)));

        assertThat(plan.windowOpens(0)).isTrue();
    }

    @Test
    void aFullLoadWindowNeedsBothItsLengthAndItsImages() {
        PhasePlan plan = PhasePlan.atFullLoad(LENGTHS);

        assertThat(plan.windowComplete(29 * SECOND, 500_000, 600_000)).as("long enough in images only").isFalse();
        assertThat(plan.windowComplete(90 * SECOND, 99_999, 150_000)).as("long enough in time only").isFalse();
        assertThat(plan.windowComplete(30 * SECOND, 100_000, 130_000)).isTrue();
    }

    @Test
    void atFullLoadTheHarnessKeepsTwoSecondsOfImagesAheadOfThoseConsumed() {
        PhasePlan plan = PhasePlan.atFullLoad(LENGTHS);

        // 10,000 consumed in the first second: 10,000/s, so 20,000 ahead
        assertThat(PhasePlan.backlog(10_000, SECOND)).isEqualTo(20_000);
        assertThat(plan.sendable(SECOND, 10_000)).isEqualTo(30_000);
        assertThat(plan.nanosUntilDue(30_000, SECOND)).isEqualTo(PhasePlan.POLL_NANOS);
    }

    @Test
    void theBacklogStaysWithinItsBounds() {
        assertThat(PhasePlan.backlog(0, 0)).as("before anything is consumed").isEqualTo(PhasePlan.MIN_BACKLOG);
        assertThat(PhasePlan.backlog(100, SECOND)).isEqualTo(PhasePlan.MIN_BACKLOG);
        assertThat(PhasePlan.backlog(1_000_000, SECOND)).isEqualTo(PhasePlan.MAX_BACKLOG);
    }

    @Test
    void aFixedRatePhaseSendsItsScheduleCutIncluded() {
        PhasePlan plan = PhasePlan.atRate(1_000, LENGTHS);

        // 5 s cut + 15 s window at 1,000/s
        assertThat(plan.scheduled()).isEqualTo(20_000);
        assertThat(plan.sendable(0, 0)).as("image 0 is due at once").isEqualTo(1);
        assertThat(plan.sendable(SECOND / 2, 0)).isEqualTo(501);
        assertThat(plan.sendable(60 * SECOND, 0)).isEqualTo(20_000);
        assertThat(plan.nanosUntilDue(501, SECOND / 2)).isEqualTo(1_000_000);
        assertThat(plan.nanosUntilDue(10, SECOND)).as("overdue").isZero();
    }

    @Test
    void aFixedRateWindowEndsWithItsSchedule() {
        PhasePlan plan = PhasePlan.atRate(1_000, LENGTHS);

        assertThat(plan.windowComplete(100 * SECOND, 0, 19_999)).isFalse();
        assertThat(plan.windowComplete(15 * SECOND, 0, 20_000)).isTrue();
    }

    @Test
    void aFixedRateMustBePositive() {
        assertThatThrownBy(() -> PhasePlan.atRate(0, LENGTHS)).isInstanceOf(IllegalArgumentException.class);
    }
}
