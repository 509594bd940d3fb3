package io.digitstream.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JDK Flight Recorder recording of a child JVM, made for {@link CpuProfile}: the JVM options that start it, and
 * reading back what it saw of each thread in a window. JFR's {@code profile} settings, with three periods set:
 * Java samples every {@value #JAVA_PERIOD_MS} ms; native samples every {@value #NATIVE_PERIOD_MS} ms, on purpose not a
 * multiple of the Java period (when both samplers run at the same instant, the native one finds a thread that the
 * Java one has just stopped and resumed still in Java, and misses its native work); each thread's CPU load every
 * second, so that a 20 s window has twenty readings. Stacks are kept 256 frames deep (Kafka Streams' are deep; 64,
 * the default, would cut some off at their root). The recording is written when the JVM exits.
 */
final class ProfileRecording {

    static final int JAVA_PERIOD_MS = 10;
    static final int NATIVE_PERIOD_MS = 13;
    static final Duration CPU_LOAD_PERIOD = Duration.ofSeconds(1);
    static final int STACK_DEPTH = 256;

    private static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";
    private static final String NATIVE_METHOD_SAMPLE = "jdk.NativeMethodSample";
    private static final String THREAD_CPU_LOAD = "jdk.ThreadCPULoad";

    private ProfileRecording() {
    }

    /** The options that make a JVM record its profile to {@code file} (a path without commas) until it exits. */
    static List<String> jvmOptions(Path file) {
        String path = file.toAbsolutePath().toString();
        if (path.contains(",")) {
            throw new IllegalArgumentException("JFR cannot be given a file name with a comma: " + path);
        }
        return List.of("-XX:FlightRecorderOptions:stackdepth=" + STACK_DEPTH,
                "-XX:StartFlightRecording:settings=profile,dumponexit=true,filename=" + path
                        + "," + EXECUTION_SAMPLE + "#period=" + JAVA_PERIOD_MS + "ms"
                        + "," + NATIVE_METHOD_SAMPLE + "#period=" + NATIVE_PERIOD_MS + "ms"
                        + "," + THREAD_CPU_LOAD + "#period=" + CPU_LOAD_PERIOD.toSeconds() + "s");
    }

    /**
     * The profile of the window {@code [from, to]} of the recording in {@code file}.
     *
     * @param processCpuSeconds the process's CPU time in the window, from the operating system (NaN if unknown)
     * @param processors        the processors the JVM saw: JFR gives each thread's CPU as a share of all of them
     */
    static CpuProfile profile(Path file, Instant from, Instant to, double processCpuSeconds, int processors)
            throws IOException {
        return CpuProfile.of(threads(file, from, to, processors), processCpuSeconds, JAVA_PERIOD_MS / 1e3,
                NATIVE_PERIOD_MS / 1e3);
    }

    /** What the recording saw of each Java thread in the window: its CPU time and its samples. */
    static List<ThreadSamples> threads(Path file, Instant from, Instant to, int processors) throws IOException {
        Map<Long, ThreadLog> threads = new HashMap<>();
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                String type = event.getEventType().getName();
                switch (type) {
                    case EXECUTION_SAMPLE, NATIVE_METHOD_SAMPLE -> {
                        Instant at = event.getStartTime();
                        RecordedThread thread = event.getThread("sampledThread");
                        if (thread == null || at.isBefore(from) || at.isAfter(to)) {
                            continue;
                        }
                        boolean inNative = type.equals(NATIVE_METHOD_SAMPLE);
                        ThreadSamples.Sample sample = ThreadSamples.Sample.of(frames(event.getStackTrace()), inNative);
                        ThreadLog log = threads.computeIfAbsent(thread.getJavaThreadId(), id -> new ThreadLog());
                        log.name = name(thread);
                        (inNative ? log.nativeSamples : log.javaSamples).add(sample);
                    }
                    case THREAD_CPU_LOAD -> {
                        RecordedThread thread = event.getThread();
                        if (thread == null) {
                            continue;
                        }
                        ThreadLog log = threads.computeIfAbsent(thread.getJavaThreadId(), id -> new ThreadLog());
                        log.name = name(thread);
                        double share = event.getFloat("user") + event.getFloat("system");
                        log.loads.add(new Load(event.getStartTime(), share));
                    }
                    default -> {
                        // not part of the CPU profile
                    }
                }
            }
        }
        NavigableSet<Instant> ticks = new TreeSet<>();
        threads.values().forEach(log -> log.loads.forEach(load -> ticks.add(load.at())));
        List<ThreadSamples> result = new ArrayList<>();
        for (ThreadLog log : threads.values()) {
            result.add(new ThreadSamples(log.name, cpuSeconds(log.loads, ticks, from, to, processors),
                    log.javaSamples, log.nativeSamples));
        }
        return result;
    }

    /** One {@code jdk.ThreadCPULoad}: the thread's CPU as a share of all processors since the reading before. */
    record Load(Instant at, double share) {
    }

    /**
     * A thread's CPU seconds in {@code [from, to]} from its load readings. JFR reads every thread's CPU at each tick
     * of the period but records nothing for a thread that used none since the tick before, so a reading covers the
     * time since the previous tick of <em>any</em> thread ({@code ticks}: the times of all readings; the first tick,
     * {@link #CPU_LOAD_PERIOD}), not since that thread's previous reading; it counts for the part of that time inside
     * the window.
     */
    static double cpuSeconds(List<Load> loads, NavigableSet<Instant> ticks, Instant from, Instant to,
                             int processors) {
        double seconds = 0;
        for (Load load : loads) {
            Instant tickBefore = ticks.lower(load.at());
            Instant start = tickBefore != null ? tickBefore : load.at().minus(CPU_LOAD_PERIOD);
            Instant overlapStart = start.isAfter(from) ? start : from;
            Instant overlapEnd = load.at().isBefore(to) ? load.at() : to;
            if (overlapEnd.isAfter(overlapStart)) {
                seconds += load.share() * processors * Duration.between(overlapStart, overlapEnd).toNanos() / 1e9;
            }
        }
        return seconds;
    }

    private static List<SampledFrame> frames(RecordedStackTrace stack) {
        if (stack == null) {
            return List.of();
        }
        List<SampledFrame> frames = new ArrayList<>(stack.getFrames().size());
        for (RecordedFrame frame : stack.getFrames()) {
            frames.add(new SampledFrame(frame.getMethod().getType().getName(), frame.getMethod().getName()));
        }
        return frames;
    }

    private static String name(RecordedThread thread) {
        return thread.getJavaName() != null ? thread.getJavaName() : String.valueOf(thread.getOSName());
    }

    /** What the reader gathers about one thread. */
    private static final class ThreadLog {
        String name = "?";
        final List<ThreadSamples.Sample> javaSamples = new ArrayList<>();
        final List<ThreadSamples.Sample> nativeSamples = new ArrayList<>();
        final List<Load> loads = new ArrayList<>();
    }
}
