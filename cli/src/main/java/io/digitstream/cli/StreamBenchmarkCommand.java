package io.digitstream.cli;

import io.digitstream.benchmarks.StreamBenchmark;
import io.digitstream.benchmarks.StreamBenchmarkReport;
import io.digitstream.benchmarks.StreamBenchmarkSettings;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSplit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "stream",
        mixinStandardHelpOptions = true,
        description = "Measure the stream classifier end to end on this machine, in one run: the model's raw ONNX "
                + "Runtime ceiling (batch 1 and batched), throughput through Kafka (produce -> classify -> "
                + "prediction consumed) with the model and with a pass-through instead of it, latency p50/p99 at a "
                + "fixed rate under exactly-once and at-least-once, and the classifier's resident memory. A local "
                + "broker, the producer and the consumer run in this JVM; each classifier runs in a child JVM. "
                + "Prints a Markdown table and writes it to --report.",
        footer = {"", "Examples:", "  ./digits benchmark stream",
                  "  ./digits benchmark stream --images 20000 --latency-seconds 10",
                  "  ./digits benchmark stream --set streams.num.stream.threads=1"})
final class StreamBenchmarkCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Mixin
    DataOptions data;

    @Option(names = "--images", paramLabel = "N", defaultValue = "20000",
            description = "Images per throughput phase, MNIST test images repeated with unique ids "
                    + "(default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "3000",
            description = "Images each classifier classifies before it is measured (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "1000",
            description = "Offered images/s in the latency phases (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--latency-seconds", paramLabel = "S", defaultValue = "15",
            description = "Length of each latency phase (default: ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
            description = "Rounds of the raw inference passes (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--heap", paramLabel = "SIZE", defaultValue = "256m",
            description = "Heap cap (-Xmx) of the classifier JVMs (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--jvm-option", paramLabel = "OPTION",
            description = "One more JVM option for the classifier JVMs, e.g. -XX:+UseSerialGC (repeatable).")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A classifier setting for both classifiers, as in serve --config, e.g. "
                    + "streams.num.stream.threads=1; without it the classifiers run with serve's defaults.")
    Map<String, String> set = new HashMap<>();

    @Option(names = "--report", paramLabel = "FILE",
            description = "Where the Markdown report goes (default: target/stream-benchmark.md under the project).")
    Path report;

    @Override
    public Integer call() throws IOException, InterruptedException {
        MnistDataset test = data.fetchedCache().load(MnistSplit.TEST);
        Path work = Files.createTempDirectory("digits-stream-benchmark");
        StreamBenchmarkReport result;
        try {
            result = StreamBenchmark.run(new StreamBenchmarkSettings(model.file, images, warmup, rate,
                    Duration.ofSeconds(latencySeconds), rounds, set, childJvmOptions(), work), test,
                    System.out);
        } catch (IOException | RuntimeException | InterruptedException e) {
            System.err.println("the benchmark's broker data and classifier logs are kept in " + work);
            throw e;
        }
        deleteRecursively(work);
        Path file = report != null ? report : ProjectPaths.home().resolve("target").resolve("stream-benchmark.md");
        result.writeMarkdown(file);
        System.out.println();
        System.out.print(result.toMarkdown());
        System.out.println();
        System.out.println("report written to " + file);
        return 0;
    }

    private List<String> childJvmOptions() {
        List<String> options = new ArrayList<>(List.of("-Xmx" + heap));
        options.addAll(jvmOptions);
        return options;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
