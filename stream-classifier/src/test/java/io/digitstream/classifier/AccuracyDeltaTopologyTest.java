package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.classifier.event.AccuracyCounts;
import io.digitstream.classifier.event.AccuracyScope;
import io.digitstream.classifier.observe.ClassifierMetrics;
import io.digitstream.contract.AccuracyReport;
import io.digitstream.contract.PredictionEvent;
import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.core.model.Prediction;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accuracy in two stages (partial counts per task, deltas per commit interval, merged per model version) gives the
 * figures an offline count of the same predictions gives: labelled with the image, labelled late (and twice), rejected
 * as not-a-digit, never labelled; two model versions; several windows; deltas sent at several points. (A restart: the driver wipes
 * its state when closed, so {@link AccuracyDeltaCounterTest} restarts a counter on its store, and the ITs a classifier.)
 */
class AccuracyDeltaTopologyTest {

    private static final long T0 = 1_690_000_000_000L;
    private static final long WINDOW = ClassifierConfig.defaults().accuracyWindow().toMillis();
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
    private static final byte[] IMAGE = Arrays.copyOfRange(MnistSamples.test500().images(), 0, 784);

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ClassifierMetrics metrics = new ClassifierMetrics();
    private final ScriptedClassifier classifier = new ScriptedClassifier();
    /** What an offline count of the same predictions gives, per model version and scope. */
    private final Map<AccuracyScope, AccuracyCounts> offline = new HashMap<>();
    /** Predictions sent without a label: version, digit, rejected, time. */
    private final Map<String, Object[]> awaiting = new HashMap<>();
    /** The last accuracy record per key, as a reader of the topic sees it, over restarts. */
    private final Map<String, AccuracyReport> published = new HashMap<>();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> images;
    private TestInputTopic<byte[], byte[]> labels;
    private TestOutputTopic<String, byte[]> accuracy;

    @BeforeEach
    void start() {
        metrics.bindTo(registry);
        open();
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
        registry.close();
    }

    @Test
    void recordsAndGaugesEqualTheOfflineCounts() {
        firstHalf();
        secondHalf();
        sendDeltas();

        assertPublishedEqualsOffline();
        assertGaugesEqualOffline();
    }

    @Test
    void nothingIsCountedBeforeTheDeltasAreSentAndNothingTwiceAfter() {
        image("a", T0, 7, 7, "v1", false);
        assertThat(accuracy.isEmpty()).as("counted in the classify task, not sent yet").isTrue();

        TopologyTestSupport.sendAccuracyDeltas(driver);
        TopologyTestSupport.sendAccuracyDeltas(driver);
        assertThat(accuracy.readKeyValuesToMap()).as("one cumulative and one windowed record, once").hasSize(2);
    }

    @Test
    void withLateLabelsOffImagesThatCarryTheirLabelAreCountedAndNothingWaitsForALabel() {
        driver.close();
        ClassifierConfig config = ClassifierConfig.defaults().with(ClassifierConfig.KEY_LABEL_JOIN_ENABLED, "false");
        open(config);

        image("a", T0, 7, 7, "v1", false);
        image("b", T0 + 1_000, 2, 3, "v1", false);
        image("c", T0 + 2_000, null, 1, "v1", false); // no label: a prediction, and nothing more
        sendDeltas();
        image("d", T0 + 3_000, 4, 4, "v1", true);
        image("e", T0 + 4_000, 6, 6, "v1", false);
        image("h", T0 + 130_000, 0, 0, "v2", false);
        image("i", T0 + 131_000, 5, 5, "v2", true);
        image("j", T0 + 132_000, 9, 4, "v2", false);
        sendDeltas();

        assertPublishedEqualsOffline();
        assertGaugesEqualOffline();
        String topology = ClassifierTopology.build(config, classifier, metrics, CLOCK).describe().toString();
        assertThat(topology).doesNotContain(config.labelsTopic(), ClassifierTopology.PREDICTIONS_BY_ID,
                ClassifierTopology.LABEL_JOIN).contains(ClassifierTopology.ACCURACY_DELTAS);
    }

    private void firstHalf() {
        image("a", T0, 7, 7, "v1", false);
        image("b", T0 + 1_000, 2, 3, "v1", false);
        sendDeltas();
        image("c", T0 + 2_000, null, 1, "v1", false);
        image("d", T0 + 3_000, 4, 4, "v1", true);
        // c's label comes a window later: the joined record, and so its window, takes the later time
        label("c", 1, T0 + 70_000, true);
    }

    private void secondHalf() {
        image("e", T0 + 61_000, null, 5, "v2", false);
        label("e", 6, T0 + 62_000, true);
        label("e", 6, T0 + 63_000, false); // a duplicate: not counted again
        image("f", T0 + 65_000, null, 8, "v2", true);
        sendDeltas();
        label("f", 8, T0 + 66_000, true);
        image("g", T0 + 66_000, null, 9, "v2", false); // never labelled
        image("h", T0 + 130_000, 0, 0, "v2", false);
    }

    private void assertPublishedEqualsOffline() {
        read();
        Map<String, AccuracyReport> expected = new HashMap<>();
        offline.forEach((scope, counts) -> expected.put(key(scope), scope.isCumulative()
                ? counts.report(scope.modelVersion(), null, null)
                : counts.report(scope.modelVersion(), scope.windowStart(), scope.windowStart() + WINDOW)));
        assertThat(published.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((key, report) -> assertThat(published.get(key)).as(key).usingRecursiveComparison()
                .isEqualTo(report));
        assertThat(published.get("v1").total()).isEqualTo(3);
        assertThat(published.get("v1").rejected()).isEqualTo(1);
        assertThat(published.get("v2").total()).isEqualTo(2);
        assertThat(published.get("v2").rejected()).isEqualTo(1);
    }

    private void assertGaugesEqualOffline() {
        for (String version : new String[] {"v1", "v2"}) {
            AccuracyCounts cumulative = offline.get(AccuracyScope.cumulative(version));
            AccuracyScope newest = offline.keySet().stream()
                    .filter(s -> s.modelVersion().equals(version) && !s.isCumulative())
                    .max((x, y) -> Long.compare(x.windowStart(), y.windowStart())).orElseThrow();
            assertThat(gauge("digits.accuracy.labelled", version, "cumulative"))
                    .isEqualTo((double) cumulative.matrix().total());
            assertThat(gauge("digits.accuracy.rejected", version, "cumulative")).isEqualTo(cumulative.rejected());
            assertThat(gauge("digits.accuracy.labelled", version, "last_window"))
                    .isEqualTo((double) offline.get(newest).matrix().total());
            assertThat(registry.get("digits.accuracy.window.start").tag("model_version", version).gauge().value())
                    .isEqualTo(newest.windowStart() / 1000.0);
        }
    }

    private double gauge(String name, String version, String scope) {
        return registry.get(name).tags("model_version", version, "scope", scope).gauge().value();
    }

    private void image(String id, long time, Integer label, int digit, String version, boolean rejected) {
        classifier.next.add(new Classification(new Prediction(digit, 0.99f, probabilities(digit), rejected ? 1 : 0),
                version, 0.5));
        RecordHeaders headers = new RecordHeaders();
        if (label != null) {
            headers.add("label", utf8(Integer.toString(label)));
            expect(version, label, digit, rejected, time);
        }
        images.pipeInput(new TestRecord<>(utf8(id), IMAGE, headers, time));
        TopologyTestSupport.classifyHeld(driver);
        if (label == null) {
            awaiting.put(id, new Object[] {version, digit, rejected, time});
        }
    }

    /** A late label; {@code counts} says whether the offline count takes it (the first label of an id does). */
    private void label(String id, int digit, long time, boolean counts) {
        labels.pipeInput(new TestRecord<>(utf8(id), utf8(Integer.toString(digit)), new RecordHeaders(), time));
        if (counts) {
            Object[] p = awaiting.get(id);
            expect((String) p[0], digit, (int) p[1], (boolean) p[2], Math.max((long) p[3], time));
        }
    }

    private void expect(String version, int label, int digit, boolean rejected, long time) {
        PredictionEvent p = new PredictionEvent("x", digit, 0.99f, probabilities(digit), version, label,
                label == digit, time, time);
        PredictionEvent counted = rejected ? p.rejected(PredictionEvent.NOT_A_DIGIT, 1) : p;
        offline.merge(AccuracyScope.cumulative(version), AccuracyCounts.empty().add(counted), AccuracyCounts::plus);
        offline.merge(AccuracyScope.window(version, time - time % WINDOW), AccuracyCounts.empty().add(counted),
                AccuracyCounts::plus);
    }

    private void sendDeltas() {
        TopologyTestSupport.sendAccuracyDeltas(driver);
        read();
    }

    private void read() {
        accuracy.readRecordsToList().forEach(r -> published.put(r.key(), AccuracyReport.fromJson(r.value())));
    }

    private void open() {
        open(ClassifierConfig.defaults());
    }

    private void open(ClassifierConfig config) {
        driver = new TopologyTestDriver(ClassifierTopology.build(config, classifier, metrics, CLOCK),
                TopologyTestSupport.streamsProperties(config, stateDir));
        ByteArraySerializer out = new ByteArraySerializer();
        images = driver.createInputTopic(config.inputTopic(), out, out);
        labels = config.labelJoinEnabled() ? driver.createInputTopic(config.labelsTopic(), out, out) : null;
        accuracy = driver.createOutputTopic(config.accuracyTopic(), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    private static String key(AccuracyScope scope) {
        return scope.isCumulative() ? scope.modelVersion() : scope.modelVersion() + "@" + scope.windowStart();
    }

    private static float[] probabilities(int digit) {
        float[] p = new float[10];
        Arrays.fill(p, 0.01f / 9);
        p[digit] = 0.99f;
        return p;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Answers with the classifications queued, in order: the test says what each image is. */
    private static final class ScriptedClassifier implements DigitClassifier {

        private final Queue<Classification> next = new ArrayDeque<>();

        @Override
        public Classification classify(float[] pixels) {
            return next.remove();
        }
    }
}
