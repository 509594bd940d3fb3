package io.digitstream.benchmarks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a classifier JVM's CPU went in a measured window, per {@link ProfileStage}, from the samples of a JDK Flight
 * Recorder profile ({@link ProfileRecording}) and the CPU time of each thread.
 *
 * <p>How the samples become CPU. JFR samples a thread running Java code ({@code jdk.ExecutionSample}, every thread in
 * Java each period) apart from a thread in a native method such as ONNX Runtime's or RocksDB's
 * ({@code jdk.NativeMethodSample}: <em>one</em> thread in native per period, taking the threads in native in turn).
 * So a native sample stands for more time than a Java sample: for as many threads as were in native at once, which
 * the profile estimates as (native samples) / (native samples of the thread with the most), that thread being one that
 * never leaves native (an idle network thread waiting in epoll). A Java sample weighs the Java period, a native one
 * the native period times that estimate. Each thread's CPU time (from {@code jdk.ThreadCPULoad}) is then shared out
 * over its samples by weight, leaving out native samples of a thread waiting in the kernel
 * ({@link StageRules#isWaiting}); a thread with only waiting samples is charged by those (its CPU is the work around
 * the waits), one with none by its name ({@link StageRules#stageOfUnsampledThread}). What the process used beyond its
 * Java threads (from the operating system) is the GC's and the JVM's own threads'.
 *
 * <p>On a synthetic loop of ONNX Runtime calls and Java arithmetic this put the model's share within about a fifth of
 * the time measured around the calls, low rather than high (a thread's short visits to native code are seen less
 * often than its long ones): read the native stages as estimates.
 *
 * @param cpuSeconds      all CPU the profile shares out: the process's, or its threads' when that is more
 * @param stages          per stage, in {@link ProfileStage} order, those with any CPU
 * @param methods         per top frame and stage, most CPU first
 * @param javaSamples     Java samples in the window
 * @param nativeSamples   native samples in the window, waiting ones included
 * @param threadsInNative the estimated threads in native at once (the native samples' weight in native periods)
 */
public record CpuProfile(double cpuSeconds, List<StageCpu> stages, List<MethodCpu> methods, int javaSamples,
                  int nativeSamples, double threadsInNative) {

    /** How many hot methods the report lists. */
    static final int HOT_METHODS = 15;

    /** One stage's CPU and the samples it was read from (native ones: those not waiting). */
    public record StageCpu(ProfileStage stage, double cpuSeconds, int javaSamples, int nativeSamples) {
    }

    /** One method's CPU as the top frame of samples of one stage, and how many samples. */
    public record MethodCpu(String method, ProfileStage stage, double cpuSeconds, int samples) {
    }

    public CpuProfile {
        stages = List.copyOf(stages);
        methods = List.copyOf(methods);
    }

    /**
     * The profile of one JVM.
     *
     * @param threads           what the recording saw of each Java thread in the window
     * @param processCpuSeconds the process's CPU time in the window from the operating system; NaN when unknown (then
     *                          the GC and the JVM's own threads are left out)
     * @param javaPeriodSeconds the Java sampling period
     * @param nativePeriodSeconds the native sampling period
     */
    static CpuProfile of(List<ThreadSamples> threads, double processCpuSeconds, double javaPeriodSeconds,
                         double nativePeriodSeconds) {
        int javaTotal = threads.stream().mapToInt(t -> t.javaSamples().size()).sum();
        int nativeTotal = threads.stream().mapToInt(t -> t.nativeSamples().size()).sum();
        int nativeMost = threads.stream().mapToInt(t -> t.nativeSamples().size()).max().orElse(0);
        double threadsInNative = nativeMost == 0 ? 0 : (double) nativeTotal / nativeMost;
        double javaWeight = javaPeriodSeconds;
        double nativeWeight = nativePeriodSeconds * Math.max(1, threadsInNative);

        Tally tally = new Tally();
        double threadCpu = 0;
        for (ThreadSamples thread : threads) {
            threadCpu += thread.cpuSeconds();
            List<ThreadSamples.Sample> busyNative = thread.nativeSamples().stream().filter(s -> !s.waiting()).toList();
            List<ThreadSamples.Sample> java = thread.javaSamples();
            // a thread seen only waiting is charged by its waits, which the sample counts leave out
            boolean onlyWaited = java.isEmpty() && busyNative.isEmpty();
            List<ThreadSamples.Sample> nativeCharged = onlyWaited ? thread.nativeSamples() : busyNative;
            double weight = java.size() * javaWeight + nativeCharged.size() * nativeWeight;
            if (weight == 0) {
                tally.add(StageRules.stageOfUnsampledThread(thread.name()), thread.cpuSeconds());
                continue;
            }
            for (ThreadSamples.Sample s : java) {
                tally.add(s, thread.cpuSeconds() * javaWeight / weight, Counted.JAVA);
            }
            for (ThreadSamples.Sample s : nativeCharged) {
                tally.add(s, thread.cpuSeconds() * nativeWeight / weight, onlyWaited ? Counted.NOT : Counted.NATIVE);
            }
        }
        double unsampled = Double.isNaN(processCpuSeconds) ? 0 : processCpuSeconds - threadCpu;
        if (unsampled > 0) {
            tally.add(ProfileStage.GC_AND_VM, unsampled);
        }
        double cpu = Double.isNaN(processCpuSeconds) ? threadCpu : Math.max(processCpuSeconds, threadCpu);
        return tally.profile(cpu, javaTotal, nativeTotal, threadsInNative);
    }

    /** The profiles of several JVMs (the instances of one phase) as one: their CPU added up. */
    static CpuProfile sum(List<CpuProfile> profiles) {
        if (profiles.size() == 1) {
            return profiles.get(0);
        }
        Tally tally = new Tally();
        for (CpuProfile p : profiles) {
            p.stages().forEach(tally::add);
            p.methods().forEach(tally::add);
        }
        return tally.profile(profiles.stream().mapToDouble(CpuProfile::cpuSeconds).sum(),
                profiles.stream().mapToInt(CpuProfile::javaSamples).sum(),
                profiles.stream().mapToInt(CpuProfile::nativeSamples).sum(),
                profiles.stream().mapToDouble(CpuProfile::threadsInNative).average().orElse(0));
    }

    /** The CPU of {@code stage}, in seconds; 0 when it had none. */
    double cpuSeconds(ProfileStage stage) {
        return stages.stream().filter(s -> s.stage() == stage).mapToDouble(StageCpu::cpuSeconds).sum();
    }

    /** The share of all CPU that {@code stage} used, 0 to 1. */
    double share(ProfileStage stage) {
        return cpuSeconds == 0 ? 0 : cpuSeconds(stage) / cpuSeconds;
    }

    /**
     * Two tables: the stages' shares and CPU per image (with {@code images} images in the window), then the hot
     * methods.
     */
    String toMarkdown(int images) {
        StringBuilder md = new StringBuilder();
        md.append("| stage | share of CPU | CPU per image | Java samples | native samples |\n");
        md.append("| --- | --- | --- | --- | --- |\n");
        for (StageCpu s : stages) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f%% | %s | %,d | %,d |%n", s.stage().label(),
                    100 * s.cpuSeconds() / cpuSeconds, microsPerImage(s.cpuSeconds(), images), s.javaSamples(),
                    s.nativeSamples()));
        }
        md.append(String.format(Locale.ROOT, "| all | 100%% | %s | %,d | %,d |%n", microsPerImage(cpuSeconds, images),
                stages.stream().mapToInt(StageCpu::javaSamples).sum(),
                stages.stream().mapToInt(StageCpu::nativeSamples).sum()));
        md.append(String.format(Locale.ROOT, "%nHot methods (the top frame of the samples; CPU shared out as above; "
                + "%.1f threads in native at once, estimated from %,d native samples, waits included):%n%n",
                threadsInNative, nativeSamples));
        md.append("| method | stage | share of CPU | samples |\n| --- | --- | --- | --- |\n");
        for (MethodCpu m : methods.subList(0, Math.min(HOT_METHODS, methods.size()))) {
            md.append(String.format(Locale.ROOT, "| `%s` | %s | %.1f%% | %,d |%n", m.method(), m.stage().name()
                    .toLowerCase(Locale.ROOT).replace('_', ' '), 100 * m.cpuSeconds() / cpuSeconds, m.samples()));
        }
        return md.toString();
    }

    private static String microsPerImage(double cpuSeconds, int images) {
        return images <= 0 ? "-" : String.format(Locale.ROOT, "%.0f us", 1e6 * cpuSeconds / images);
    }

    /** Which sample count a charged sample adds to. */
    private enum Counted { JAVA, NATIVE, NOT }

    /** CPU added up per stage and per method. */
    private static final class Tally {

        private final Map<ProfileStage, StageCpu> stages = new EnumMap<>(ProfileStage.class);
        private final Map<String, MethodCpu> methods = new HashMap<>();

        void add(ProfileStage stage, double cpuSeconds) {
            add(new StageCpu(stage, cpuSeconds, 0, 0));
        }

        void add(ThreadSamples.Sample sample, double cpuSeconds, Counted counted) {
            add(new StageCpu(sample.stage(), cpuSeconds, counted == Counted.JAVA ? 1 : 0,
                    counted == Counted.NATIVE ? 1 : 0));
            add(new MethodCpu(sample.topMethod(), sample.stage(), cpuSeconds, counted == Counted.NOT ? 0 : 1));
        }

        void add(StageCpu s) {
            stages.merge(s.stage(), s, (a, b) -> new StageCpu(a.stage(), a.cpuSeconds() + b.cpuSeconds(),
                    a.javaSamples() + b.javaSamples(), a.nativeSamples() + b.nativeSamples()));
        }

        void add(MethodCpu m) {
            // a method called for two stages (a HashMap lookup) is two rows: each says what the CPU was for
            methods.merge(m.method() + " " + m.stage(), m, (a, b) -> new MethodCpu(a.method(), a.stage(),
                    a.cpuSeconds() + b.cpuSeconds(), a.samples() + b.samples()));
        }

        CpuProfile profile(double cpuSeconds, int javaSamples, int nativeSamples, double threadsInNative) {
            List<StageCpu> byStage = new ArrayList<>(stages.values());
            byStage.removeIf(s -> s.cpuSeconds() <= 0);
            List<MethodCpu> byCpu = new ArrayList<>(methods.values());
            byCpu.sort(Comparator.comparingDouble(MethodCpu::cpuSeconds).reversed()
                    .thenComparing(MethodCpu::method).thenComparing(MethodCpu::stage));
            return new CpuProfile(cpuSeconds, byStage, byCpu, javaSamples, nativeSamples, threadsInNative);
        }
    }
}
