package io.digitstream.benchmarks;

import java.time.Duration;
import java.util.Optional;

/**
 * CPU time (user plus system) a process has used since it started, as the operating system counts it: on Linux
 * {@code /proc/<pid>/stat} read through {@link ProcessHandle.Info}, in clock ticks (10 ms). The one way the benchmark
 * and the soak read CPU, for the child JVMs and for the harness's own JVM alike.
 */
final class ProcessCpu {

    private ProcessCpu() {
    }

    static Optional<Duration> time(ProcessHandle process) {
        return process.info().totalCpuDuration();
    }

    /** {@link #time} in seconds; NaN when the operating system does not tell. */
    static double seconds(ProcessHandle process) {
        return time(process).map(cpu -> cpu.toNanos() / 1e9).orElse(Double.NaN);
    }
}
