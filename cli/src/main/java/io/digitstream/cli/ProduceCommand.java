package io.digitstream.cli;

import io.digitstream.classifier.ClassifierConfig;
import io.digitstream.contract.Topics;
import io.digitstream.core.mnist.MnistSplit;
import io.digitstream.producer.ImageFileSource;
import io.digitstream.producer.ImagePublisher;
import io.digitstream.producer.ImageSource;
import io.digitstream.producer.LabelRule;
import io.digitstream.producer.MnistImageSource;
import io.digitstream.producer.PublishPlan;
import io.digitstream.producer.PublishSummary;
import io.digitstream.producer.StdinImageSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "produce",
        mixinStandardHelpOptions = true,
        description = "Publish digit images to " + Topics.IMAGES + " (docs/contract.md): the MNIST "
                + "test or training set with true labels, image files and folders, or one image from standard input; "
                + "at a rate or as fast as possible, for a count or a duration. Idempotent producer; every failed "
                + "image is counted and its reason reported. Exits with 1 when any image failed.",
        footer = {"", "Examples:",
                  "  ./digits produce                                   the 10,000 MNIST test images, labels as headers",
                  "  ./digits produce --rate 500 --duration 1m --repeat",
                  "  ./digits produce --withhold-labels --label-delay 5s   labels later, to " + Topics.LABELS,
                  "  ./digits produce scans/ --labels-from folder        scans/7/*.png are 7s",
                  "  ./digits produce img_3.png --labels-from file-name",
                  "  ./digits produce - < digit.png                     one image from standard input",
                  "  ./digits produce --bootstrap-servers kafka:9092 --config client.properties --count 100"})
final class ProduceCommand implements Callable<Integer> {

    enum Mnist { test, train }

    enum LabelsFrom { none, folder, file_name }

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Image files or folders (walked recursively; PNG, JPEG, BMP, GIF, or .raw with 784 bytes), "
                    + "or - for one image from standard input. Without any, the MNIST set of --mnist.")
    List<String> paths = List.of();

    @Option(names = "--mnist", paramLabel = "SPLIT", defaultValue = "test",
            description = "MNIST split to send when no PATH is given: test or train (default: ${DEFAULT-VALUE}).")
    Mnist mnist;

    @Option(names = "--labels-from", paramLabel = "WHERE", defaultValue = "none",
            converter = LabelsFromConverter.class,
            description = "For files: none, folder (a parent folder named 7/) or file-name (img_7.png) "
                    + "(default: ${DEFAULT-VALUE}).")
    LabelsFrom labelsFrom;

    @Option(names = "--rate", paramLabel = "IMAGES_PER_S", defaultValue = "0",
            description = "Images per second; 0 sends as fast as the broker takes them (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
            description = "Stop after N images; 0 for the whole source (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long: 30s, 5m, PT1H (default: no limit).")
    Duration duration = Duration.ZERO;

    @Option(names = "--repeat", description = "Start the source again when it ends (ids get a #<round> suffix); "
            + "needs --count or --duration.")
    boolean repeat;

    @Option(names = "--withhold-labels", description = "Send known labels later to the labels topic instead of as "
            + "a header, to exercise the classifier's late-label join.")
    boolean withholdLabels;

    @Option(names = "--label-delay", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "2s", description = "How long after its image a withheld label is sent (default: "
            + "${DEFAULT-VALUE}).")
    Duration labelDelay;

    @Option(names = "--no-progress", description = "No progress bar (for logs and scripts).")
    boolean noProgress;

    @Mixin
    KafkaConnectionOptions connection;

    @Mixin
    DataOptions data;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ClassifierConfig config = connection.config();
        PublishPlan plan = new PublishPlan(config.inputTopic(), config.labelsTopic(), rate, count, duration,
                withholdLabels, labelDelay, repeat);
        ImageSource source = source(config);
        Map<String, Object> client = config.clientProperties();
        BrokerCheck.requireReachable(client, Duration.ofSeconds(10));
        out.printf(Locale.ROOT, "Publishing %s to %s on %s%s.%n", source.description(), config.inputTopic(),
                config.bootstrapServers(), rate > 0 ? String.format(Locale.ROOT, " at %.0f images/s", rate) : "");
        out.flush();
        // Ctrl-C: stop sending, and print the summary of what was sent before the JVM exits
        try (ImagePublisher publisher = new ImagePublisher(client);
             StopOnShutdown ctrlC = new StopOnShutdown("produce-stop", publisher::stop)) {
            PublishSummary summary;
            try (ProgressBar bar = noProgress ? null : progressBar(source)) {
                summary = publisher.publish(source, plan, (attempted, sent, failed) -> {
                    if (bar != null) {
                        bar.stepTo(attempted);
                        bar.setExtraMessage(failed > 0 ? failed + " failed" : "");
                    }
                });
            }
            // publish() flushed before it returned: the counts are final
            printSummary(out, summary);
            return summary.failed() + summary.labelsFailed() > 0 ? 1 : 0;
        }
    }

    private ImageSource source(ClassifierConfig config) throws Exception {
        long maxBytes = config.maxImageBytes();
        if (paths.equals(List.of("-"))) {
            return new StdinImageSource(System.in, "stdin-" + UUID.randomUUID(), null, maxBytes);
        }
        if (paths.contains("-")) {
            throw new IllegalArgumentException("'-' (standard input) cannot be mixed with files");
        }
        if (!paths.isEmpty()) {
            LabelRule rule = switch (labelsFrom) {
                case folder -> LabelRule.FOLDER;
                case file_name -> LabelRule.FILE_NAME;
                default -> LabelRule.NONE;
            };
            return ImageFileSource.of(paths.stream().map(Path::of).toList(), rule, maxBytes);
        }
        MnistSplit split = mnist == Mnist.train ? MnistSplit.TRAIN : MnistSplit.TEST;
        return new MnistImageSource(data.fetchedCache().load(split), "mnist-" + mnist,
                "the MNIST " + mnist + " set (" + split + ")");
    }

    private ProgressBar progressBar(ImageSource source) {
        long max = count > 0 ? count : repeat ? -1 : source.size();
        return new ProgressBarBuilder().setTaskName("produce").setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500).showSpeed().setUnit(" img", 1).build();
    }

    private static void printSummary(PrintWriter out, PublishSummary s) {
        out.printf(Locale.ROOT, "Sent %,d image(s), %,d failed, in %.1f s: %,.0f images/s.%n", s.sent(), s.failed(),
                s.elapsed().toMillis() / 1000.0, s.imagesPerSecond());
        if (s.labelsSent() + s.labelsFailed() > 0) {
            out.printf(Locale.ROOT, "Withheld labels sent later: %,d, failed: %,d.%n", s.labelsSent(),
                    s.labelsFailed());
        }
        s.errors().forEach((reason, n) -> out.printf(Locale.ROOT, "  failed %,d x: %s%n", n, reason));
        out.flush();
    }


    /** Accepts file-name and file_name. */
    static final class LabelsFromConverter implements picocli.CommandLine.ITypeConverter<LabelsFrom> {
        @Override
        public LabelsFrom convert(String value) {
            return LabelsFrom.valueOf(value.strip().replace('-', '_'));
        }
    }
}
