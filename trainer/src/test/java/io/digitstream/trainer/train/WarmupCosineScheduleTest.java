package io.digitstream.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WarmupCosineScheduleTest {

    private final WarmupCosineSchedule schedule = new WarmupCosineSchedule(1e-3f, 10, 110, 0.01f);

    @Test
    void warmsUpLinearlyToThePeak() {
        assertThat(schedule.getNewValue(0)).isCloseTo(1e-4f, within(1e-9f));
        assertThat(schedule.getNewValue(4)).isCloseTo(5e-4f, within(1e-9f));
        assertThat(schedule.getNewValue(10)).isCloseTo(1e-3f, within(1e-9f));
    }

    @Test
    void decaysAlongACosineToTheFloorAndStaysThere() {
        assertThat(schedule.getNewValue(60)).isCloseTo((1e-3f + 1e-5f) / 2, within(1e-9f));
        assertThat(schedule.getNewValue(110)).isCloseTo(1e-5f, within(1e-10f));
        assertThat(schedule.getNewValue(500)).isCloseTo(1e-5f, within(1e-10f));
        for (int t = 10; t < 110; t++) {
            assertThat(schedule.getNewValue(t + 1)).isLessThanOrEqualTo(schedule.getNewValue(t));
        }
    }
}
