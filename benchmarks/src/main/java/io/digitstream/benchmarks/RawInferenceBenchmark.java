package io.digitstream.benchmarks;

import io.digitstream.contract.DigitShape;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.model.OnnxDigitModel;
import java.util.Arrays;

/**
 * Raw ONNX Runtime inference measurements over MNIST images held as normalized floats: batch-1 call latency and
 * batched throughput. {@code ./digits benchmark} and the stream benchmark's ceiling both use these, so the two report
 * the same thing.
 */
public final class RawInferenceBenchmark {

    private RawInferenceBenchmark() {
    }

    /** All images of {@code images} as 0..1 floats, one after another (784 per image). */
    public static float[] normalizedPixels(MnistDataset images) {
        float[] pixels = new float[images.size() * DigitShape.PIXELS];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.normalizedImage(i), 0, pixels, i * DigitShape.PIXELS, DigitShape.PIXELS);
        }
        return pixels;
    }

    /**
     * Batch-1 calls over the first {@code calls} images, {@code rounds} times.
     *
     * @return the per-call latencies of all rounds pooled, in microseconds, sorted
     */
    public static double[] batchOneLatencyMicros(OnnxDigitModel model, float[] pixels, int images, int calls,
                                                 int rounds) {
        int perRound = Math.min(calls, images);
        double[] micros = new double[perRound * rounds];
        float[] one = new float[DigitShape.PIXELS];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < perRound; i++) {
                System.arraycopy(pixels, i * DigitShape.PIXELS, one, 0, DigitShape.PIXELS);
                long start = System.nanoTime();
                model.predict(one);
                micros[r * perRound + i] = (System.nanoTime() - start) / 1e3;
            }
        }
        Arrays.sort(micros);
        return micros;
    }

    /**
     * One pass over all {@code images} in batches of {@code batch}, each image with its not-a-digit score as the
     * classifier asks for it ({@link OnnxDigitModel#predictions}: for a model whose score is in its graph, the score's
     * nodes run too); returns images per second.
     */
    public static double throughput(OnnxDigitModel model, float[] pixels, int images, int batch) {
        long start = System.nanoTime();
        for (int from = 0; from < images; from += batch) {
            int count = Math.min(batch, images - from);
            float[] slice = Arrays.copyOfRange(pixels, from * DigitShape.PIXELS,
                    (from + count) * DigitShape.PIXELS);
            model.predictions(slice, count);
        }
        return images / ((System.nanoTime() - start) / 1e9);
    }

    /** The median of {@code rounds} throughput passes. */
    public static double medianThroughput(OnnxDigitModel model, float[] pixels, int images, int batch, int rounds) {
        double[] rates = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            rates[r] = throughput(model, pixels, images, batch);
        }
        return median(rates);
    }

    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
