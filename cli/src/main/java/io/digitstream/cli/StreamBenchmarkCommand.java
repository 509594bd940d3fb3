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
                + "Runtime ceiling (batch 1 and batched); a bare Kafka Streams application (identity mapValues, the "
                + "classifier's Kafka Streams settings) as the pipeline's ceiling; throughput through Kafka "
                + "(produce -> classify -> prediction consumed) with a pass-through in the model's place and with "
                + "the model, exactly-once and at-least-once; latency p50/p99 at a fixed rate; CPU per image of the "
                + "child JVM and of this one; the classifier's resident memory. Each phase is measured in its "
                + "steady state: after warm-up images, and over a window that leaves out the load's first seconds. "
                + "A local broker, the producer and the consumer run in this JVM; each application under test runs "
                + "in a child JVM. Prints a Markdown table and writes it to --report. --instances runs the model "
                + "phases with several classifier instances of one application (a scale-out run); --labelled checks "
                + "their accuracy records and gauges against the offline counts; --profile records a JDK Flight "
                + "Recorder profile of the classifier and reports its CPU per stage.",
        footer = {"", "Examples:", "  ./digits benchmark stream",
                  "  ./digits benchmark stream --min-seconds 60 --warmup-seconds 10",
                  "  ./digits benchmark stream --min-seconds 1 --min-images 500 --warmup-seconds 0 "
                          + "--latency-seconds 2 --rounds 1   (a smoke run)",
                  "  ./digits benchmark stream --set streams.num.stream.threads=1",
                  "  ./digits benchmark stream --instances 3 --labelled --min-seconds 20 --min-images 30000",
                  "  ./digits benchmark stream --profile target/profile   (then open the .jfr files in JDK Mission "
                          + "Control, or read the per-stage tables)"})
final class StreamBenchmarkCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Mixin
    DataOptions data;

    @Option(names = "--min-seconds", paramLabel = "S",
            defaultValue = "" + StreamBenchmarkSettings.DEFAULT_MIN_SECONDS,
            description = "Each full-load phase is measured over at least S seconds after its warm-up cut "
                    + "(default: ${DEFAULT-VALUE}).")
    int minSeconds;

    @Option(names = "--min-images", paramLabel = "N",
            defaultValue = "" + StreamBenchmarkSettings.DEFAULT_MIN_IMAGES,
            description = "Each full-load phase's window also holds at least N predictions (MNIST test images "
                    + "repeated with unique ids; default: ${DEFAULT-VALUE}).")
    int minImages;

    @Option(names = {"--warmup-images", "--warmup"}, paramLabel = "N",
            defaultValue = "" + StreamBenchmarkSettings.DEFAULT_WARMUP_IMAGES,
            description = "Images each child JVM classifies completely before its phase's load starts "
                    + "(default: ${DEFAULT-VALUE}).")
    int warmupImages;

    @Option(names = "--warmup-seconds", paramLabel = "S",
            defaultValue = "" + StreamBenchmarkSettings.DEFAULT_WARMUP_SECONDS,
            description = "The first S seconds of each phase's load, left out of its images/s, CPU and latency "
                    + "(default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "" + StreamBenchmarkSettings.DEFAULT_LATENCY_RATE,
            description = "Offered images/s in the latency phases (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--latency-seconds", paramLabel = "S",
            defaultValue = "" + StreamBenchmarkSettings.DEFAULT_LATENCY_SECONDS,
            description = "Measured length of each latency phase, after its warm-up cut (default: ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "" + StreamBenchmarkSettings.DEFAULT_RAW_ROUNDS,
            description = "Rounds of the raw inference passes (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--heap", paramLabel = "SIZE", defaultValue = "256m",
            description = "Heap cap (-Xmx) of the child JVMs (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--jvm-option", paramLabel = "OPTION",
            description = "One more JVM option for the child JVMs, e.g. -XX:+UseSerialGC (repeatable).")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A classifier setting for every child JVM, as in serve --config, e.g. "
                    + "streams.num.stream.threads=1 (the bare Kafka Streams application takes the streams.* ones); "
                    + "without it they run with serve's defaults.")
    Map<String, String> set = new HashMap<>();

    @Option(names = "--instances", paramLabel = "N", defaultValue = "1",
            description = "Classifier instances (child JVMs of one application: same application id and topics, a "
                    + "state directory each) in every model phase; the bare and pass-through phases run one "
                    + "(default: ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions of every topic (default: " + StreamBenchmarkSettings.DEFAULT_PARTITIONS
                    + ", or " + StreamBenchmarkSettings.SCALE_OUT_PARTITIONS + " with more than one instance).")
    Integer partitions;

    @Option(names = "--labelled",
            description = "Send every image with its label: the classifier counts accuracy, and each model phase "
                    + "checks the accuracy records and gauges against the model's answers offline.")
    boolean labelled;

    @Option(names = "--profile", paramLabel = "DIR",
            description = "Record a JDK Flight Recorder profile of the classifier in the full-load exactly-once "
                    + "pass-through and model phases into DIR (kept: open them in JDK Mission Control), and report "
                    + "where its CPU went in the measured window, per stage, and its hot methods.")
    Path profile;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Where the Markdown report goes (default: target/stream-benchmark.md under the project).")
    Path report;

    @Override
    public Integer call() throws IOException, InterruptedException {
        MnistDataset test = data.fetchedCache().load(MnistSplit.TEST);
        Path work = Files.createTempDirectory("digits-stream-benchmark");
        StreamBenchmarkReport result;
        try {
            StreamBenchmarkSettings.Lengths lengths = new StreamBenchmarkSettings.Lengths(warmupImages,
                    Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(minSeconds), minImages,
                    Duration.ofSeconds(latencySeconds));
            StreamBenchmarkSettings settings = new StreamBenchmarkSettings(model.file, lengths, rate, rounds, set,
                    childJvmOptions(), work)
                    .withInstances(instances, partitions != null ? partitions
                            : StreamBenchmarkSettings.defaultPartitions(instances))
                    .withLabelledImages(labelled);
            if (profile != null) {
                settings = settings.withProfile(profile.toAbsolutePath());
            }
            result = StreamBenchmark.run(settings, test, System.out);
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
        return StreamBenchmarkSettings.childJvmOptions(heap, jvmOptions);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
