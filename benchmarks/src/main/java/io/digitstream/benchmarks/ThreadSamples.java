package io.digitstream.benchmarks;

import java.util.List;

/**
 * What a profile saw of one Java thread in the measured window: the CPU time it used, and its samples.
 *
 * @param cpuSeconds    user plus system CPU time of the thread in the window
 * @param javaSamples   samples taken while it ran Java code ({@code jdk.ExecutionSample})
 * @param nativeSamples samples taken while it was in a native method ({@code jdk.NativeMethodSample}), waiting ones
 *                      included
 */
record ThreadSamples(String name, double cpuSeconds, List<Sample> javaSamples, List<Sample> nativeSamples) {

    /** One sample, reduced to what the profile reports: its stage, its top frame, and whether the thread waited. */
    record Sample(ProfileStage stage, String topMethod, boolean waiting) {

        /** A sample of the stack {@code topFirst}; a Java sample never waits. */
        static Sample of(List<SampledFrame> topFirst, boolean inNative) {
            if (topFirst.isEmpty()) {
                return new Sample(ProfileStage.OTHER, "(no frames)", false);
            }
            SampledFrame top = topFirst.get(0);
            return new Sample(StageRules.stageOf(topFirst), top.qualifiedName(), inNative && StageRules.isWaiting(top));
        }
    }

    ThreadSamples {
        javaSamples = List.copyOf(javaSamples);
        nativeSamples = List.copyOf(nativeSamples);
    }
}
