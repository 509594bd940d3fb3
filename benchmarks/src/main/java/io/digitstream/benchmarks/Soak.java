package io.digitstream.benchmarks;

import io.digitstream.classifier.ClassifierConfig;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.localbroker.LocalKafkaBroker;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The soak: the classifier ({@link ClassifierMain}, in a child JVM with the container's heap flags) under a steady
 * load of labelled MNIST images mixed with hostile records, for minutes. Samples its resident memory, heap and threads
 * as it goes, then accounts for every record: each image exactly once in the predictions, each hostile record exactly
 * once in the dead letters with its reason. The broker (embedded unless one is given), the traffic and the ledger run
 * in this JVM, on topics of the run's own.
 */
public final class Soak {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    /** The launcher's glibc tuning (for training) and Kafka settings from the shell: the container has neither. */
    private static final List<String> UNSET_ENVIRONMENT = List.of("MALLOC_", "KAFKA_");

    private final SoakSettings settings;
    private final MnistDataset images;
    private final PrintWriter out;
    private final String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    private final List<SoakSample> samples = new ArrayList<>();

    private Soak(SoakSettings settings, MnistDataset images, PrintWriter out) {
        this.settings = settings;
        this.images = images;
        this.out = out;
    }

    /** Runs the soak; progress and samples go to {@code out}. */
    public static SoakReport run(SoakSettings settings, MnistDataset images, PrintWriter out)
            throws IOException, InterruptedException {
        return new Soak(settings, images, out).run();
    }

    private SoakReport run() throws IOException, InterruptedException {
        Files.createDirectories(settings.workDirectory());
        if (settings.bootstrapServers().isPresent()) {
            return runOn(settings.bootstrapServers().get(), settings.bootstrapServers().get());
        }
        out.println("starting a local Kafka broker...");
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(
                LocalKafkaBroker.Settings.of(settings.workDirectory().resolve("kafka")).withPort(0))) {
            return runOn(broker.bootstrapServers(), "embedded, in the soak's JVM");
        }
    }

    private SoakReport runOn(String bootstrapServers, String brokerDescription)
            throws IOException, InterruptedException {
        String prefix = "soak-" + runId;
        Map<String, String> config = classifierConfig(bootstrapServers, prefix);
        ClassifierConfig parsed = ClassifierConfig.fromMap(config); // a bad setting fails here, not in the child
        Path properties = settings.workDirectory().resolve("classifier.properties");
        writeProperties(config, properties);
        Path log = settings.workDirectory().resolve("classifier.log");
        List<String> jvm = new ArrayList<>(settings.childJvmOptions());
        jvm.add("-Dai.djl.offline=true");
        jvm.add("-Djava.awt.headless=true");
        out.printf(Locale.ROOT, "starting the classifier (%s); topics %s.*; log %s%n", String.join(" ", jvm), prefix,
                log);
        try (ClassifierProcess classifier = ClassifierProcess.start(jvm, ClassifierMain.class.getName(),
                List.of(properties.toString(), settings.modelFile().toString()), log, UNSET_ENVIRONMENT)) {
            try {
                return soak(classifier, parsed, brokerDescription, jvm);
            } catch (RuntimeException e) {
                throw new IllegalStateException("the soak failed: " + e.getMessage() + " (classifier "
                        + classifier.exitStatus() + ")\n--- last lines of " + log + " ---\n" + classifier.logTail(30),
                        e);
            }
        }
    }

    private SoakReport soak(ClassifierProcess classifier, ClassifierConfig config, String brokerDescription,
                            List<String> jvm) throws InterruptedException {
        awaitReady(classifier);
        // the classifier has created its topics (with its record limit) by the time it is ready
        try (SoakLedger ledger = new SoakLedger(config.bootstrapServers(), config.predictionsTopic(),
                config.dlqTopic());
             SoakTraffic traffic = new SoakTraffic(config.bootstrapServers(), config.inputTopic(),
                     config.labelsTopic(), images, settings.hostileShare(), settings.hostileBytesPerSecond())) {
            out.printf(Locale.ROOT, "soak: %s at %,d records/s, %.1f%% hostile (large ones within %,d KiB/s); a "
                            + "sample every %s s%n", SoakReport.humane(settings.duration()), settings.rate(),
                    100 * settings.hostileShare(), settings.hostileBytesPerSecond() / 1024,
                    settings.sampleEvery().toMillis() / 1e3);
            Instant startedAt = Instant.now();
            Sampler sampler = new Sampler(classifier, ledger, traffic);
            ScheduledExecutorService every = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "soak-sampler");
                t.setDaemon(true);
                return t;
            });
            double loadSeconds;
            try {
                long period = settings.sampleEvery().toMillis();
                double lastScheduled = settings.duration().minus(settings.sampleEvery().dividedBy(4)).toMillis() / 1e3;
                every.scheduleAtFixedRate(() -> {
                    try {
                        // the sample at the end of the load is taken when the load ends, not by the clock
                        if (sampler.elapsedSeconds() < lastScheduled) {
                            sampler.sample(true);
                        }
                    } catch (RuntimeException e) {
                        out.println("  sample failed: " + e); // a failed task would cancel every later sample
                    }
                }, 0, period, TimeUnit.MILLISECONDS);
                traffic.run(settings.duration(), settings.rate(), classifier::isAlive);
                loadSeconds = sampler.elapsedSeconds();
            } finally {
                every.shutdownNow();
                every.awaitTermination(30, TimeUnit.SECONDS);
            }
            sampler.sample(true); // the end of the load
            long imagesExpected = traffic.imagesSent() - traffic.imagesFailed().size();
            long hostileExpected = traffic.hostileSentCount() - traffic.hostileFailed().size();
            out.printf(Locale.ROOT, "load done: %,d images and %,d hostile records sent; waiting for the rest of the "
                    + "predictions and dead letters (at most %s)...%n", traffic.imagesSent(),
                    traffic.hostileSentCount(), settings.drainTimeout());
            long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
            while (classifier.isAlive() && ledger.failure() == null && System.nanoTime() < deadline
                    && (ledger.imagesPredicted() < imagesExpected || ledger.hostileDeadLettered() < hostileExpected)) {
                Thread.sleep(200);
            }
            // a little longer: duplicates, if any, come after the originals
            Thread.sleep(Math.min(5_000, settings.sampleEvery().toMillis()));
            sampler.sample(false);
            if (ledger.failure() != null) {
                throw new IllegalStateException("reading the predictions failed: " + ledger.failure(),
                        ledger.failure());
            }
            SoakAccounting accounting = account(traffic, ledger);
            String exit = classifier.isAlive() ? null : classifier.exitStatus();
            return new SoakReport(StreamBenchmarkReport.thisMachine(), startedAt, settings.modelFile().toString(),
                    brokerDescription, jvm, settings.duration(), settings.rate(), settings.hostileShare(),
                    settings.hostileBytesPerSecond(), settings.warmup(),
                    (traffic.imagesSent() + traffic.hostileSentCount()) / Math.max(loadSeconds, 1e-3), samples,
                    accounting, exit, sampler.elapsedSeconds());
        }
    }

    private void awaitReady(ClassifierProcess classifier) throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (!classifier.ready()) {
            if (!classifier.isAlive()) {
                throw new IllegalStateException("the classifier exited while starting");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the classifier was not ready within " + STARTUP_TIMEOUT);
            }
            Thread.sleep(250);
        }
    }

    private static SoakAccounting account(SoakTraffic traffic, SoakLedger ledger) {
        long imagesSent = traffic.imagesSent();
        long imagesLost = 0;
        for (long n = 0; n < imagesSent; n++) {
            if (!ledger.predicted(n) && !traffic.imagesFailed().contains(n)) {
                imagesLost++;
            }
        }
        Map<HostileRecords.Kind, long[]> byKind = new LinkedHashMap<>();
        traffic.kinds().forEach(k -> byKind.put(k, new long[5])); // sent, refused, dead-lettered, wrong, lost
        long hostileLost = 0;
        long wrongReason = 0;
        for (var sent : new TreeMap<>(traffic.hostileSent()).entrySet()) {
            long[] counts = byKind.get(sent.getValue());
            counts[0]++;
            String reason = ledger.hostileReason(sent.getKey());
            if (traffic.hostileFailed().containsKey(sent.getKey())) {
                counts[1]++;
            } else if (reason == null) {
                counts[4]++;
                hostileLost++;
            } else {
                counts[2]++;
                if (!reason.equals(sent.getValue().reason())) {
                    counts[3]++;
                    wrongReason++;
                }
            }
        }
        List<SoakAccounting.KindCount> kinds = new ArrayList<>();
        byKind.forEach((k, c) -> kinds.add(new SoakAccounting.KindCount(k.name(), k.reason(), c[0], c[1], c[2], c[3],
                c[4])));
        SoakLedger.Trouble unexpectedPredictions = ledger.unexpectedPredictions();
        SoakLedger.Trouble unexpectedDeadLetters = ledger.unexpectedDeadLetters();
        List<String> examples = new ArrayList<>(unexpectedPredictions.examples().stream()
                .map(e -> "prediction " + e).toList());
        unexpectedDeadLetters.examples().forEach(e -> examples.add("dead letter " + e));
        return new SoakAccounting(imagesSent, traffic.imagesFailed().size(), ledger.imagesPredicted(),
                ledger.duplicatePredictions(), imagesLost, ledger.imagesDeadLettered(), unexpectedPredictions.count(),
                traffic.hostileSentCount(), traffic.hostileFailed().size(), ledger.hostileDeadLettered(),
                ledger.duplicateDeadLetters(), hostileLost, wrongReason, unexpectedDeadLetters.count(), examples,
                ledger.deadLettersByReason(), kinds, traffic.hostileBytes());
    }

    /** Takes the samples: from the child's /proc and /metrics, and from the ledger. */
    private final class Sampler {

        private final ClassifierProcess classifier;
        private final SoakLedger ledger;
        private final SoakTraffic traffic;
        private final long start = System.nanoTime();
        private long lastNanos = start;
        private long lastPredictions;
        private Duration lastCpu;

        Sampler(ClassifierProcess classifier, SoakLedger ledger, SoakTraffic traffic) {
            this.classifier = classifier;
            this.ledger = ledger;
            this.traffic = traffic;
            this.lastCpu = classifier.cpuTime();
        }

        double elapsedSeconds() {
            return (System.nanoTime() - start) / 1e9;
        }

        synchronized void sample(boolean underLoad) {
            long now = System.nanoTime();
            long rss = classifier.residentKb();
            String scrape = classifier.metrics().orElse("");
            long predictions = ledger.predictions();
            Duration cpu = classifier.cpuTime();
            // rates over less than half a second (the first sample) say nothing
            double interval = (now - lastNanos) / 1e9;
            boolean rates = interval >= 0.5;
            SoakSample sample = new SoakSample((now - start) / 1e9, underLoad, rss,
                    PrometheusText.sum(scrape, "jvm_memory_used_bytes", "area=\"heap\""),
                    PrometheusText.sum(scrape, "jvm_memory_committed_bytes", "area=\"heap\""),
                    PrometheusText.sum(scrape, "jvm_memory_used_bytes", "area=\"nonheap\""),
                    PrometheusText.sum(scrape, "jvm_gc_live_data_size_bytes", ""),
                    PrometheusText.sum(scrape, "jvm_threads_live_threads", ""),
                    traffic.imagesSent() + traffic.hostileSentCount(), ledger.imagesPredicted(),
                    ledger.deadLetters(), rates ? (predictions - lastPredictions) / interval : Double.NaN,
                    rates ? cpu.minus(lastCpu).toNanos() / 1e9 / interval : Double.NaN);
            lastNanos = now;
            lastPredictions = predictions;
            lastCpu = cpu;
            synchronized (samples) {
                samples.add(sample);
            }
            out.println(sample.line());
        }
    }

    /** The classifier's settings: topics, application id and state directory of the run's own. */
    private Map<String, String> classifierConfig(String bootstrapServers, String prefix) {
        Map<String, String> config = new HashMap<>(settings.classifierSettings());
        config.put(ClassifierConfig.KEY_INPUT_TOPIC, prefix + ".images");
        config.put(ClassifierConfig.KEY_PREDICTIONS_TOPIC, prefix + ".predictions");
        config.put(ClassifierConfig.KEY_REVIEW_TOPIC, prefix + ".review");
        config.put(ClassifierConfig.KEY_DLQ_TOPIC, prefix + ".dlq");
        config.put(ClassifierConfig.KEY_LABELS_TOPIC, prefix + ".labels");
        config.put(ClassifierConfig.KEY_ACCURACY_TOPIC, prefix + ".accuracy");
        config.put(ClassifierConfig.KEY_APPLICATION_ID, prefix);
        config.put(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, bootstrapServers);
        config.put(ClassifierConfig.KEY_METRICS_PORT, "0");
        config.put(ClassifierConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG,
                settings.workDirectory().resolve("state").toString());
        return config;
    }

    private static void writeProperties(Map<String, String> config, Path file) {
        Properties properties = new Properties();
        properties.putAll(config);
        try (OutputStream stream = Files.newOutputStream(file)) {
            properties.store(stream, "soak classifier settings");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
