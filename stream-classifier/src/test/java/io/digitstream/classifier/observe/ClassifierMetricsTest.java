package io.digitstream.classifier.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClassifierMetricsTest {

    private final ClassifierMetrics metrics = new ClassifierMetrics();

    @Test
    void everyRegistryItIsBoundToSeesWhatItRecords() {
        SimpleMeterRegistry first = new SimpleMeterRegistry();
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        metrics.bindTo(first);
        metrics.bindTo(second);

        metrics.recordPrediction(7, "1.0.0", true, 200_000, 15);

        for (SimpleMeterRegistry registry : new SimpleMeterRegistry[] {first, second}) {
            assertThat(registry.get("digits.predictions").tags("digit", "7", "model_version", "1.0.0").counter()
                    .count()).isEqualTo(1);
            assertThat(registry.get("digits.low.confidence").counter().count()).isEqualTo(1);
            assertThat(registry.get("digits.inference").timer().count()).isEqualTo(1);
        }
    }

    @Test
    void predictionsAreCountedByDigitAndModelVersionWhileTwoVersionsAlternate() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        metrics.bindTo(registry);

        metrics.recordPrediction(3, "1.0.0", false, 1_000, 1);
        metrics.recordPrediction(3, "1.1.0", false, 1_000, 1);
        metrics.recordPrediction(3, "1.0.0", false, 1_000, 1);
        metrics.recordPrediction(4, "1.1.0", false, 1_000, -1);

        assertThat(predictions(registry, "3", "1.0.0")).isEqualTo(2);
        assertThat(predictions(registry, "3", "1.1.0")).isEqualTo(1);
        assertThat(predictions(registry, "4", "1.1.0")).isEqualTo(1);
        assertThat(predictions(registry, "4", "1.0.0")).isZero();
        assertThat(registry.get("digits.inference").timer().totalTime(TimeUnit.NANOSECONDS)).isEqualTo(4_000);
        assertThat(registry.get("digits.end.to.end.latency").timer().count()).as("no timestamp, no latency")
                .isEqualTo(3);
    }

    @Test
    void notADigitRejectionsAreCountedByReasonFromZero() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        metrics.bindTo(registry);

        assertThat(registry.get("digits.rejected").tag("reason", "not-a-digit").counter().count()).isZero();
        metrics.recordRejected(ClassifierMetrics.REJECTED_NOT_A_DIGIT);
        assertThat(registry.get("digits.rejected").tag("reason", "not-a-digit").counter().count()).isEqualTo(1);
    }

    @Test
    void aModelLoadedBeforeBindingShowsInTheRegistry() {
        metrics.modelLoaded("1.0.0", "abc123", Instant.ofEpochSecond(1_700_000_000L));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        metrics.bindTo(registry);

        assertThat(registry.get("digits.model.info").tags("model_version", "1.0.0", "sha256", "abc123").gauge()
                .value()).isEqualTo(1);
        assertThat(registry.get("digits.model.loaded.timestamp").gauge().value()).isEqualTo(1_700_000_000.0);
        assertThat(registry.get("digits.model.reloads").tags("result", ClassifierMetrics.RELOAD_REJECTED).counter()
                .count()).isZero();
    }

    @Test
    void aNewModelReplacesTheOldOnesMetersInTheBoundRegistry() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        metrics.bindTo(registry);

        metrics.modelLoaded("1.0.0", "aaa", Instant.now());
        metrics.modelLoaded("1.1.0", "bbb", Instant.now());

        assertThat(registry.find("digits.model.info").gauges()).singleElement()
                .satisfies(gauge -> assertThat(gauge.getId().getTag("model_version")).isEqualTo("1.1.0"));
        assertThat(registry.find("digits.model.loaded.timestamp").gauges()).hasSize(1);
    }

    @Test
    void bindsTheClassifiersMetersOnlyNotTheJvms() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        metrics.bindTo(registry);

        assertThat(registry.getMeters()).extracting(meter -> meter.getId().getName())
                .isNotEmpty().allMatch(name -> name.startsWith("digits."));
    }

    private static double predictions(SimpleMeterRegistry registry, String digit, String modelVersion) {
        return registry.get("digits.predictions").tags("digit", digit, "model_version", modelVersion).counter()
                .count();
    }
}
