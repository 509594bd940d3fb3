package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.classifier.event.AccuracyCounts;
import io.digitstream.classifier.event.AccuracyDelta;
import io.digitstream.classifier.event.AccuracyDeltaSerde;
import io.digitstream.classifier.event.AccuracyScope;
import io.digitstream.classifier.observe.ClassifierMetrics;
import io.digitstream.contract.AccuracyReport;
import io.digitstream.contract.PredictionEvent;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.core.model.OnnxDigitModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The label join with the input's partitions known: the test driver reads every input from partition 0, so of two
 * partitions, the images whose id hashes to 0 are already in their join partition and join there, and the others
 * cross {@code predictions-by-id}. Both kinds are counted exactly once.
 */
class InPlaceLabelJoinTopologyTest {

    private static final long RECEIVED_AT = 1_690_000_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
    private static final ByIdPartitions TWO = new ByIdPartitions(2);

    private static OnnxDigitModel model;
    private static OnnxDigitClassifier classifier;
    private static MnistDataset mnist;

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> images;
    private TestInputTopic<byte[], byte[]> labels;
    private TestOutputTopic<String, byte[]> accuracy;
    private TestOutputTopic<String, byte[]> byId;

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
        ClassifierConfig config = ClassifierConfig.defaults()
                .with(ClassifierConfig.KEY_CLASSIFY_BATCH_SIZE, "8")
                .with(ClassifierConfig.KEY_NOT_DIGIT_THRESHOLD, ClassifierConfig.NOT_DIGIT_THRESHOLD_NONE);
        driver = new TopologyTestDriver(ClassifierTopology.build(config, classifier, new ClassifierMetrics(), CLOCK,
                TWO), TopologyTestSupport.streamsProperties(config, stateDir));
        ByteArraySerializer out = new ByteArraySerializer();
        images = driver.createInputTopic(config.inputTopic(), out, out);
        labels = driver.createInputTopic(config.labelsTopic(), out, out);
        accuracy = driver.createOutputTopic(config.accuracyTopic(), new StringDeserializer(),
                new ByteArrayDeserializer());
        byId = driver.createOutputTopic(ClassifierConfig.APPLICATION_ID + "-" + ClassifierTopology.PREDICTIONS_BY_ID
                + "-repartition", new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void predictionsInTheirJoinPartitionJoinWhereTheyWereMadeAndTheOthersCross() {
        List<String> inPlace = new ArrayList<>();
        List<String> elsewhere = new ArrayList<>();
        long correct = 0;
        int count = 16;
        for (int i = 0; i < count; i++) {
            String id = "scan-" + i;
            (TWO.partitionOf(utf8(id)) == 0 ? inPlace : elsewhere).add(id);
            images.pipeInput(new TestRecord<>(utf8(id), image(i), new RecordHeaders(), RECEIVED_AT));
        }
        // the test driver holds no batch across inputs it is not told to punctuate
        TopologyTestSupport.classifyHeld(driver);
        for (int i = 0; i < count; i++) {
            labels.pipeInput(new TestRecord<>(utf8("scan-" + i), utf8(Integer.toString(mnist.label(i))),
                    new RecordHeaders(), RECEIVED_AT + 1_000));
            correct += model.predict(mnist.normalizedImage(i)).digit() == mnist.label(i) ? 1 : 0;
        }

        assertThat(inPlace).isNotEmpty();
        assertThat(elsewhere).isNotEmpty();
        assertThat(byId.readKeyValuesToList().stream().map(kv -> kv.key).toList())
                .containsExactlyInAnyOrderElementsOf(elsewhere);
        AccuracyReport cumulative = latest().get(classifier.modelVersion());
        assertThat(cumulative.total()).isEqualTo(count);
        assertThat(cumulative.correct()).isEqualTo(correct);
    }

    @Test
    void anImageWhoseKeyIsNotItsIdCrosses() {
        // no key: the id is topic-partition-offset, which the join needs as the key
        images.pipeInput(new TestRecord<>(null, image(0), new RecordHeaders(), RECEIVED_AT));
        TopologyTestSupport.classifyHeld(driver);
        labels.pipeInput(new TestRecord<>(utf8("digits.images-0-0"), utf8(Integer.toString(mnist.label(0))),
                new RecordHeaders(), RECEIVED_AT));

        assertThat(byId.readKeyValuesToList().stream().map(kv -> kv.key).toList())
                .containsExactly("digits.images-0-0");
        assertThat(latest().get(classifier.modelVersion()).total()).isEqualTo(1);
    }

    @Test
    void aSecondLabelForAPredictionJoinedInPlaceIsNotCountedAgain() {
        String id = "scan-0";
        int sample = 0;
        while (TWO.partitionOf(utf8(id)) != 0) {
            id = "scan-" + ++sample;
        }
        images.pipeInput(new TestRecord<>(utf8(id), image(sample), new RecordHeaders(), RECEIVED_AT));
        TopologyTestSupport.classifyHeld(driver);
        labels.pipeInput(new TestRecord<>(utf8(id), utf8(Integer.toString(mnist.label(sample))),
                new RecordHeaders(), RECEIVED_AT + 1_000));
        labels.pipeInput(new TestRecord<>(utf8(id), utf8(Integer.toString(mnist.label(sample))),
                new RecordHeaders(), RECEIVED_AT + 2_000));

        assertThat(byId.isEmpty()).isTrue();
        assertThat(latest().get(classifier.modelVersion()).total()).isEqualTo(1);
    }

    @Test
    void whatAnEarlierClassifierLeftOnPredictionsByIdIsStillCounted() {
        // before the in-place join, the labelled predictions' deltas crossed predictions-by-id with the predictions
        // awaiting a label, and before the deltas the labelled predictions themselves did
        String version = classifier.modelVersion();
        TestInputTopic<byte[], byte[]> leftOver = driver.createInputTopic(ClassifierConfig.APPLICATION_ID + "-"
                + ClassifierTopology.PREDICTIONS_BY_ID + "-repartition", new ByteArraySerializer(),
                new ByteArraySerializer());
        AccuracyCounts three = AccuracyCounts.empty();
        for (int i = 0; i < 3; i++) {
            three = three.add(prediction("delta-" + i, 4, 4));
        }
        leftOver.pipeInput(new TestRecord<>(utf8(version), new AccuracyDeltaSerde().serializer().serialize(null,
                new AccuracyDelta(AccuracyScope.cumulative(version), three)), new RecordHeaders(), RECEIVED_AT));
        leftOver.pipeInput(new TestRecord<>(utf8("old"), PredictionEvent.toJson(prediction("old", 5, 3)),
                new RecordHeaders(), RECEIVED_AT));

        AccuracyReport cumulative = latest().get(version);
        assertThat(cumulative.total()).isEqualTo(4);
        assertThat(cumulative.correct()).isEqualTo(3);
    }

    private static PredictionEvent prediction(String id, int digit, int label) {
        float[] probabilities = new float[10];
        probabilities[digit] = 1f;
        return new PredictionEvent(id, digit, 1f, probabilities, classifier.modelVersion(), label, digit == label,
                RECEIVED_AT, RECEIVED_AT);
    }

    /** The last accuracy record per key, once the deltas are sent. */
    private Map<String, AccuracyReport> latest() {
        return TopologyTestSupport.latestAccuracy(driver, accuracy);
    }

    private static byte[] image(int sample) {
        return Arrays.copyOfRange(mnist.images(), sample * 784, (sample + 1) * 784);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
