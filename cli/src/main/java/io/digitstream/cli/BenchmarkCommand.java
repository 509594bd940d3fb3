package io.digitstream.cli;

import io.digitstream.benchmarks.RawInferenceBenchmark;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSplit;
import io.digitstream.core.model.OnnxDigitModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "benchmark",
        mixinStandardHelpOptions = true,
        description = "Measure raw ONNX Runtime inference of a model on MNIST test images: batch-1 latency "
                + "(median, p99) and batched throughput, as medians over rounds, plus the process's peak memory. "
                + "Numbers go to docs/benchmarks.md with the machine they ran on.",
        subcommands = StreamBenchmarkCommand.class,
        footer = {"", "Examples:", "  ./digits benchmark", "  ./digits benchmark --threads 2 --rounds 7",
                  "  ./digits benchmark stream          (end to end through Kafka; see its --help)"})
final class BenchmarkCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "ONNX Runtime intra-op threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5", description = "Measured rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--batches", paramLabel = "N", split = ",", defaultValue = "1,16,64,256",
            description = "Batch sizes for the throughput rounds (default: ${DEFAULT-VALUE}).")
    int[] batches;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws IOException {
        MnistDataset test = data.fetchedCache().load(MnistSplit.TEST);
        float[] pixels = RawInferenceBenchmark.normalizedPixels(test);
        System.out.printf(Locale.ROOT, "machine: %d cores, Java %s, %s %s; model %s; %d intra-op thread(s)%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("os.name"), System.getProperty("os.arch"), model.file, threads);
        long loadStart = System.nanoTime();
        try (OnnxDigitModel digitModel = OnnxDigitModel.load(model.file, threads)) {
            System.out.printf(Locale.ROOT, "load: %.1f ms%n", (System.nanoTime() - loadStart) / 1e6);
            // warm-up: first runs allocate and tune
            RawInferenceBenchmark.throughput(digitModel, pixels, test.size(), 64);
            double[] micros = RawInferenceBenchmark.batchOneLatencyMicros(digitModel, pixels, test.size(), 2_000,
                    rounds);
            System.out.printf(Locale.ROOT, "latency batch 1: median %.1f us, p99 %.1f us (%d calls)%n",
                    micros[micros.length / 2], micros[(int) (micros.length * 0.99)], micros.length);
            for (int batch : batches) {
                double[] rates = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    rates[r] = RawInferenceBenchmark.throughput(digitModel, pixels, test.size(), batch);
                }
                System.out.printf(Locale.ROOT, "throughput batch %3d: median %,.0f images/s (min %,.0f, max %,.0f)%n",
                        batch, RawInferenceBenchmark.median(rates), Arrays.stream(rates).min().orElse(0),
                        Arrays.stream(rates).max().orElse(0));
            }
        }
        System.out.println("peak resident memory: " + peakResidentMemory());
        return 0;
    }

    private static String peakResidentMemory() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return "unknown (no /proc)";
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmHWM:"))
                .map(l -> l.substring(6).trim()).findFirst().orElse("unknown");
    }
}
