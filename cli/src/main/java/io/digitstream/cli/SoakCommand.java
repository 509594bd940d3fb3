package io.digitstream.cli;

import io.digitstream.benchmarks.Soak;
import io.digitstream.benchmarks.SoakReport;
import io.digitstream.benchmarks.SoakSettings;
import io.digitstream.benchmarks.StreamBenchmarkSettings;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSplit;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Model.CommandSpec;

@Command(
        name = "soak",
        mixinStandardHelpOptions = true,
        description = "Run the classifier for minutes under a steady load and check that nothing leaks or slips: "
                + "labelled MNIST images mixed with hostile records (huge and control-character keys, non-UTF-8 "
                + "keys, long JSON ids, empty, text, truncated and blank PNGs, bad JSON, bad labels, too-large "
                + "values), the classifier in a child JVM with the container's heap flags. Prints its RSS, heap, "
                + "threads and images/s as it goes, then the exactly-once accounting: each image once in the "
                + "predictions, each hostile record once in the dead letters with its reason (read_committed), and "
                + "the RSS growth after the warm-up (a quarter of the run). Exits 1 when anything was lost or "
                + "duplicated or the classifier died. Starts its own broker unless --bootstrap-servers is given; "
                + "topics are the run's own.",
        footer = {"", "Examples:", "  ./digits soak                                   (10 minutes at 500 records/s)",
                  "  ./digits soak --duration 1h --rate 200",
                  "  ./digits soak --duration 2m --hostile-share 0.05 --hostile-budget 1m",
                  "  ./digits soak --bootstrap-servers 127.0.0.1:9092   (your broker; soak-* topics)"})
final class SoakCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Mixin
    DataOptions data;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "How long the load runs: 30s, 10m, 1h or PT10M (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "500",
            description = "Records offered per second, hostile ones included (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--hostile-share", paramLabel = "FRACTION", defaultValue = "0.015",
            description = "Share of the records that are hostile (default: ${DEFAULT-VALUE}).")
    double hostileShare;

    @Option(names = "--hostile-budget", paramLabel = "BYTES", defaultValue = "256k", converter = ByteSize.class,
            description = "Bytes per second, on average, of the large hostile records (600 KB keys, 9 MiB values); "
                    + "the small ones go whenever their turn comes (default: ${DEFAULT-VALUE}).")
    long hostileBudget;

    @Option(names = "--sample-interval", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "How often RSS, heap, threads and images/s are sampled (default: ${DEFAULT-VALUE}).")
    Duration sampleInterval;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...",
            description = "A broker to run on (plaintext) instead of an embedded one.")
    String bootstrapServers;

    @Option(names = "--heap", paramLabel = "SIZE", defaultValue = "256m",
            description = "Heap cap (-Xmx) of the classifier JVM (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--jvm-option", paramLabel = "OPTION",
            description = "One more JVM option for the classifier, e.g. -XX:+UseSerialGC (repeatable).")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A classifier setting, as in serve --config, e.g. streams.num.stream.threads=1.")
    Map<String, String> set = new HashMap<>();

    @Option(names = "--report", paramLabel = "FILE",
            description = "Where the Markdown report goes (default: target/soak.md under the project).")
    Path report;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        MnistDataset test = data.fetchedCache().load(MnistSplit.TEST);
        // the classifier container's flags that matter here (deploy/README.md), with a heap a deployment would give it
        List<String> jvm = new ArrayList<>(List.of("-XX:+ExitOnOutOfMemoryError"));
        jvm.addAll(jvmOptions);
        jvm = StreamBenchmarkSettings.childJvmOptions(heap, jvm);
        Path work = Files.createTempDirectory("digits-soak");
        PrintWriter out = spec.commandLine().getOut();
        SoakReport result;
        try {
            result = Soak.run(new SoakSettings(model.file, duration, rate, hostileShare, hostileBudget,
                    sampleInterval, Optional.ofNullable(bootstrapServers), set, jvm, work), test, out);
        } catch (IOException | RuntimeException | InterruptedException e) {
            spec.commandLine().getErr().println("the soak's broker data and classifier log are kept in " + work);
            throw e;
        }
        Path file = report != null ? report : ProjectPaths.home().resolve("target").resolve("soak.md");
        result.writeMarkdown(file);
        out.println();
        out.print(result.toMarkdown());
        out.println();
        out.println("report written to " + file);
        out.flush();
        if (result.passed()) {
            deleteRecursively(work);
            return 0;
        }
        out.println("the broker data and the classifier log are kept in " + work);
        out.flush();
        return 1;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Sizes as people type them: 262144, 256k, 1m. */
    static final class ByteSize implements ITypeConverter<Long> {

        private static final Pattern SIZE = Pattern.compile("(\\d+)([km]?)");

        @Override
        public Long convert(String value) {
            Matcher m = SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new TypeConversionException("'" + value + "' is not a size: use 262144, 256k or 1m");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "k" -> n * 1024;
                case "m" -> n * 1024 * 1024;
                default -> n;
            };
        }
    }
}
