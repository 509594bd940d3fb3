package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import io.digitstream.classifier.event.AccuracyCounts;
import io.digitstream.classifier.observe.ClassifierMetrics;
import io.digitstream.contract.AccuracyReport;
import io.digitstream.contract.DeadLetter;
import io.digitstream.contract.Topics;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.core.model.OnnxDigitModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Late labels and running accuracy, against the real model: the first MNIST test samples it classifies right. */
class AccuracyTopologyTest {

    @TempDir
    Path stateDir;

    private static final long RECEIVED_AT = 1_690_000_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

    private static OnnxDigitModel model;
    private static OnnxDigitClassifier classifier;
    private static MnistDataset mnist;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ClassifierMetrics metrics = new ClassifierMetrics();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> images;
    private TestInputTopic<byte[], byte[]> labels;
    private TestOutputTopic<String, byte[]> accuracy;
    private TestOutputTopic<byte[], byte[]> dlq;
    private String version;

    @BeforeAll
    static void loadModel() throws IOException {
        model = OnnxDigitModel.load(Path.of("../models/digits-cnn.onnx"));
        classifier = new OnnxDigitClassifier(model);
        mnist = MnistSamples.test500();
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    @BeforeEach
    void start() {
        metrics.bindTo(registry);
        // in batches: the counts are checked through the batch path too, and its store's changelog is written
        ClassifierConfig config = ClassifierConfig.defaults().with(ClassifierConfig.KEY_CLASSIFY_BATCH_SIZE, "64");
        driver = new TopologyTestDriver(ClassifierTopology.build(config, classifier, metrics, CLOCK),
                TopologyTestSupport.streamsProperties(config, stateDir));
        ByteArraySerializer out = new ByteArraySerializer();
        images = driver.createInputTopic(config.inputTopic(), out, out);
        labels = driver.createInputTopic(config.labelsTopic(), out, out);
        accuracy = driver.createOutputTopic(config.accuracyTopic(), new StringDeserializer(),
                new ByteArrayDeserializer());
        dlq = driver.createOutputTopic(config.dlqTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        version = classifier.modelVersion();
    }

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
        registry.close();
    }

    @Test
    void labelledPredictionCountsAtOnce() {
        sendImage("a", 0, mnist.label(0));

        AccuracyReport cumulative = latest().get(version);
        assertThat(cumulative.total()).isEqualTo(1);
        assertThat(cumulative.correct()).isEqualTo(1);
        assertThat(cumulative.windowStart()).isNull();
    }

    @Test
    void lateLabelWithinTheWindowJoins() {
        sendImage("a", 0, null);
        sendDeltas();
        assertThat(accuracy.isEmpty()).isTrue();

        sendLabel("a", Integer.toString(mnist.label(0)), RECEIVED_AT + Duration.ofMinutes(9).toMillis());

        AccuracyReport cumulative = latest().get(version);
        assertThat(cumulative.total()).isEqualTo(1);
        assertThat(cumulative.correct()).isEqualTo(1);
    }

    @Test
    void aSecondLabelForTheSameIdIsNotCountedAgain() {
        sendImage("a", 0, null);
        sendLabel("a", Integer.toString(mnist.label(0)), RECEIVED_AT + 1_000);
        sendLabel("a", Integer.toString(mnist.label(0)), RECEIVED_AT + 2_000);
        sendImage("b", 1, null);
        sendLabel("b", Integer.toString(mnist.label(1)), RECEIVED_AT + 3_000);

        assertThat(latest().get(version).total()).isEqualTo(2);
        assertThat(registry.get("digits.duplicate.labels").counter().count()).isEqualTo(1.0);
    }

    @Test
    void lateLabelOutsideTheWindowDoesNotJoin() {
        sendImage("a", 0, null);
        sendLabel("a", Integer.toString(mnist.label(0)), RECEIVED_AT + Duration.ofMinutes(11).toMillis());

        sendDeltas();
        assertThat(accuracy.isEmpty()).isTrue();
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void labelJoinsOnTheIdInTheJsonNotTheInputKey() {
        images.pipeInput(new TestRecord<>(null, Arrays.copyOfRange(mnist.images(), 0, 784), new RecordHeaders(),
                RECEIVED_AT));
        TopologyTestSupport.classifyHeld(driver);
        sendLabel("digits.images-0-0", Integer.toString(mnist.label(0)), RECEIVED_AT);

        assertThat(latest().get(version).total()).isEqualTo(1);
    }

    @Test
    void cumulativeAccuracyAddsUp() {
        // samples 0-3 are a 7, a 2, a 1 and a 0, all classified right; the 1 is labelled 7 on purpose
        assertThat(new int[] {mnist.label(0), mnist.label(1), mnist.label(2), mnist.label(3)})
                .containsExactly(7, 2, 1, 0);
        sendImage("a", 0, 7);
        sendImage("b", 1, 2);
        sendImage("c", 2, null);
        sendImage("d", 3, 0);
        sendLabel("c", "7", RECEIVED_AT);

        AccuracyReport r = latest().get(version);
        assertThat(r.modelVersion()).isEqualTo(version);
        assertThat(r.total()).isEqualTo(4);
        assertThat(r.correct()).isEqualTo(3);
        assertThat(r.accuracy()).isEqualTo(0.75);
        long[][] confusion = new long[10][10];
        confusion[7][7] = 1;
        confusion[7][1] = 1;
        confusion[2][2] = 1;
        confusion[0][0] = 1;
        assertThat(r.confusion()).isDeepEqualTo(confusion);
        // 7: predicted once, rightly (precision 1); labelled twice, found once (recall 1/2); F1 = 2/3
        assertThat(r.precision()[7]).isEqualTo(1.0);
        assertThat(r.recall()[7]).isEqualTo(0.5);
        assertThat(r.f1()[7]).isCloseTo(2.0 / 3, within(1e-9));
        // 1: predicted once, wrongly; never a label
        assertThat(r.precision()[1]).isZero();
        assertThat(r.recall()[1]).isZero();
        assertThat(r.f1()[1]).isZero();
        assertThat(r.f1()[0]).isEqualTo(1.0);
    }

    @Test
    void accuracyGaugesFollowTheState() {
        sendImage("a", 0, 7);
        sendImage("b", 1, 2);
        sendImage("c", 2, 7); // a 1 labelled 7
        // a later window: the last-window gauges move to it, the cumulative ones keep everything
        long nextWindow = RECEIVED_AT + Duration.ofMinutes(1).toMillis();
        images.pipeInput(new TestRecord<>(utf8("d"), Arrays.copyOfRange(mnist.images(), 3 * 784, 4 * 784),
                labelHeader(0), nextWindow));
        TopologyTestSupport.classifyHeld(driver);
        sendDeltas();

        assertThat(gauge("digits.accuracy", "scope", "cumulative")).isEqualTo(0.75);
        assertThat(gauge("digits.accuracy.labelled", "scope", "cumulative")).isEqualTo(4.0);
        assertThat(gauge("digits.accuracy", "scope", "last_window")).isEqualTo(1.0);
        assertThat(gauge("digits.accuracy.labelled", "scope", "last_window")).isEqualTo(1.0);
        assertThat(gauge("digits.accuracy.window.start")).isEqualTo(
                (nextWindow - nextWindow % Duration.ofMinutes(1).toMillis()) / 1000.0);
        assertThat(gauge("digits.labelled.predictions", "label", "7", "predicted", "1")).isEqualTo(1.0);
        assertThat(gauge("digits.labelled.predictions", "label", "7", "predicted", "7")).isEqualTo(1.0);
        // only pairs that occurred get a series
        assertThat(registry.find("digits.labelled.predictions").gauges()).hasSize(4);
    }

    @Test
    void accuracyGaugesGoWithTheTaskThatHoldsTheCounts() {
        sendImage("a", 0, 7);
        sendDeltas();
        assertThat(registry.find("digits.accuracy.labelled").gauges()).hasSize(2);

        // closing the task, as a rebalance that moves it to another instance does: that instance exports them now
        driver.close();
        driver = null;

        for (String name : new String[] {"digits.accuracy", "digits.accuracy.labelled", "digits.accuracy.window.start",
                "digits.labelled.predictions"}) {
            assertThat(registry.find(name).gauges()).as(name).isEmpty();
        }
    }

    @Test
    void windowedRecordIsKeyedByItsWindowStart() {
        sendImage("a", 0, mnist.label(0));

        long start = RECEIVED_AT - RECEIVED_AT % Duration.ofMinutes(1).toMillis();
        AccuracyReport windowed = latest().get(version + "@" + start);
        assertThat(windowed).isNotNull();
        assertThat(windowed.windowStart()).isEqualTo(start);
        assertThat(windowed.windowEnd()).isEqualTo(start + Duration.ofMinutes(1).toMillis());
        assertThat(windowed.total()).isEqualTo(1);
    }

    @Test
    void countsLiveInStateStoresWithChangelogs() {
        sendImage("a", 0, mnist.label(0));
        sendDeltas();

        // the changelogs are what restores the counts after a restart
        assertThat(driver.producedTopicNames()).contains(
                ClassifierConfig.APPLICATION_ID + "-" + ClassifierTopology.ACCURACY_STORE + "-changelog",
                ClassifierConfig.APPLICATION_ID + "-" + ClassifierTopology.WINDOWED_ACCURACY_STORE + "-changelog");
        AccuracyCounts counts = driver.<String, AccuracyCounts>getKeyValueStore(ClassifierTopology.ACCURACY_STORE)
                .get(version);
        assertThat(counts.matrix().count(mnist.label(0), mnist.label(0))).isEqualTo(1);
        assertThat(counts.rejected()).isZero();
    }

    @Test
    void onlyPredictionsAwaitingALabelAndTheDeltasAreRepartitioned() {
        sendImage("a", 0, null);
        sendLabel("a", Integer.toString(mnist.label(0)), RECEIVED_AT);
        sendImage("b", 1, mnist.label(1));
        sendDeltas();

        // by id for the join (both sides), by model version for the deltas: no repartition more
        assertThat(driver.producedTopicNames().stream().filter(t -> t.endsWith("-repartition")).sorted().toList())
                .containsExactly(
                        ClassifierConfig.APPLICATION_ID + "-" + ClassifierTopology.ACCURACY_DELTAS + "-repartition",
                        ClassifierConfig.APPLICATION_ID + "-" + ClassifierTopology.LABELS_BY_ID + "-repartition",
                        ClassifierConfig.APPLICATION_ID + "-" + ClassifierTopology.PREDICTIONS_BY_ID + "-repartition");
    }

    @Test
    void internalTopicsKeepTheNamesOfRunningDeployments() {
        sendImage("a", 0, null);
        sendLabel("a", Integer.toString(mnist.label(0)), RECEIVED_AT);
        sendImage("b", 1, mnist.label(1));
        sendDeltas();

        // spelled out, not built from the constants: a rename breaks an upgrade, so it must break this test too.
        // by-model-version-repartition (one record per labelled prediction) gave way to accuracy-deltas-repartition
        // and the partial-accuracy stores; accuracy and accuracy-windowed keep their names and format (issue 12).
        // classify-batch-changelog is new with the batches: an upgrade creates it
        assertThat(driver.producedTopicNames().stream()
                .filter(t -> t.startsWith(ClassifierConfig.APPLICATION_ID + "-"))
                .map(t -> t.substring(ClassifierConfig.APPLICATION_ID.length() + 1)).sorted().toList())
                .containsExactly("accuracy-changelog", "accuracy-deltas-repartition", "accuracy-windowed-changelog",
                        "classify-batch-changelog", "counted-late-labels-changelog", "label-join-other-join-store-changelog",
                        "label-join-this-join-store-changelog", "labels-by-id-repartition",
                        "late-partial-accuracy-changelog", "partial-accuracy-changelog",
                        "predictions-by-id-repartition");
    }

    @Test
    void storesKeepTheirSubTopologies() {
        // a task's state directory is named by its sub-topology: a store that moves is rebuilt from its changelog.
        // The join's stores moved into the classify task's sub-topology with the in-place join (issue 12)
        Map<Integer, Set<String>> storesBySubTopology = new TreeMap<>();
        for (TopologyDescription.Subtopology sub : ClassifierTopology.build(ClassifierConfig.defaults(), classifier,
                metrics, CLOCK).describe().subtopologies()) {
            storesBySubTopology.put(sub.id(), sub.nodes().stream()
                    .filter(node -> node instanceof TopologyDescription.Processor)
                    .flatMap(node -> ((TopologyDescription.Processor) node).stores().stream())
                    .collect(Collectors.toCollection(TreeSet::new)));
        }

        assertThat(storesBySubTopology).containsExactly(
                entry(0, Set.of("classify-batch", "partial-accuracy", "counted-late-labels",
                        "label-join-other-join-store", "label-join-this-join-store", "late-partial-accuracy")),
                entry(1, Set.of()),
                entry(2, Set.of("accuracy", "accuracy-windowed")));
    }

    @Test
    void badLabelValueIsDeadLettered() {
        sendLabel("a", "seven", RECEIVED_AT);

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(dead.key()).isEqualTo(utf8("a"));
        assertThat(dead.value()).isEqualTo(utf8("seven"));
        assertThat(header(dead, DeadLetter.REASON)).isEqualTo("bad-label");
        assertThat(header(dead, DeadLetter.SOURCE_TOPIC)).isEqualTo(Topics.LABELS);
        assertThat(registry.get("digits.invalid.events").tag("reason", "bad-label").counter().count())
                .isEqualTo(1.0);
        sendDeltas();
        assertThat(accuracy.isEmpty()).isTrue();
    }

    private void sendDeltas() {
        TopologyTestSupport.sendAccuracyDeltas(driver);
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tag("model_version", version).tags(tags).gauge().value();
    }

    private static RecordHeaders labelHeader(int label) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("label", utf8(Integer.toString(label)));
        return headers;
    }

    /** The last record per key. */
    private Map<String, AccuracyReport> latest() {
        return TopologyTestSupport.latestAccuracy(driver, accuracy);
    }

    private void sendImage(String key, int sample, Integer label) {
        RecordHeaders headers = label == null ? new RecordHeaders() : labelHeader(label);
        images.pipeInput(new TestRecord<>(utf8(key),
                Arrays.copyOfRange(mnist.images(), sample * 784, (sample + 1) * 784), headers, RECEIVED_AT));
        TopologyTestSupport.classifyHeld(driver);
    }

    private void sendLabel(String id, String digit, long timestamp) {
        labels.pipeInput(new TestRecord<>(utf8(id), utf8(digit), new RecordHeaders(), timestamp));
    }

    private static String header(TestRecord<byte[], byte[]> record, String key) {
        return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
