package io.digitstream.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamBenchmarkSettingsTest {

    @Test
    void byDefaultAFullLoadPhaseIsMeasuredOverThirtySecondsAndAHundredThousandImagesAfterItsWarmup() {
        StreamBenchmarkSettings settings = StreamBenchmarkSettings.defaults(Path.of("model.onnx"), Path.of("work"));

        assertThat(settings.lengths().minWindow()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.lengths().minImages()).isEqualTo(100_000);
        assertThat(settings.lengths().warmupCut()).isPositive();
        assertThat(settings.lengths().warmupImages()).isPositive();
        assertThat(settings.classifierSettings()).isEmpty();
        assertThat(settings.childJvmOptions()).isEqualTo(StreamBenchmarkSettings.CHILD_JVM_OPTIONS);
        assertThat(settings.instances()).isEqualTo(1);
        assertThat(settings.partitions()).isEqualTo(3);
        assertThat(settings.labelledImages()).isFalse();
        assertThat(settings.profileDirectory()).isEmpty();
    }

    @Test
    void childJvmsRunServesCollectorUnlessAnotherIsChosen() {
        assertThat(StreamBenchmarkSettings.childJvmOptions("256m", List.of()))
                .containsExactly("-Xmx256m", "-XX:+UseSerialGC");
        assertThat(StreamBenchmarkSettings.childJvmOptions("192m", List.of("-XX:+UseG1GC", "-Dx=1")))
                .containsExactly("-Xmx192m", "-XX:+UseG1GC", "-Dx=1");
        assertThat(StreamBenchmarkSettings.childJvmOptions("256m", List.of("-XX:TrimNativeHeapInterval=1000")))
                .containsExactly("-Xmx256m", "-XX:+UseSerialGC", "-XX:TrimNativeHeapInterval=1000");
    }

    @Test
    void aScaleOutRunGetsSixPartitionsUnlessTold() {
        assertThat(StreamBenchmarkSettings.defaultPartitions(1)).isEqualTo(3);
        assertThat(StreamBenchmarkSettings.defaultPartitions(2)).isEqualTo(6);
        assertThat(StreamBenchmarkSettings.defaultPartitions(3)).isEqualTo(6);

        StreamBenchmarkSettings settings = StreamBenchmarkSettings.defaults(Path.of("model.onnx"), Path.of("work"))
                .withInstances(3, 6).withLabelledImages(true).withProfile(Path.of("profile"));

        assertThat(settings.instances()).isEqualTo(3);
        assertThat(settings.partitions()).isEqualTo(6);
        assertThat(settings.labelledImages()).isTrue();
        assertThat(settings.profileDirectory()).contains(Path.of("profile"));
        assertThat(settings.lengths()).isEqualTo(StreamBenchmarkSettings.Lengths.DEFAULT);
    }

    @Test
    void noInstanceOrNoPartitionIsRefused() {
        StreamBenchmarkSettings settings = StreamBenchmarkSettings.defaults(Path.of("model.onnx"), Path.of("work"));

        assertThatThrownBy(() -> settings.withInstances(0, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings.withInstances(2, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSmokeRunMayCutNothingAndMeasureBriefly() {
        assertThatCode(() -> new StreamBenchmarkSettings.Lengths(100, Duration.ZERO, Duration.ZERO, 1,
                Duration.ofSeconds(1))).doesNotThrowAnyException();
    }

    @Test
    void lengthsThatCannotBeMeasuredAreRefused() {
        assertThatThrownBy(() -> new StreamBenchmarkSettings.Lengths(0, Duration.ZERO, Duration.ZERO, 1,
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StreamBenchmarkSettings.Lengths(100, Duration.ofSeconds(-1), Duration.ZERO, 1,
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StreamBenchmarkSettings.Lengths(100, Duration.ZERO, Duration.ZERO, 0,
                Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StreamBenchmarkSettings.Lengths(100, Duration.ZERO, Duration.ZERO, 1,
                Duration.ofMillis(999))).hasMessageContaining("at least a second");
    }
}
