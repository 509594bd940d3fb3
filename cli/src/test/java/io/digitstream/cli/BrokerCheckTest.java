package io.digitstream.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerCheckTest {

    @Test
    void unreachableBrokerIsNamedWithTheFix() {
        assertThatThrownBy(() -> BrokerCheck.requireReachable(Map.of("bootstrap.servers", "127.0.0.1:1"),
                Duration.ofSeconds(2)))
                .hasMessageContaining("127.0.0.1:1").hasMessageContaining("./digits kafka");
    }
}
