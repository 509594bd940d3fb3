package io.digitstream.cli;

import io.digitstream.classifier.ClassifierConfig;
import io.digitstream.cli.demo.DemoResult;
import io.digitstream.cli.demo.StreamingDemo;
import io.digitstream.contract.ClassificationReport;
import io.digitstream.contract.ConfusionMatrix;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSplit;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "The whole pipeline on this machine: a local Kafka broker, the stream classifier with the "
                + "shipped model, and a producer streaming the MNIST test images with their labels. Shows live what "
                + "was sent, predicted and dead-lettered, the throughput and the running accuracy; at the end the "
                + "accuracy (equal to the model's offline test accuracy), the confusion matrix and the classification "
                + "report. Everything it starts is stopped and removed on exit and on Ctrl-C. With --bootstrap-servers "
                + "(or KAFKA_BOOTSTRAP_SERVERS, or bootstrap.servers in --config) it runs on that cluster instead of a "
                + "local broker, with the security settings and topic names of --config; only the predictions of its "
                + "own images are counted there.",
        footer = {"", "Examples:", "  ./digits demo", "  ./digits demo --rate 500 --count 2000",
                  "  ./digits demo --keep-running      then: curl -s 127.0.0.1:8080/metrics | grep digits_",
                  "  ./digits demo --bootstrap-servers kafka:9093 --config client.properties --count 1000"})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--count", paramLabel = "N", defaultValue = "10000",
            description = "Test images to stream, at most 10,000 (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--rate", paramLabel = "IMAGES_PER_S", defaultValue = "2000",
            description = "Images per second; 0 for as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9092",
            description = "Port of the demo's local Kafka broker on 127.0.0.1; 0 picks a free one "
                    + "(default: ${DEFAULT-VALUE}; unused on an existing cluster).")
    int brokerPort;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "8080",
            description = "Port of the classifier's /metrics; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--keep-running", description = "After the run, keep the broker and the classifier up "
            + "(for kcat, ./digits tail and /metrics) until Ctrl-C.")
    boolean keepRunning;

    @Mixin
    KafkaConnectionOptions connection;

    @Mixin
    ModelOption model;

    @Mixin
    DataOptions data;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (count < 1) {
            throw new IllegalArgumentException("--count must be at least 1: " + count);
        }
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> kafka = connection.settings(System.getenv());
        ClassifierConfig.fromMap(kafka); // a bad setting is refused before MNIST is read or anything starts
        if (!kafka.containsKey(ClassifierConfig.KEY_BOOTSTRAP_SERVERS)) {
            LocalBroker.requireInstalled();
        }
        MnistDataset test = data.fetchedCache().load(MnistSplit.TEST);
        int images = Math.min(count, test.size());
        StreamingDemo.Settings settings = new StreamingDemo.Settings(model.file, test, images, rate, brokerPort,
                metricsPort, Duration.ofMinutes(2), kafka);
        out.printf(Locale.ROOT, "Starting %s and the classifier (%s), then streaming %,d labelled MNIST test "
                + "images%s.%n", settings.existingCluster() ? "on Kafka at "
                        + kafka.get(ClassifierConfig.KEY_BOOTSTRAP_SERVERS) : "a local Kafka broker", model.file,
                images, rate > 0 ? String.format(Locale.ROOT, " at %,.0f images/s", rate) : " as fast as possible");
        StreamingDemo demo = new StreamingDemo(settings);
        demo.brokerLog().ifPresent(log -> out.println("The broker's log goes to " + log + " (kept after the run)."));
        out.flush();
        // Ctrl-C: stop streaming, report what came back and clean up before the JVM exits
        try (StopOnShutdown ctrlC = new StopOnShutdown("demo-stop", demo::stop)) {
            try {
                LiveLine live = new LiveLine(out, images);
                DemoResult result = demo.run(live::update);
                live.end();
                report(out, result);
                if (keepRunning) {
                    out.println("Still serving: Kafka at " + demo.bootstrapServers() + ", metrics at "
                            + result.metricsUrl() + ". Ctrl-C stops " + (settings.existingCluster()
                            ? "the classifier." : "both."));
                    out.flush();
                    new CountDownLatch(1).await();
                }
                return result.matchesOffline() ? 0 : 1;
            } finally {
                demo.close();
            }
        }
    }

    private static void report(PrintWriter out, DemoResult r) {
        out.println();
        if (r.interrupted()) {
            out.println("Interrupted: the figures below cover the images sent until then.");
        }
        out.printf(Locale.ROOT, "Sent %,d images (%,d failed); %,d predictions and %,d dead letters came back in "
                + "%.1f s.%n", r.sent(), r.failed(), r.predictions(), r.deadLetters(), r.elapsed().toMillis() / 1000.0);
        out.printf(Locale.ROOT, "Stream accuracy  %.2f%% (%,d / %,d)%n", 100 * r.streamAccuracy(), r.streamCorrect(),
                r.predictions());
        out.printf(Locale.ROOT, "Offline accuracy %.2f%% (%,d / %,d), the same model on the same images: %s%n",
                100 * r.offlineAccuracy(), r.offlineCorrect(), r.sent(),
                r.matchesOffline() ? "equal" : "DIFFERENT (a prediction was lost, duplicated or changed)");
        out.println();
        out.println("Confusion matrix (row = label, column = predicted):");
        out.println(r.confusion().toText());
        out.println(ClassificationReport.from(r.confusion()).toText());
        out.println("The classifier served its metrics at " + r.metricsUrl()
                + " during the run (--keep-running keeps it up).");
        out.flush();
    }

    /** One status line, rewritten in place on a terminal and printed every few seconds otherwise. */
    static final class LiveLine {
        private final PrintWriter out;
        private final int total;
        private final boolean terminal = System.console() != null;
        private long lastPrinted;
        private long lastTime = System.nanoTime();
        private long lastPredictions;
        private double recentRate;

        LiveLine(PrintWriter out, int total) {
            this.out = out;
            this.total = total;
        }

        synchronized void update(long sent, long predictions, long deadLetters, ConfusionMatrix labelled) {
            long now = System.nanoTime();
            // throughput over the last second or so: what the pipeline does now, not since start-up
            if (now - lastTime >= 500_000_000L) {
                recentRate = (predictions - lastPredictions) / ((now - lastTime) / 1e9);
                lastTime = now;
                lastPredictions = predictions;
            }
            if (!terminal && now - lastPrinted < 5_000_000_000L) {
                return;
            }
            lastPrinted = now;
            String line = String.format(Locale.ROOT, "sent %,d/%,d | predicted %,d | %,.0f predictions/s | accuracy %s"
                    + " | dead letters %,d", sent, total, predictions, recentRate,
                    labelled.total() == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * labelled.accuracy()),
                    deadLetters);
            out.print(terminal ? "\r" + line : line + System.lineSeparator());
            out.flush();
        }

        synchronized void end() {
            if (terminal) {
                out.println();
            }
        }
    }
}
