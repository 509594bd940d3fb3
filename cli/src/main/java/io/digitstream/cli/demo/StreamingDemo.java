package io.digitstream.cli.demo;

import io.digitstream.classifier.ClassifierApplication;
import io.digitstream.classifier.ClassifierConfig;
import io.digitstream.classifier.event.PredictionEvent;
import io.digitstream.classifier.event.PredictionEventSerde;
import io.digitstream.classifier.kafka.LocalKafkaBroker;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.model.OnnxDigitModel;
import io.digitstream.producer.ImagePublisher;
import io.digitstream.producer.MnistImageSource;
import io.digitstream.producer.PredictionTally;
import io.digitstream.producer.PublishPlan;
import io.digitstream.producer.PublishSummary;
import io.digitstream.producer.TopicTail;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The whole pipeline in one process, for {@code ./digits demo}: a fresh local broker (or an existing cluster), the
 * classifier with a model, a producer streaming labelled MNIST test images at a rate, and readers of the predictions
 * and dead letters. The broker and the classifier's state live in a temporary folder that {@link #close()} deletes,
 * so every run starts from zero and its accuracy is that of its own images. On an existing cluster the images of a
 * run get ids of their own, and only their predictions and dead letters are counted.
 */
public final class StreamingDemo implements AutoCloseable {

    private static final Duration INTERRUPTED_DRAIN = Duration.ofSeconds(10);

    /** Live figures, read by the terminal display while the demo runs. */
    public interface Watcher {
        void update(long sent, long predictions, long deadLetters, PredictionTally tally);
    }

    /**
     * @param brokerPort the local broker's port (0 picks a free one), unused on an existing cluster
     * @param kafka      the classifier's and clients' settings, as {@code --config} and {@code KAFKA_*} give them:
     *                   with {@code bootstrap.servers} the demo runs on that cluster (with its security settings and
     *                   topic names) instead of starting a broker
     */
    public record Settings(Path model, MnistDataset images, int count, double imagesPerSecond, int brokerPort,
                           int metricsPort, Duration drainTimeout, Map<String, String> kafka) {
        public Settings {
            kafka = Map.copyOf(kafka);
        }

        /** On a fresh local broker. */
        public Settings(Path model, MnistDataset images, int count, double imagesPerSecond, int brokerPort,
                        int metricsPort, Duration drainTimeout) {
            this(model, images, count, imagesPerSecond, brokerPort, metricsPort, drainTimeout, Map.of());
        }

        public boolean existingCluster() {
            return kafka.containsKey(ClassifierConfig.KEY_BOOTSTRAP_SERVERS);
        }

        /** Without the secrets among {@code kafka}. */
        @Override
        public String toString() {
            return "Settings[model=" + model + ", images=" + images.size() + ", count=" + count + ", imagesPerSecond="
                    + imagesPerSecond + ", brokerPort=" + brokerPort + ", metricsPort=" + metricsPort
                    + ", drainTimeout=" + drainTimeout + ", kafka=" + ClassifierConfig.redacted(kafka) + "]";
        }
    }

    private final Settings settings;
    private final Path workDirectory;
    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile long interruptedAt;
    private final AtomicReference<RuntimeException> readerFailure = new AtomicReference<>();
    private LocalKafkaBroker broker;
    private volatile String bootstrapServers;
    private ClassifierApplication classifier;
    private ImagePublisher publisher;

    public StreamingDemo(Settings settings) throws IOException {
        this.settings = settings;
        this.workDirectory = Files.createTempDirectory("digits-demo-");
    }

    /** Starts everything, streams the images, waits for their predictions, and tells how it went. */
    public DemoResult run(Watcher watcher) throws IOException, InterruptedException {
        int count = Math.min(settings.count(), settings.images().size());
        long[] offlineCorrectBefore = offlineCorrectBefore(count);
        // read before a broker starts, so that a bad setting costs nothing
        ClassifierConfig given = ClassifierConfig.fromMap(settings.kafka());
        if (!settings.existingCluster()) {
            broker = LocalKafkaBroker.start(LocalKafkaBroker.Settings.of(workDirectory.resolve("kafka"))
                    .withPort(settings.brokerPort()));
            given = given.with(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, broker.bootstrapServers());
        }
        // a fresh broker holds this run's records only; on a cluster, earlier runs' are told apart by their ids
        String idPrefix = settings.existingCluster()
                ? "demo-" + UUID.randomUUID().toString().substring(0, 8) + "-mnist-test" : "mnist-test";
        ClassifierConfig config = given
                .with(ClassifierConfig.KEY_APPLICATION_ID, "digit-stream-demo")
                .with(ClassifierConfig.KEY_METRICS_PORT, Integer.toString(settings.metricsPort()))
                .with(ClassifierConfig.KEY_MODEL_RELOAD_INTERVAL, "PT0S")
                .with(ClassifierConfig.KEY_STATE_DIR, workDirectory.resolve("streams").toString());
        bootstrapServers = config.bootstrapServers();
        classifier = ClassifierApplication.start(config, settings.model());
        String metricsUrl = "http://" + config.metricsHost() + ":" + classifier.metricsPort() + "/metrics";

        PredictionTally tally = new PredictionTally();
        AtomicLong predictions = new AtomicLong();
        AtomicLong deadLetters = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        Set<String> seen = new HashSet<>();
        long started = System.nanoTime();
        Thread predictionReader = reader(config, config.predictionsTopic(), idPrefix, record -> {
            PredictionEvent p = PredictionEventSerde.fromJson(record.value());
            // exactly once: a second prediction for an id would be a bug worth showing, not hiding
            if (seen.add(p.id())) {
                tally.add(p);
            }
            predictions.incrementAndGet();
        });
        Thread deadLetterReader = reader(config, config.dlqTopic(), idPrefix,
                record -> deadLetters.incrementAndGet());
        Thread display = new Thread(() -> {
            while (!stop.get()) {
                watcher.update(sent.get(), predictions.get(), deadLetters.get(), tally);
                sleep(Duration.ofSeconds(1));
            }
        }, "demo-display");
        display.setDaemon(true);
        display.start();

        publisher = new ImagePublisher(config.clientProperties());
        PublishSummary summary = publisher.publish(new MnistImageSource(settings.images(), idPrefix, "MNIST test images"),
                new PublishPlan(config.inputTopic(), config.labelsTopic(), settings.imagesPerSecond(), count,
                        Duration.ZERO, false, Duration.ZERO, false),
                (attempted, ok, failed) -> sent.set(ok));
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        // after Ctrl-C the images already sent still get a few seconds to come back
        while (!stop.get() && predictions.get() + deadLetters.get() < summary.sent()
                && System.nanoTime() < Math.min(deadline, interruptedAt == 0 ? Long.MAX_VALUE
                        : interruptedAt + INTERRUPTED_DRAIN.toNanos())) {
            sleep(Duration.ofMillis(100));
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        stop.set(true);
        predictionReader.join(Duration.ofSeconds(10).toMillis());
        deadLetterReader.join(Duration.ofSeconds(10).toMillis());
        display.join(Duration.ofSeconds(2).toMillis());
        watcher.update(summary.sent(), predictions.get(), deadLetters.get(), tally);
        if (readerFailure.get() != null) {
            throw readerFailure.get();
        }
        return new DemoResult(summary.sent(), summary.failed(), predictions.get(), deadLetters.get(), tally.correct(),
                offlineCorrectBefore[(int) Math.min(count, summary.sent() + summary.failed())], tally.confusion(),
                elapsed, metricsUrl, interruptedAt != 0);
    }

    /**
     * Stops a running demo early (Ctrl-C): sending stops, the images sent get a few seconds to come back, then
     * {@link #run} returns what it has.
     */
    public void stop() {
        if (interruptedAt == 0) {
            interruptedAt = System.nanoTime();
        }
        ImagePublisher p = publisher;
        if (p != null) {
            p.stop();
        }
    }

    /** The brokers of the run, once it started: the local broker's address or the cluster's. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The classifier of a finished run, still serving /metrics until {@link #close()}. */
    public ClassifierApplication classifier() {
        return classifier;
    }

    /** Element i: how many of the first i images the model classifies right offline. */
    private long[] offlineCorrectBefore(int count) throws IOException {
        try (OnnxDigitModel model = OnnxDigitModel.load(settings.model())) {
            long[] correct = new long[count + 1];
            for (int i = 0; i < count; i++) {
                boolean right = model.predict(settings.images().normalizedImage(i)).digit() == settings.images().label(i);
                correct[i + 1] = correct[i] + (right ? 1 : 0);
            }
            return correct;
        }
    }

    /** Reads {@code topic} from the beginning, handing on the records keyed by an id of this run. */
    private Thread reader(ClassifierConfig config, String topic, String idPrefix,
                          Consumer<ConsumerRecord<byte[], byte[]>> onRecord) {
        Map<String, Object> client = config.clientProperties();
        byte[] prefix = (idPrefix + "-").getBytes(StandardCharsets.UTF_8);
        Thread t = new Thread(() -> {
            try (TopicTail tail = new TopicTail(client, topic, true)) {
                tail.run(record -> {
                    if (record.key() != null && Arrays.equals(record.key(), 0, Math.min(prefix.length,
                            record.key().length), prefix, 0, prefix.length)) {
                        onRecord.accept(record);
                    }
                }, 0, Duration.ZERO, stop::get);
            } catch (RuntimeException e) {
                readerFailure.compareAndSet(null, new IllegalStateException("reading " + topic + " failed: "
                        + e.getMessage(), e));
                stop.set(true);
            }
        }, "demo-" + topic);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        stop.set(true);
        try {
            if (publisher != null) {
                publisher.close();
            }
        } finally {
            try {
                if (classifier != null) {
                    classifier.close();
                }
            } finally {
                try {
                    if (broker != null) {
                        broker.close();
                    }
                } finally {
                    deleteRecursively(workDirectory);
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the demo's temporary folder " + dir, e);
        }
    }
}
