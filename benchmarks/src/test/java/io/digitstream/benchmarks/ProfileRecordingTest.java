package io.digitstream.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileRecordingTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void theChildJvmRecordsWithTheProfilesPeriodsUntilItExits() {
        List<String> options = ProfileRecording.jvmOptions(dir.resolve("model-eos.jfr"));

        assertThat(options).contains("-XX:FlightRecorderOptions:stackdepth=256");
        assertThat(options.get(1)).startsWith("-XX:StartFlightRecording:settings=profile,dumponexit=true,filename=")
                .contains("model-eos.jfr", "jdk.ExecutionSample#period=10ms", "jdk.NativeMethodSample#period=13ms",
                        "jdk.ThreadCPULoad#period=1s");
        assertThatThrownBy(() -> ProfileRecording.jvmOptions(dir.resolve("a,b.jfr")))
                .hasMessageContaining("comma");
    }

    @Test
    void aThreadsCpuIsItsLoadOverThePartOfEachReadingInsideTheWindow() {
        // a quarter of two processors each second from 10:00:01 to 10:00:05: 0.5 CPU seconds per second
        List<ProfileRecording.Load> loads = List.of(load(5, 0.25), load(1, 0.25), load(2, 0.25), load(3, 0.25),
                load(4, 0.25));
        NavigableSet<Instant> ticks = ticks(1, 2, 3, 4, 5);

        assertThat(ProfileRecording.cpuSeconds(loads, ticks, T0.plusMillis(1_500), T0.plusMillis(3_500), 2))
                .isCloseTo(1.0, within(1e-9));
        // the first reading covers the second before it
        assertThat(ProfileRecording.cpuSeconds(loads, ticks, T0, T0.plusSeconds(10), 2)).isCloseTo(2.5, within(1e-9));
        assertThat(ProfileRecording.cpuSeconds(loads, ticks, T0.plusSeconds(6), T0.plusSeconds(10), 2)).isZero();
    }

    @Test
    void aReadingAfterTicksWithoutOneCoversOnlyTheLastTick() {
        // JFR skipped the thread at 10:00:02 and 10:00:03 (no CPU then): the reading at 10:00:04 is over one second
        List<ProfileRecording.Load> loads = List.of(load(1, 0.5), load(4, 0.5));

        assertThat(ProfileRecording.cpuSeconds(loads, ticks(1, 2, 3, 4), T0, T0.plusSeconds(10), 2))
                .isCloseTo(2.0, within(1e-9));
    }

    private static NavigableSet<Instant> ticks(int... seconds) {
        NavigableSet<Instant> ticks = new TreeSet<>();
        for (int s : seconds) {
            ticks.add(T0.plusSeconds(s));
        }
        return ticks;
    }

    private static ProfileRecording.Load load(int second, double share) {
        return new ProfileRecording.Load(T0.plusSeconds(second), share);
    }

    /** A real recording of this JVM, with the child's settings, read back: the busy thread and its CPU are found. */
    @Test
    void readsTheSamplesAndTheCpuOfEachThreadFromARecording() throws Exception {
        Map<String, String> settings = new HashMap<>(Configuration.getConfiguration("profile").getSettings());
        settings.put("jdk.ExecutionSample#period", ProfileRecording.JAVA_PERIOD_MS + " ms");
        settings.put("jdk.NativeMethodSample#period", ProfileRecording.NATIVE_PERIOD_MS + " ms");
        settings.put("jdk.ThreadCPULoad#period", "1 s");
        Path file = dir.resolve("this-jvm.jfr");
        AtomicLong sink = new AtomicLong();
        Instant from;
        Instant to;
        try (Recording recording = new Recording(settings)) {
            recording.start();
            from = Instant.now();
            Thread busy = new Thread(() -> {
                long x = 1;
                long end = System.nanoTime() + Duration.ofMillis(2_500).toNanos();
                while (System.nanoTime() < end) {
                    for (int i = 0; i < 10_000; i++) {
                        x = x * 6364136223846793005L + 1442695040888963407L;
                    }
                }
                sink.set(x);
            }, "profile-test-busy");
            busy.start();
            busy.join();
            to = Instant.now();
            recording.stop();
            recording.dump(file);
        }

        List<ThreadSamples> threads = ProfileRecording.threads(file, from, to,
                Runtime.getRuntime().availableProcessors());

        ThreadSamples busy = threads.stream().filter(t -> t.name().equals("profile-test-busy")).findFirst()
                .orElseThrow();
        assertThat(busy.javaSamples()).isNotEmpty();
        assertThat(busy.javaSamples()).allSatisfy(s -> assertThat(s.waiting()).isFalse());
        assertThat(busy.cpuSeconds()).as("a thread busy for 2.5 s").isPositive();
        CpuProfile profile = ProfileRecording.profile(file, from, to, Double.NaN,
                Runtime.getRuntime().availableProcessors());
        assertThat(profile.methods()).extracting(CpuProfile.MethodCpu::method)
                .anyMatch(m -> m.startsWith(ProfileRecordingTest.class.getName()));
        assertThat(sink.get()).isNotZero();
    }
}
