package io.digitstream.benchmarks;

import io.digitstream.classifier.ClassifierConfig;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.model.OnnxDigitModel;
import io.digitstream.localbroker.LocalKafkaBroker;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The stream classifier's benchmark, in one run on one machine: the raw ONNX Runtime ceiling of the model, then
 * end-to-end phases through a real broker (produce, classify, consume the prediction), each with a fresh classifier
 * child JVM and topics of its own. The broker, the producer and the consumer run in this JVM.
 */
public final class StreamBenchmark {

    static final int PARTITIONS = 3;
    static final int RAW_BATCH = 64;
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

    private final StreamBenchmarkSettings settings;
    private final MnistDataset images;
    private final PrintStream out;
    private final String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);

    private StreamBenchmark(StreamBenchmarkSettings settings, MnistDataset images, PrintStream out) {
        this.settings = settings;
        this.images = images;
        this.out = out;
    }

    /** Runs every phase; progress goes to {@code out}. */
    public static StreamBenchmarkReport run(StreamBenchmarkSettings settings, MnistDataset images, PrintStream out)
            throws IOException, InterruptedException {
        return new StreamBenchmark(settings, images, out).run();
    }

    private StreamBenchmarkReport run() throws IOException, InterruptedException {
        long start = System.nanoTime();
        Instant startedAt = Instant.now();
        Files.createDirectories(settings.workDirectory());
        RawCeiling raw = measureRawCeiling();
        List<PhaseResult> phases = new ArrayList<>();
        out.println("starting a local Kafka broker...");
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(
                LocalKafkaBroker.Settings.of(settings.workDirectory().resolve("kafka")).withPort(0))) {
            String eos = StreamsConfig.EXACTLY_ONCE_V2;
            String alos = StreamsConfig.AT_LEAST_ONCE;
            phases.add(runPhase(broker, "pass-through-eos", "pass-through, exactly-once", false, eos, 0));
            phases.add(runPhase(broker, "model-eos", "model, exactly-once", true, eos, 0));
            phases.add(runPhase(broker, "model-alos", "model, at-least-once", true, alos, 0));
            phases.add(runPhase(broker, "latency-eos", "model, exactly-once", true, eos, settings.latencyRate()));
            phases.add(runPhase(broker, "latency-alos", "model, at-least-once", true, alos, settings.latencyRate()));
        }
        return new StreamBenchmarkReport(StreamBenchmarkReport.thisMachine(), startedAt, settings.modelFile().toString(),
                settings.childJvmOptions(), reportedSettings(), raw.batchOne(),
                raw.batched(), RAW_BATCH, raw.batchOneMedianMicros(), phases, (System.nanoTime() - start) / 1e9);
    }

    private record RawCeiling(double batchOne, double batched, double batchOneMedianMicros) {
    }

    /** One intra-op thread, as the classifier runs its model; measured before the broker starts, on a quiet JVM. */
    private RawCeiling measureRawCeiling() throws IOException {
        out.println("raw ONNX Runtime inference (1 intra-op thread, " + images.size() + " images, "
                + settings.rawRounds() + " rounds)...");
        float[] pixels = RawInferenceBenchmark.normalizedPixels(images);
        try (OnnxDigitModel model = OnnxDigitModel.load(settings.modelFile())) {
            RawInferenceBenchmark.throughput(model, pixels, images.size(), RAW_BATCH); // warm-up
            double[] micros = RawInferenceBenchmark.batchOneLatencyMicros(model, pixels, images.size(), 2_000, 1);
            double batchOne = RawInferenceBenchmark.medianThroughput(model, pixels, images.size(), 1,
                    settings.rawRounds());
            double batched = RawInferenceBenchmark.medianThroughput(model, pixels, images.size(), RAW_BATCH,
                    settings.rawRounds());
            out.printf(Locale.ROOT, "  batch 1: %,.0f images/s (median call %.0f us); batch %d: %,.0f images/s%n",
                    batchOne, micros[micros.length / 2], RAW_BATCH, batched);
            return new RawCeiling(batchOne, batched, micros[micros.length / 2]);
        }
    }

    /**
     * One phase: a fresh classifier child JVM on topics of its own, a warm-up it must classify completely, then the
     * measured images, as fast as possible ({@code rate} 0) or at {@code rate} images/s.
     */
    private PhaseResult runPhase(LocalKafkaBroker broker, String key, String name, boolean model, String guarantee,
                                 int rate) throws IOException, InterruptedException {
        boolean fixedRate = rate > 0;
        String prefix = "bench-" + runId + "-" + key;
        Map<String, String> config = classifierConfig(broker.bootstrapServers(), prefix, guarantee);
        ClassifierConfig parsed = ClassifierConfig.fromMap(config); // a bad setting fails here, not in the child
        Map<String, Integer> topics = new HashMap<>();
        parsed.topics().forEach(t -> topics.put(t, PARTITIONS));
        broker.createTopics(topics);
        Path properties = settings.workDirectory().resolve(key + ".properties");
        writeProperties(config, properties);
        Path log = settings.workDirectory().resolve(key + ".log");
        int measured = fixedRate ? settings.latencyImages() : settings.throughputImages();
        out.printf(Locale.ROOT, "phase %s (%s): %,d images %s; log %s%n", key, name, measured,
                fixedRate ? "at " + rate + "/s" : "as fast as possible", log);

        try (ClassifierProcess classifier = startClassifier(model, properties, log);
             PredictionCollector predictions = new PredictionCollector(broker.bootstrapServers(),
                     parsed.predictionsTopic(), PARTITIONS, fixedRate);
             BenchmarkImageSender publisher = new BenchmarkImageSender(broker.bootstrapServers(),
                     parsed.inputTopic(), images, fixedRate ? 0 : 5)) {
            try {
                publisher.sendAsFastAsPossible("warmup", settings.warmupImages());
                predictions.await("warmup", settings.warmupImages(), STARTUP_TIMEOUT, classifier::isAlive);
                if (fixedRate) {
                    Thread.sleep(1_000); // let the warm-up's backlog and commits settle before offering the rate
                }
                var timerBefore = classifier.inferenceTimer();
                Duration classifierCpu = classifier.cpuTime();
                Duration harnessCpu = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
                long sendStart = System.currentTimeMillis();
                if (fixedRate) {
                    publisher.sendAtRate("img", measured, rate);
                } else {
                    publisher.sendAsFastAsPossible("img", measured);
                }
                double sendSeconds = (System.currentTimeMillis() - sendStart) / 1e3;
                predictions.await("img", measured, timeout(measured), classifier::isAlive);
                long end = System.currentTimeMillis();
                double seconds = (end - sendStart) / 1e3;
                double classifierCores = cores(classifier.cpuTime().minus(classifierCpu), seconds);
                double harnessCores = cores(ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO)
                        .minus(harnessCpu), seconds);
                var timerAfter = classifier.inferenceTimer();
                double inferenceMicros = timerBefore.isPresent() && timerAfter.isPresent()
                        && timerAfter.get().count() > timerBefore.get().count()
                        ? 1e6 * (timerAfter.get().seconds() - timerBefore.get().seconds())
                                / (timerAfter.get().count() - timerBefore.get().count())
                        : Double.NaN;
                List<PredictionCollector.Received> received = predictions.received("img");
                long lastConsumed = received.stream().mapToLong(PredictionCollector.Received::consumedAt).max()
                        .orElse(end);
                long[] latency = received.stream().mapToLong(r -> r.consumedAt() - r.timestamp()).toArray();
                long[] classifierLatency = fixedRate
                        ? received.stream().mapToLong(PredictionCollector.Received::classifierMillis).toArray()
                        : new long[0];
                PhaseResult result = new PhaseResult(name, model ? "model" : "pass-through", guarantee, rate,
                        measured, received.size(), predictions.duplicates(), measured / Math.max(sendSeconds, 1e-3),
                        received.size() / Math.max((lastConsumed - sendStart) / 1e3, 1e-3),
                        LatencySummary.of(latency), LatencySummary.of(classifierLatency),
                        classifier.peakSampledRssKb(), classifier.residentHighWaterMarkKb(), classifierCores,
                        harnessCores, inferenceMicros, seconds);
                out.printf(Locale.ROOT, "  %,.0f images/s end to end; latency p50 %d ms, p99 %d ms; classifier "
                                + "%.2f cores, harness %.2f cores; classifier peak RSS %.0f MB%n",
                        result.throughput(), result.latency().p50(), result.latency().p99(), classifierCores,
                        harnessCores, result.peakRssMegabytes());
                return result;
            } catch (RuntimeException e) {
                throw new IllegalStateException("phase " + key + " failed: " + e.getMessage() + " (classifier "
                        + classifier.exitStatus() + ")\n--- last lines of " + log + " ---\n" + classifier.logTail(30), e);
            }
        }
    }

    /** The classifier with the model, or with the pass-through in its place; everything else the same. */
    private ClassifierProcess startClassifier(boolean model, Path properties, Path log) throws IOException {
        List<String> jvm = new ArrayList<>(settings.childJvmOptions());
        jvm.add("-Dai.djl.offline=true");
        jvm.add("-Djava.awt.headless=true");
        return ClassifierProcess.start(jvm, ClassifierMain.class.getName(), List.of(properties.toString(),
                model ? settings.modelFile().toString() : ClassifierMain.PASS_THROUGH), log);
    }

    /** The classifier's settings for one phase: its own topics, application id and state directory. */
    private Map<String, String> classifierConfig(String bootstrapServers, String prefix, String guarantee) {
        Map<String, String> config = new HashMap<>(settings.classifierSettings());
        config.put(ClassifierConfig.KEY_INPUT_TOPIC, prefix + ".images");
        config.put(ClassifierConfig.KEY_PREDICTIONS_TOPIC, prefix + ".predictions");
        config.put(ClassifierConfig.KEY_REVIEW_TOPIC, prefix + ".review");
        config.put(ClassifierConfig.KEY_DLQ_TOPIC, prefix + ".dlq");
        config.put(ClassifierConfig.KEY_LABELS_TOPIC, prefix + ".labels");
        config.put(ClassifierConfig.KEY_ACCURACY_TOPIC, prefix + ".accuracy");
        config.put(ClassifierConfig.KEY_APPLICATION_ID, prefix);
        config.put(ClassifierConfig.KEY_BOOTSTRAP_SERVERS, bootstrapServers);
        config.put(ClassifierConfig.KEY_PROCESSING_GUARANTEE, guarantee);
        config.put(ClassifierConfig.KEY_TOPIC_PARTITIONS, Integer.toString(PARTITIONS));
        config.put(ClassifierConfig.KEY_MODEL_RELOAD_INTERVAL, "PT0S");
        config.put(ClassifierConfig.KEY_METRICS_PORT, "0");
        config.put(ClassifierConfig.KEY_STATE_DIR, settings.workDirectory().resolve("state").toString());
        return config;
    }

    /** The settings given, and the stream threads the classifiers ran with: serve's default unless given. */
    private Map<String, String> reportedSettings() {
        Map<String, String> shown = new TreeMap<>(settings.classifierSettings());
        shown.putIfAbsent(ClassifierConfig.KEY_STREAM_THREADS,
                Integer.toString(ClassifierConfig.fromMap(settings.classifierSettings()).streamThreads()));
        return shown;
    }

    private static void writeProperties(Map<String, String> config, Path file) {
        Properties properties = new Properties();
        properties.putAll(config);
        try (OutputStream stream = Files.newOutputStream(file)) {
            properties.store(stream, "stream benchmark classifier settings");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Generous: a classifier ten times slower than expected still finishes, a stuck one does not hold us forever. */
    private static Duration timeout(int images) {
        return Duration.ofSeconds(Math.max(60, images / 250));
    }

    private static double cores(Duration cpu, double seconds) {
        return cpu.toNanos() / 1e9 / Math.max(seconds, 1e-3);
    }
}
