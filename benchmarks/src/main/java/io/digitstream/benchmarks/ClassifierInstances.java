package io.digitstream.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The child JVMs of one phase: one, or several instances of one application (same application id, same topics)
 * among which Kafka Streams spreads the tasks. Figures of the phase are their sums; {@link #close()} stops them all.
 */
final class ClassifierInstances implements AutoCloseable {

    private final List<ClassifierProcess> processes;

    /** Takes over {@code processes}: closing this closes them. */
    ClassifierInstances(List<ClassifierProcess> processes) {
        if (processes.isEmpty()) {
            throw new IllegalArgumentException("a phase needs a child JVM");
        }
        this.processes = List.copyOf(processes);
    }

    List<ClassifierProcess> processes() {
        return processes;
    }

    int size() {
        return processes.size();
    }

    /** Whether every instance still runs: one that exits fails the phase. */
    boolean isAlive() {
        return processes.stream().allMatch(ClassifierProcess::isAlive);
    }

    /** The CPU seconds of all instances; NaN when the operating system does not tell. */
    double cpuSeconds() {
        return processes.stream().mapToDouble(ClassifierProcess::cpuSeconds).sum();
    }

    /** Each instance's CPU seconds so far, in order. */
    double[] cpuSecondsEach() {
        return processes.stream().mapToDouble(ClassifierProcess::cpuSeconds).toArray();
    }

    /** Each instance's inference timer, in order; empty where unreadable (or for the bare application). */
    List<Optional<ClassifierProcess.TimerReading>> inferenceTimers() {
        return processes.stream().map(ClassifierProcess::inferenceTimer).toList();
    }

    /** All instances' inference timers added up; empty if one of them is unreadable. */
    static Optional<ClassifierProcess.TimerReading> total(List<Optional<ClassifierProcess.TimerReading>> timers) {
        if (timers.stream().anyMatch(Optional::isEmpty)) {
            return Optional.empty();
        }
        return Optional.of(new ClassifierProcess.TimerReading(
                timers.stream().mapToDouble(t -> t.orElseThrow().seconds()).sum(),
                timers.stream().mapToDouble(t -> t.orElseThrow().count()).sum()));
    }

    /**
     * Waits until every instance answers ready ({@code /health/ready}: Kafka Streams running), all at once: then the
     * group has settled the tasks among them. Fails when one exits or the time is up.
     */
    void awaitAllReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!processes.stream().allMatch(ClassifierProcess::ready)) {
            if (!isAlive()) {
                throw new IllegalStateException("a classifier instance exited while starting: " + exitStatus());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the classifier instances were not all ready within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    /** How each instance is, for error messages. */
    String exitStatus() {
        if (processes.size() == 1) {
            return processes.get(0).exitStatus();
        }
        List<String> each = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            each.add("instance " + (i + 1) + ": " + processes.get(i).exitStatus());
        }
        return String.join(", ", each);
    }

    /** The last {@code lines} lines of each instance's log. */
    String logTail(int lines) {
        return processes.stream().map(p -> "--- last lines of " + p.log() + " ---\n" + p.logTail(lines))
                .collect(Collectors.joining("\n"));
    }

    /** Stops all at once (SIGTERM to each first), so that none rebalances onto the ones still closing for long. */
    @Override
    public void close() {
        processes.forEach(ClassifierProcess::requestStop);
        processes.forEach(ClassifierProcess::close);
    }
}
