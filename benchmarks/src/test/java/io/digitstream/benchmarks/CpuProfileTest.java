package io.digitstream.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How samples and each thread's CPU become CPU per stage, on threads made up for the purpose. */
class CpuProfileTest {

    private static final double JAVA_PERIOD = 0.010;
    private static final double NATIVE_PERIOD = 0.013;

    private static List<ThreadSamples.Sample> samples(int count, ProfileStage stage, String top, boolean waiting) {
        List<ThreadSamples.Sample> samples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            samples.add(new ThreadSamples.Sample(stage, top, waiting));
        }
        return samples;
    }

    private static List<ThreadSamples.Sample> concat(List<ThreadSamples.Sample> a, List<ThreadSamples.Sample> b) {
        List<ThreadSamples.Sample> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** A thread that waits in epoll the whole window: the yardstick of how many threads are in native at once. */
    private static ThreadSamples idle(String name, int nativeSamples) {
        return new ThreadSamples(name, 0, List.of(),
                samples(nativeSamples, ProfileStage.PRODUCE, "sun.nio.ch.EPoll.wait", true));
    }

    @Test
    void aThreadOfJavaSamplesOnlySharesItsCpuByTheirCount() {
        ThreadSamples thread = new ThreadSamples("StreamThread-1", 3.0,
                concat(samples(200, ProfileStage.JSON, "com.fasterxml.jackson.X.write", false),
                        samples(100, ProfileStage.PRODUCE, "org.apache.kafka.clients.producer.KafkaProducer.doSend",
                                false)), List.of());

        CpuProfile profile = CpuProfile.of(List.of(thread), 3.0, JAVA_PERIOD, NATIVE_PERIOD);

        assertThat(profile.cpuSeconds(ProfileStage.JSON)).isCloseTo(2.0, within(1e-9));
        assertThat(profile.cpuSeconds(ProfileStage.PRODUCE)).isCloseTo(1.0, within(1e-9));
        assertThat(profile.cpuSeconds()).isEqualTo(3.0);
    }

    @Test
    void aNativeSampleWeighsAsManyThreadsAsWereInNativeAtOnce() {
        // 1,000 native samples: four threads that never leave native have 240 each, the stream thread 40 (its
        // model calls); it also has 400 Java samples (4 s in Java at 10 ms)
        List<ThreadSamples> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            threads.add(idle("network-" + i, 240));
        }
        threads.add(new ThreadSamples("StreamThread-1", 2.0,
                samples(400, ProfileStage.TOPOLOGY, "io.digitstream.classifier.ClassifyProcessor.process", false),
                samples(40, ProfileStage.MODEL, "ai.onnxruntime.OrtSession.run", false)));

        CpuProfile profile = CpuProfile.of(threads, 2.0, JAVA_PERIOD, NATIVE_PERIOD);

        // 1,000 native samples / 240 at most = 4.17 threads in native; a native sample weighs 13 ms x 4.17 = 54 ms:
        // the model's 40 samples stand for 2.17 s of the thread's time, against 4 s in Java
        assertThat(profile.threadsInNative()).isCloseTo(1_000 / 240.0, within(1e-9));
        double model = 40 * NATIVE_PERIOD * (1_000 / 240.0);
        assertThat(profile.share(ProfileStage.MODEL)).isCloseTo(model / (model + 4.0), within(1e-9));
        assertThat(profile.cpuSeconds(ProfileStage.MODEL) + profile.cpuSeconds(ProfileStage.TOPOLOGY))
                .isCloseTo(2.0, within(1e-9));
    }

    @Test
    void waitingSamplesAreNotCpuWhenTheThreadAlsoComputed() {
        ThreadSamples network = new ThreadSamples("kafka-producer-network-thread", 0.5,
                samples(10, ProfileStage.PRODUCE, "org.apache.kafka.clients.producer.internals.Sender.runOnce", false),
                concat(samples(90, ProfileStage.PRODUCE, "sun.nio.ch.EPoll.wait", true),
                        samples(10, ProfileStage.COMMITS, "sun.nio.ch.SocketDispatcher.write0", false)));

        CpuProfile profile = CpuProfile.of(List.of(network), 0.5, JAVA_PERIOD, NATIVE_PERIOD);

        // 100 native samples, all of this one thread: one thread in native; 10 x 10 ms Java, 10 x 13 ms native
        assertThat(profile.cpuSeconds(ProfileStage.PRODUCE)).isCloseTo(0.5 * 0.100 / 0.230, within(1e-9));
        assertThat(profile.cpuSeconds(ProfileStage.COMMITS)).isCloseTo(0.5 * 0.130 / 0.230, within(1e-9));
        assertThat(profile.methods()).extracting(CpuProfile.MethodCpu::method)
                .doesNotContain("sun.nio.ch.EPoll.wait");
    }

    @Test
    void aThreadThatOnlyWaitedIsChargedByItsWaitsAndOneNeverSampledByItsName() {
        ThreadSamples heartbeat = new ThreadSamples("kafka-coordinator-heartbeat-thread", 0.1, List.of(),
                samples(5, ProfileStage.CONSUME, "sun.nio.ch.EPoll.wait", true));
        ThreadSamples compiler = new ThreadSamples("C2 CompilerThread0", 0.3, List.of(), List.of());

        CpuProfile profile = CpuProfile.of(List.of(heartbeat, compiler), 0.4, JAVA_PERIOD, NATIVE_PERIOD);

        assertThat(profile.cpuSeconds(ProfileStage.CONSUME)).isCloseTo(0.1, within(1e-9));
        assertThat(profile.cpuSeconds(ProfileStage.JIT)).isCloseTo(0.3, within(1e-9));
        // waits are not counted as native samples: they show where the CPU went, not that the thread computed
        assertThat(profile.stages()).filteredOn(s -> s.stage() == ProfileStage.CONSUME)
                .extracting(CpuProfile.StageCpu::nativeSamples).containsExactly(0);
    }

    @Test
    void whatTheProcessUsedBeyondItsJavaThreadsIsTheGcAndTheJvms() {
        ThreadSamples thread = new ThreadSamples("StreamThread-1", 1.0,
                samples(10, ProfileStage.TOPOLOGY, "io.digitstream.classifier.ClassifyProcessor.process", false),
                List.of());

        CpuProfile profile = CpuProfile.of(List.of(thread), 1.25, JAVA_PERIOD, NATIVE_PERIOD);

        assertThat(profile.cpuSeconds(ProfileStage.GC_AND_VM)).isCloseTo(0.25, within(1e-9));
        assertThat(profile.share(ProfileStage.TOPOLOGY)).isCloseTo(0.8, within(1e-9));
        // without the process's figure, the threads' CPU is all there is
        assertThat(CpuProfile.of(List.of(thread), Double.NaN, JAVA_PERIOD, NATIVE_PERIOD).cpuSeconds()).isEqualTo(1.0);
    }

    @Test
    void hotMethodsAreTopFramesPerStageMostCpuFirst() {
        ThreadSamples thread = new ThreadSamples("StreamThread-1", 1.0,
                concat(concat(samples(50, ProfileStage.PRODUCE, "java.util.HashMap.getNode", false),
                                samples(30, ProfileStage.STATE_STORES, "java.util.HashMap.getNode", false)),
                        samples(20, ProfileStage.JSON, "com.fasterxml.jackson.X.write", false)), List.of());

        CpuProfile profile = CpuProfile.of(List.of(thread), 1.0, JAVA_PERIOD, NATIVE_PERIOD);

        assertThat(profile.methods()).extracting(CpuProfile.MethodCpu::method, CpuProfile.MethodCpu::stage,
                CpuProfile.MethodCpu::samples).containsExactly(
                tuple("java.util.HashMap.getNode", ProfileStage.PRODUCE, 50),
                tuple("java.util.HashMap.getNode", ProfileStage.STATE_STORES, 30),
                tuple("com.fasterxml.jackson.X.write", ProfileStage.JSON, 20));
    }

    @Test
    void theProfilesOfSeveralInstancesAddUp() {
        CpuProfile one = CpuProfile.of(List.of(new ThreadSamples("StreamThread-1", 1.0,
                samples(10, ProfileStage.MODEL, "ai.onnxruntime.OrtSession.run", false), List.of())), 1.0,
                JAVA_PERIOD, NATIVE_PERIOD);
        CpuProfile two = CpuProfile.of(List.of(new ThreadSamples("StreamThread-1", 3.0,
                samples(10, ProfileStage.JSON, "com.fasterxml.jackson.X.write", false), List.of())), 3.0,
                JAVA_PERIOD, NATIVE_PERIOD);

        CpuProfile both = CpuProfile.sum(List.of(one, two));

        assertThat(both.cpuSeconds()).isEqualTo(4.0);
        assertThat(both.share(ProfileStage.MODEL)).isCloseTo(0.25, within(1e-9));
        assertThat(both.javaSamples()).isEqualTo(20);
    }

    @Test
    void theTablesGiveSharesCpuPerImageAndTheHotMethods() {
        ThreadSamples thread = new ThreadSamples("StreamThread-1", 2.0,
                concat(samples(75, ProfileStage.JSON, "com.fasterxml.jackson.X.write", false),
                        samples(25, ProfileStage.PRODUCE, "org.apache.kafka.clients.producer.KafkaProducer.doSend",
                                false)), List.of());

        String md = CpuProfile.of(List.of(thread), 2.0, JAVA_PERIOD, NATIVE_PERIOD).toMarkdown(10_000);

        assertThat(md).contains("| JSON (Jackson) | 75.0% | 150 us | 75 | 0 |",
                "| all | 100% | 200 us | 100 | 0 |",
                "| `com.fasterxml.jackson.X.write` | json | 75.0% | 75 |");
        // JSON is listed before produce: the stages keep their order, whatever their share
        assertThat(md.indexOf("JSON (Jackson)")).isLessThan(md.indexOf("produce (Kafka producer"));
    }
}
