package io.digitstream.benchmarks;

import static io.digitstream.benchmarks.ChildApplication.BARE;
import static io.digitstream.benchmarks.ChildApplication.MODEL;
import static io.digitstream.benchmarks.ChildApplication.PASS_THROUGH;

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
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The stream classifier's benchmark, in one run on one machine: the raw ONNX Runtime ceiling of the model, then
 * end-to-end phases through a real broker (produce, classify, consume the prediction), each with a fresh child JVM
 * and topics of its own: first a bare Kafka Streams application (the pipeline's ceiling), then the classifier with a
 * pass-through in the model's place, then with the model. The broker, the producer and the consumer run in this JVM.
 * Every phase is measured in its steady state: after a warm-up, over a window that leaves out the load's first
 * seconds (see {@link StreamBenchmarkSettings.Lengths} and {@link PhasePlan}).
 */
public final class StreamBenchmark {

    static final int PARTITIONS = 3;
    static final int RAW_BATCH = 64;
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    /** A child that consumes nothing for this long with images waiting is stuck. */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);
    /** Images sent between two looks at the clock and the counters. */
    private static final int SEND_CHUNK = 500;
    /** Id prefixes: the warm-up's images, then the measured ones. */
    private static final String WARMUP = "warmup";
    private static final String MEASURED = "img";

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
            int rate = settings.latencyRate();
            phases.add(runPhase(broker, "bare-eos", "bare Kafka Streams, exactly-once", BARE, eos, 0));
            phases.add(runPhase(broker, "bare-alos", "bare Kafka Streams, at-least-once", BARE, alos, 0));
            phases.add(runPhase(broker, "pass-through-eos", "pass-through, exactly-once", PASS_THROUGH, eos, 0));
            phases.add(runPhase(broker, "model-eos", "model, exactly-once", MODEL, eos, 0));
            phases.add(runPhase(broker, "model-alos", "model, at-least-once", MODEL, alos, 0));
            phases.add(runPhase(broker, "latency-eos", "model, exactly-once", MODEL, eos, rate));
            phases.add(runPhase(broker, "latency-alos", "model, at-least-once", MODEL, alos, rate));
        }
        return new StreamBenchmarkReport(StreamBenchmarkReport.thisMachine(), startedAt,
                settings.modelFile().toString(), settings.childJvmOptions(), reportedSettings(), settings.lengths(),
                raw.batchOne(), raw.batched(), RAW_BATCH, raw.batchOneMedianMicros(), phases,
                (System.nanoTime() - start) / 1e9);
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
     * One phase: a fresh child JVM on topics of its own, a warm-up it must classify completely, then the load, at
     * full speed ({@code rate} 0) or at {@code rate} images/s, measured after the warm-up cut (see {@link PhasePlan}),
     * then the drain: every image sent must come back.
     */
    private PhaseResult runPhase(LocalKafkaBroker broker, String key, String name, ChildApplication application,
                                 String guarantee, int rate) throws IOException, InterruptedException {
        StreamBenchmarkSettings.Lengths lengths = settings.lengths();
        PhasePlan plan = rate > 0 ? PhasePlan.atRate(rate, lengths) : PhasePlan.atFullLoad(lengths);
        String prefix = "bench-" + runId + "-" + key;
        Map<String, String> config = classifierConfig(broker.bootstrapServers(), prefix, guarantee);
        ClassifierConfig parsed = ClassifierConfig.fromMap(config); // a bad setting fails here, not in the child
        Map<String, Integer> topics = new HashMap<>();
        parsed.topics().forEach(t -> topics.put(t, PARTITIONS));
        broker.createTopics(topics);
        Path properties = settings.workDirectory().resolve(key + ".properties");
        writeProperties(config, properties);
        Path log = settings.workDirectory().resolve(key + ".log");
        out.printf(Locale.ROOT, "phase %s (%s): %s; log %s%n", key, name, plan.fixedRate()
                ? String.format(Locale.ROOT, "%,d images at %,d/s, the first %d s cut", plan.scheduled(), rate,
                        lengths.warmupCut().toSeconds())
                : String.format(Locale.ROOT, "full load, the first %d s cut, then at least %d s and %,d images",
                        lengths.warmupCut().toSeconds(), lengths.minWindow().toSeconds(), lengths.minImages()), log);

        try (ClassifierProcess child = startChild(application, properties, log);
             PredictionCollector predictions = new PredictionCollector(broker.bootstrapServers(),
                     parsed.predictionsTopic(), PARTITIONS, plan.fixedRate() && application != BARE);
             BenchmarkImageSender publisher = new BenchmarkImageSender(broker.bootstrapServers(),
                     parsed.inputTopic(), images, plan.fixedRate() ? 0 : 5)) {
            try {
                publisher.sendAsFastAsPossible(WARMUP, lengths.warmupImages());
                predictions.await(WARMUP, lengths.warmupImages(), STARTUP_TIMEOUT, child::isAlive);
                if (plan.fixedRate()) {
                    Thread.sleep(1_000); // let the warm-up's backlog and commits settle before offering the rate
                }
                Load load = offer(plan, publisher, predictions, child);
                publisher.flush();
                predictions.await(MEASURED, load.sent(), timeout(load.sent()), child::isAlive);
                return result(name, application, guarantee, rate, load, predictions, child);
            } catch (RuntimeException e) {
                throw new IllegalStateException("phase " + key + " failed: " + e.getMessage() + " (child JVM "
                        + child.exitStatus() + ")\n--- last lines of " + log + " ---\n" + child.logTail(30), e);
            }
        }
    }

    /**
     * What {@link #offer} did: when the load started, the window's two marks, the classifier's inference timer at
     * each (empty without /metrics, as for the bare application), and the images sent in all.
     */
    private record Load(long startNanos, MeasuredWindow.Mark open, MeasuredWindow.Mark close,
                        Optional<ClassifierProcess.TimerReading> timerAtOpen,
                        Optional<ClassifierProcess.TimerReading> timerAtClose, int sent) {
    }

    /**
     * Sends the measured images as {@code plan} says, marking the counters when the window opens and when it is
     * complete; fails when the child exits or nothing is consumed for {@link #STALL_TIMEOUT}.
     */
    private Load offer(PhasePlan plan, BenchmarkImageSender publisher, PredictionCollector predictions,
                       ClassifierProcess child) throws InterruptedException {
        long start = System.nanoTime();
        MeasuredWindow.Mark open = null;
        Optional<ClassifierProcess.TimerReading> timerAtOpen = Optional.empty();
        int sent = 0;
        int lastConsumed = 0;
        long lastProgress = start;
        while (true) {
            long now = System.nanoTime();
            int consumed = predictions.distinct(MEASURED);
            if (open == null && plan.windowOpens(now - start)) {
                open = mark(sent, consumed, child);
                timerAtOpen = child.inferenceTimer();
            } else if (open != null && plan.windowComplete(now - open.nanos(), consumed - open.consumed(), sent)) {
                MeasuredWindow.Mark close = mark(sent, consumed, child);
                return new Load(start, open, close, timerAtOpen, child.inferenceTimer(), sent);
            }
            long sendable = plan.sendable(now - start, consumed);
            for (int chunk = 0; sent < sendable && chunk < SEND_CHUNK; chunk++) {
                publisher.send(MEASURED, sent++);
            }
            if (consumed > lastConsumed) {
                lastConsumed = consumed;
                lastProgress = now;
            } else if (sent > consumed && now - lastProgress > STALL_TIMEOUT.toNanos()) {
                throw new IllegalStateException("no prediction consumed for " + STALL_TIMEOUT + " with "
                        + (sent - consumed) + " images waiting");
            }
            if (!child.isAlive()) {
                throw new IllegalStateException("the child JVM exited after " + consumed + " of " + sent
                        + " measured images");
            }
            publisher.throwIfFailed();
            predictions.throwIfFailed();
            if (sent >= sendable) {
                long wait = plan.nanosUntilDue(sent, System.nanoTime() - start);
                if (wait > 0) {
                    LockSupport.parkNanos(Math.min(wait, PhasePlan.POLL_NANOS));
                }
            }
        }
    }

    private static MeasuredWindow.Mark mark(int sent, int consumed, ClassifierProcess child) {
        return new MeasuredWindow.Mark(System.nanoTime(), System.currentTimeMillis(), sent, consumed,
                child.cpuSeconds(), ProcessCpu.seconds(ProcessHandle.current()));
    }

    private PhaseResult result(String name, ChildApplication application, String guarantee, int rate, Load load,
                               PredictionCollector predictions, ClassifierProcess child) {
        MeasuredWindow window = MeasuredWindow.between(load.startNanos(), load.open(), load.close());
        List<PredictionCollector.Received> inWindow = predictions.received(MEASURED).stream()
                .filter(r -> r.timestamp() >= load.open().millis() && r.timestamp() <= load.close().millis())
                .toList();
        long[] latency = inWindow.stream().mapToLong(r -> r.consumedAt() - r.timestamp()).toArray();
        long[] classifierLatency = rate > 0 && application != BARE
                ? inWindow.stream().mapToLong(PredictionCollector.Received::classifierMillis).toArray()
                : new long[0];
        PhaseResult result = new PhaseResult(name, application, guarantee, rate, load.sent(),
                predictions.distinct(MEASURED), predictions.duplicates(), window, LatencySummary.of(latency),
                LatencySummary.of(classifierLatency), child.peakSampledRssKb(), child.residentHighWaterMarkKb(),
                inferenceMicros(load.timerAtOpen(), load.timerAtClose()));
        out.printf(Locale.ROOT, "  %,.0f images/s over %.1f s after a %.1f s cut; latency p50 %d ms, p99 %d ms; "
                        + "child %.2f cores, %.0f us/image; harness %.2f cores, %.0f us/image; child peak RSS "
                        + "%.0f MB%n",
                result.throughput(), window.seconds(), window.cutSeconds(), result.latency().p50(),
                result.latency().p99(), window.childCores(), window.childMicrosPerImage(), window.harnessCores(),
                window.harnessMicrosPerImage(), result.peakRssMegabytes());
        return result;
    }

    /** The classifier's mean in-stream time per image between two readings of its timer; NaN without them. */
    private static double inferenceMicros(Optional<ClassifierProcess.TimerReading> before,
                                          Optional<ClassifierProcess.TimerReading> after) {
        if (before.isEmpty() || after.isEmpty()) {
            return Double.NaN;
        }
        ClassifierProcess.TimerReading from = before.get();
        ClassifierProcess.TimerReading to = after.get();
        return to.count() > from.count() ? 1e6 * (to.seconds() - from.seconds()) / (to.count() - from.count())
                : Double.NaN;
    }

    /** The application {@code application} names, in a child JVM; everything else the same. */
    private ClassifierProcess startChild(ChildApplication application, Path properties, Path log)
            throws IOException {
        List<String> jvm = new ArrayList<>(settings.childJvmOptions());
        jvm.add("-Dai.djl.offline=true");
        jvm.add("-Djava.awt.headless=true");
        return switch (application) {
            case BARE -> ClassifierProcess.start(jvm, BareStreamsMain.class.getName(),
                    List.of(properties.toString()), log);
            case PASS_THROUGH -> ClassifierProcess.start(jvm, ClassifierMain.class.getName(),
                    List.of(properties.toString(), ClassifierMain.PASS_THROUGH), log);
            case MODEL -> ClassifierProcess.start(jvm, ClassifierMain.class.getName(),
                    List.of(properties.toString(), settings.modelFile().toString()), log);
        };
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
}
