package io.digitstream.benchmarks;

/**
 * What one classifier instance of a phase did in the phase's window.
 *
 * @param instance   its number, from 1
 * @param cpuSeconds its user plus system CPU time in the window; NaN when the operating system does not tell
 * @param images     images it classified in the window (its {@code digits_inference_seconds} count); NaN when its
 *                   /metrics did not answer, or for the bare application
 * @param peakRssKb  its largest resident memory over the phase (sampled VmRSS or the kernel's VmHWM), KiB
 */
public record InstanceResult(int instance, double cpuSeconds, double images, long peakRssKb) {

    /** Its CPU in cores over a window of {@code windowSeconds}. */
    public double cores(double windowSeconds) {
        return cpuSeconds / windowSeconds;
    }

    /** Its CPU per image it classified, microseconds; NaN without images. */
    public double microsPerImage() {
        return images > 0 ? 1e6 * cpuSeconds / images : Double.NaN;
    }
}
