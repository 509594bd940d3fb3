package io.digitstream.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class PaceTest {

    @Test
    void aLateCallerGetsNoBurstToCatchUp() {
        Pace pace = new Pace(100); // 10 ms apart
        pace.await();
        LockSupport.parkNanos(200_000_000L); // 200 ms late: 20 calls' worth

        pace.await();
        long start = System.nanoTime();
        pace.await();
        pace.await();

        // two more calls take two intervals, not zero: nothing was stored up while late
        assertThat((System.nanoTime() - start) / 1e6).isGreaterThanOrEqualTo(19.0);
    }

    @Test
    void aRateMustBePositive() {
        assertThatThrownBy(() -> new Pace(0)).hasMessageContaining("positive");
    }
}
