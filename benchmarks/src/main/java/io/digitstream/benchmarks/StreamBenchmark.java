package io.digitstream.benchmarks;

import static io.digitstream.benchmarks.ChildApplication.BARE;
import static io.digitstream.benchmarks.ChildApplication.MODEL;
import static io.digitstream.benchmarks.ChildApplication.PASS_THROUGH;

import io.digitstream.classifier.ClassifierConfig;
import io.digitstream.contract.AccuracyReport;
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
import java.util.Arrays;
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
 * seconds (see {@link StreamBenchmarkSettings.Lengths} and {@link PhasePlan}). A scale-out run starts several
 * classifier instances of one application in each model phase; with labelled images the model phases check the
 * accuracy the instances report against the offline counts; with a profile directory the full-load exactly-once
 * pass-through and model phases record a JDK Flight Recorder profile, summarised per stage ({@link CpuProfile}).
 */
public final class StreamBenchmark {

    static final int RAW_BATCH = 64;
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    /** A child that consumes nothing for this long with images waiting is stuck. */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);
    /** Images sent between two looks at the clock and the counters. */
    private static final int SEND_CHUNK = 500;
    /** Id prefixes: the warm-up's images, then the measured ones. */
    private static final String WARMUP = "warmup";
    private static final String MEASURED = "img";
    /** The cumulative accuracy gauges that the check reads from each instance. */
    private static final String ACCURACY_LABELLED = "digits_accuracy_labelled";
    private static final String ACCURACY_REJECTED = "digits_accuracy_rejected";

    private final StreamBenchmarkSettings settings;
    private final MnistDataset images;
    private final PrintStream out;
    private final String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    /** The model's answer for each image, offline; null unless the images are labelled. */
    private final OfflineAccuracy offline;

    private StreamBenchmark(StreamBenchmarkSettings settings, MnistDataset images, PrintStream out,
                            OfflineAccuracy offline) {
        this.settings = settings;
        this.images = images;
        this.out = out;
        this.offline = offline;
    }

    /** Runs every phase; progress goes to {@code out}. */
    public static StreamBenchmarkReport run(StreamBenchmarkSettings settings, MnistDataset images, PrintStream out)
            throws IOException, InterruptedException {
        OfflineAccuracy offline = settings.labelledImages() ? OfflineAccuracy.of(settings.modelFile(), images,
                ClassifierConfig.fromMap(settings.classifierSettings())) : null;
        return new StreamBenchmark(settings, images, out, offline).run();
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
            int n = settings.instances();
            phases.add(runPhase(broker, new Phase("bare-eos", "bare Kafka Streams, exactly-once", BARE, eos, 0, 1,
                    false)));
            phases.add(runPhase(broker, new Phase("bare-alos", "bare Kafka Streams, at-least-once", BARE, alos, 0, 1,
                    false)));
            phases.add(runPhase(broker, new Phase("pass-through-eos", "pass-through, exactly-once", PASS_THROUGH, eos,
                    0, 1, true)));
            phases.add(runPhase(broker, new Phase("model-eos", "model, exactly-once", MODEL, eos, 0, n, true)));
            phases.add(runPhase(broker, new Phase("model-alos", "model, at-least-once", MODEL, alos, 0, n, false)));
            phases.add(runPhase(broker, new Phase("latency-eos", "model, exactly-once", MODEL, eos, rate, n, false)));
            phases.add(runPhase(broker, new Phase("latency-alos", "model, at-least-once", MODEL, alos, rate, n,
                    false)));
        }
        return new StreamBenchmarkReport(StreamBenchmarkReport.thisMachine(), startedAt,
                settings.modelFile().toString(), settings.childJvmOptions(), reportedSettings(), settings.lengths(),
                settings.partitions(), raw.batchOne(), raw.batched(), RAW_BATCH, raw.batchOneMedianMicros(), phases,
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * One phase to run.
     *
     * @param key       names its topics, application id, logs and profile
     * @param instances child JVMs of the application
     * @param profiled  whether it is one of the phases a profile covers (when the settings ask for one)
     */
    private record Phase(String key, String name, ChildApplication application, String guarantee, int rate,
                         int instances, boolean profiled) {
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
     * One phase: fresh child JVMs on topics of their own, a warm-up they must classify completely, then the load, at
     * full speed ({@code rate} 0) or at {@code rate} images/s, measured after the warm-up cut (see {@link PhasePlan}),
     * then the drain: every image sent must come back. With labelled images a model phase then checks the accuracy
     * records and gauges; a profiled phase's recordings are read once its JVMs have exited and written them.
     */
    private PhaseResult runPhase(LocalKafkaBroker broker, Phase phase) throws IOException, InterruptedException {
        StreamBenchmarkSettings.Lengths lengths = settings.lengths();
        int rate = phase.rate();
        PhasePlan plan = rate > 0 ? PhasePlan.atRate(rate, lengths) : PhasePlan.atFullLoad(lengths);
        String prefix = "bench-" + runId + "-" + phase.key();
        Map<String, String> config = classifierConfig(broker.bootstrapServers(), prefix, phase.guarantee());
        ClassifierConfig parsed = ClassifierConfig.fromMap(config); // a bad setting fails here, not in the child
        Map<String, Integer> topics = new HashMap<>();
        parsed.topics().forEach(t -> topics.put(t, settings.partitions()));
        broker.createTopics(topics);
        List<Path> recordings = recordings(phase);
        out.printf(Locale.ROOT, "phase %s (%s%s): %s; log%s %s%n", phase.key(), phase.name(),
                phase.instances() > 1 ? ", " + phase.instances() + " instances" : "", plan.fixedRate()
                ? String.format(Locale.ROOT, "%,d images at %,d/s, the first %d s cut", plan.scheduled(), rate,
                        lengths.warmupCut().toSeconds())
                : String.format(Locale.ROOT, "full load, the first %d s cut, then at least %d s and %,d images",
                        lengths.warmupCut().toSeconds(), lengths.minWindow().toSeconds(), lengths.minImages()),
                phase.instances() > 1 ? "s" : "", settings.workDirectory().resolve(phase.instances() > 1
                        ? phase.key() + "-{1.." + phase.instances() + "}.log" : phase.key() + ".log"));

        PhaseResult result;
        Load load;
        try (ClassifierInstances children = startChildren(phase, config, recordings);
             PredictionCollector predictions = new PredictionCollector(broker.bootstrapServers(),
                     parsed.predictionsTopic(), settings.partitions(), plan.fixedRate() && phase.application() != BARE);
             BenchmarkImageSender publisher = new BenchmarkImageSender(broker.bootstrapServers(),
                     parsed.inputTopic(), images, plan.fixedRate() ? 0 : 5, settings.labelledImages())) {
            try {
                if (children.size() > 1) {
                    // all in the group before any image, so that the load does not wait for their rebalances
                    children.awaitAllReady(STARTUP_TIMEOUT);
                }
                publisher.sendAsFastAsPossible(WARMUP, lengths.warmupImages());
                predictions.await(WARMUP, lengths.warmupImages(), STARTUP_TIMEOUT, children::isAlive);
                if (plan.fixedRate()) {
                    Thread.sleep(1_000); // let the warm-up's backlog and commits settle before offering the rate
                }
                load = offer(plan, publisher, predictions, children);
                publisher.flush();
                predictions.await(MEASURED, load.sent(), timeout(load.sent()), children::isAlive);
                Optional<AccuracyCheck> accuracy = phase.application() == MODEL && offline != null
                        ? Optional.of(checkAccuracy(broker.bootstrapServers(), parsed, children, load.sent()))
                        : Optional.empty();
                result = result(phase, load, predictions, children, accuracy);
            } catch (RuntimeException e) {
                throw new IllegalStateException("phase " + phase.key() + " failed: " + e.getMessage() + " (child JVM "
                        + children.exitStatus() + ")\n" + children.logTail(30), e);
            }
        }
        if (!recordings.isEmpty()) {
            try {
                result = result.withProfile(profile(recordings, result, load));
                out.printf(Locale.ROOT, "  CPU profile of the window (recordings %s):%n%s", recordings,
                        result.profile().orElseThrow().toMarkdown(result.window().consumed()).indent(4));
            } catch (IOException e) {
                // the phase's figures stand without it; a JVM killed before it wrote its recording leaves none
                out.println("  no CPU profile: the recordings " + recordings + " are unreadable: " + e);
            }
        }
        return result;
    }

    /** Where a profiled phase's child JVMs record, one file each; none without a profile. */
    private List<Path> recordings(Phase phase) throws IOException {
        if (!phase.profiled() || settings.profileDirectory().isEmpty()) {
            return List.of();
        }
        Path directory = Files.createDirectories(settings.profileDirectory().get());
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= phase.instances(); i++) {
            files.add(directory.resolve(childName(phase, i) + ".jfr"));
        }
        return files;
    }

    /** The phase's key, with the instance's number when it has several: names its files. */
    private static String childName(Phase phase, int instance) {
        return phase.instances() == 1 ? phase.key() : phase.key() + "-" + instance;
    }

    /**
     * What {@link #offer} did: when the load started, the window's two marks, each instance's CPU and inference timer
     * at each (timers empty without /metrics, as for the bare application), and the images sent in all.
     */
    private record Load(long startNanos, MeasuredWindow.Mark open, MeasuredWindow.Mark close, Readings atOpen,
                        Readings atClose, int sent) {
    }

    /** Each instance's counters at one moment, in instance order. */
    private record Readings(double[] cpuSeconds, List<Optional<ClassifierProcess.TimerReading>> timers) {
    }

    /**
     * Sends the measured images as {@code plan} says, marking the counters when the window opens and when it is
     * complete; fails when a child exits or nothing is consumed for {@link #STALL_TIMEOUT}.
     */
    private Load offer(PhasePlan plan, BenchmarkImageSender publisher, PredictionCollector predictions,
                       ClassifierInstances children) throws InterruptedException {
        long start = System.nanoTime();
        MeasuredWindow.Mark open = null;
        Readings atOpen = null;
        int sent = 0;
        int lastConsumed = 0;
        long lastProgress = start;
        while (true) {
            long now = System.nanoTime();
            int consumed = predictions.distinct(MEASURED);
            if (open == null && plan.windowOpens(now - start)) {
                double[] cpu = children.cpuSecondsEach();
                open = mark(sent, consumed, cpu);
                atOpen = new Readings(cpu, children.inferenceTimers());
            } else if (open != null && plan.windowComplete(now - open.nanos(), consumed - open.consumed(), sent)) {
                double[] cpu = children.cpuSecondsEach();
                MeasuredWindow.Mark close = mark(sent, consumed, cpu);
                return new Load(start, open, close, atOpen, new Readings(cpu, children.inferenceTimers()), sent);
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
            if (!children.isAlive()) {
                throw new IllegalStateException("a child JVM exited after " + consumed + " of " + sent
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

    private static MeasuredWindow.Mark mark(int sent, int consumed, double[] childCpuSeconds) {
        return new MeasuredWindow.Mark(System.nanoTime(), System.currentTimeMillis(), sent, consumed,
                Arrays.stream(childCpuSeconds).sum(), ProcessCpu.seconds(ProcessHandle.current()));
    }

    private PhaseResult result(Phase phase, Load load, PredictionCollector predictions, ClassifierInstances children,
                               Optional<AccuracyCheck> accuracy) {
        MeasuredWindow window = MeasuredWindow.between(load.startNanos(), load.open(), load.close());
        List<PredictionCollector.Received> inWindow = predictions.received(MEASURED).stream()
                .filter(r -> r.timestamp() >= load.open().millis() && r.timestamp() <= load.close().millis())
                .toList();
        long[] latency = inWindow.stream().mapToLong(r -> r.consumedAt() - r.timestamp()).toArray();
        long[] classifierLatency = phase.rate() > 0 && phase.application() != BARE
                ? inWindow.stream().mapToLong(PredictionCollector.Received::classifierMillis).toArray()
                : new long[0];
        List<InstanceResult> instances = new ArrayList<>();
        long peakRssKb = 0;
        long highWaterMarkKb = 0;
        for (int i = 0; i < children.size(); i++) {
            ClassifierProcess child = children.processes().get(i);
            long peak = child.peakSampledRssKb();
            long hwm = child.residentHighWaterMarkKb();
            peakRssKb = Math.max(peakRssKb, peak);
            highWaterMarkKb = Math.max(highWaterMarkKb, hwm);
            instances.add(new InstanceResult(i + 1, load.atClose().cpuSeconds()[i] - load.atOpen().cpuSeconds()[i],
                    images(load.atOpen().timers().get(i), load.atClose().timers().get(i)), Math.max(peak, hwm)));
        }
        PhaseResult result = new PhaseResult(phase.name(), phase.application(), phase.guarantee(), phase.rate(),
                load.sent(), predictions.distinct(MEASURED), predictions.duplicates(), window,
                LatencySummary.of(latency), LatencySummary.of(classifierLatency), peakRssKb, highWaterMarkKb,
                inferenceMicros(ClassifierInstances.total(load.atOpen().timers()),
                        ClassifierInstances.total(load.atClose().timers())), instances, accuracy, Optional.empty());
        out.printf(Locale.ROOT, "  %,.0f images/s over %.1f s after a %.1f s cut; latency p50 %d ms, p99 %d ms; "
                        + "child %.2f cores, %.0f us/image; harness %.2f cores, %.0f us/image; child peak RSS "
                        + "%.0f MB%n",
                result.throughput(), window.seconds(), window.cutSeconds(), result.latency().p50(),
                result.latency().p99(), window.childCores(), window.childMicrosPerImage(), window.harnessCores(),
                window.harnessMicrosPerImage(), result.peakRssMegabytes());
        if (instances.size() > 1) {
            for (InstanceResult instance : instances) {
                out.printf(Locale.ROOT, "    instance %d: %,.0f images, %.2f cores, %.0f us/image, peak RSS %.0f MB%n",
                        instance.instance(), instance.images(), instance.cores(window.seconds()),
                        instance.microsPerImage(), instance.peakRssKb() * 1024 / 1e6);
            }
        }
        accuracy.ifPresent(check -> out.println("  " + check.summary()));
        return result;
    }

    /** The images an instance classified between two readings of its timer; NaN without them. */
    private static double images(Optional<ClassifierProcess.TimerReading> before,
                                 Optional<ClassifierProcess.TimerReading> after) {
        return before.isPresent() && after.isPresent() ? after.get().count() - before.get().count() : Double.NaN;
    }

    /**
     * Waits for the accuracy record that counts every image sent in the phase (the warm-up's and the load's), for up
     * to two commit intervals and half a minute (the counts travel as a delta per commit interval), then reads the
     * cumulative gauges of every instance.
     */
    private AccuracyCheck checkAccuracy(String bootstrapServers, ClassifierConfig config,
                                        ClassifierInstances children, int sent) {
        OfflineAccuracy.Expected expected = offline.expected(settings.lengths().warmupImages(), sent);
        Duration timeout = commitInterval(config).multipliedBy(2).plusSeconds(30);
        Optional<AccuracyReport> record = AccuracyRecords.awaitCumulative(bootstrapServers, config.accuracyTopic(),
                settings.partitions(), offline.modelVersion(), expected.labelled(), timeout);
        String series = "model_version=\"" + offline.modelVersion() + "\",scope=\"cumulative\"";
        double labelled = Double.NaN;
        double rejected = Double.NaN;
        List<Integer> exporting = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            Optional<String> scrape = children.processes().get(i).metrics();
            double instanceLabelled = scrape.map(m -> PrometheusText.sum(m, ACCURACY_LABELLED, series))
                    .orElse(Double.NaN);
            if (!Double.isNaN(instanceLabelled)) {
                exporting.add(i + 1);
                if (Double.isNaN(labelled) || instanceLabelled > labelled) {
                    labelled = instanceLabelled;
                    rejected = PrometheusText.sum(scrape.get(), ACCURACY_REJECTED, series);
                }
            }
        }
        return new AccuracyCheck(offline.modelVersion(), expected.accepted(), expected.rejected(), record, labelled,
                rejected, exporting);
    }

    /** The classifier's commit interval: its setting, else Kafka Streams' default for its guarantee. */
    private static Duration commitInterval(ClassifierConfig config) {
        Object set = config.toStreamsProperties().get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
        if (set != null) {
            return Duration.ofMillis(Long.parseLong(set.toString()));
        }
        return Duration.ofMillis(config.processingGuarantee().equals(StreamsConfig.AT_LEAST_ONCE) ? 30_000 : 100);
    }

    /** The profile of a phase's window: each recording's, added up. */
    private static CpuProfile profile(List<Path> recordings, PhaseResult result, Load load) throws IOException {
        Instant from = Instant.ofEpochMilli(load.open().millis());
        Instant to = Instant.ofEpochMilli(load.close().millis());
        List<CpuProfile> profiles = new ArrayList<>();
        for (int i = 0; i < recordings.size(); i++) {
            profiles.add(ProfileRecording.profile(recordings.get(i), from, to,
                    result.instances().get(i).cpuSeconds(), Runtime.getRuntime().availableProcessors()));
        }
        return CpuProfile.sum(profiles);
    }

    /** The inference timer's mean per image between two readings (all instances together); NaN without them. */
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

    /**
     * The phase's application in {@code phase.instances()} child JVMs, everything else the same; each instance with a
     * state directory of its own (as two machines would have), its properties file and its log; with a recording
     * each, when the phase is profiled.
     */
    private ClassifierInstances startChildren(Phase phase, Map<String, String> config, List<Path> recordings)
            throws IOException {
        List<ClassifierProcess> started = new ArrayList<>();
        try {
            for (int i = 1; i <= phase.instances(); i++) {
                String name = childName(phase, i);
                Map<String, String> own = new HashMap<>(config);
                if (phase.instances() > 1) {
                    own.put(ClassifierConfig.KEY_STATE_DIR, settings.workDirectory().resolve("state-" + i).toString());
                }
                Path properties = settings.workDirectory().resolve(name + ".properties");
                writeProperties(own, properties);
                List<String> jvm = new ArrayList<>(settings.childJvmOptions());
                jvm.add("-Dai.djl.offline=true");
                jvm.add("-Djava.awt.headless=true");
                if (!recordings.isEmpty()) {
                    jvm.addAll(ProfileRecording.jvmOptions(recordings.get(i - 1)));
                }
                started.add(startChild(phase.application(), jvm, properties,
                        settings.workDirectory().resolve(name + ".log")));
            }
        } catch (IOException | RuntimeException e) {
            started.forEach(ClassifierProcess::close);
            throw e;
        }
        return new ClassifierInstances(started);
    }

    /** The application {@code application} names, in a child JVM. */
    private ClassifierProcess startChild(ChildApplication application, List<String> jvm, Path properties, Path log)
            throws IOException {
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
        config.put(ClassifierConfig.KEY_TOPIC_PARTITIONS, Integer.toString(settings.partitions()));
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
