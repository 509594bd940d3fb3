package io.digitstream.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.digitstream.classifier.observe.ClassifierMetrics;
import io.digitstream.contract.PredictionEvent;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSamples;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology over a reloadable model: every prediction names the model that made it, before and after a swap. */
class ModelReloadTopologyTest {

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ClassifierMetrics metrics = new ClassifierMetrics();
    private Path file;
    private ReloadableDigitClassifier classifier;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> images;
    private TestOutputTopic<byte[], byte[]> predictions;

    @BeforeEach
    void start() throws IOException {
        metrics.bindTo(registry);
        file = dir.resolve("model.onnx");
        Files.write(file, ModelFiles.original());
        classifier = ReloadableDigitClassifier.open(file, metrics);
        ClassifierConfig config = ClassifierConfig.defaults();
        driver = new TopologyTestDriver(ClassifierTopology.build(config, classifier, metrics),
                TopologyTestSupport.streamsProperties(config, dir));
        images = driver.createInputTopic(config.inputTopic(), new ByteArraySerializer(), new ByteArraySerializer());
        predictions = driver.createOutputTopic(config.predictionsTopic(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
        classifier.close();
        registry.close();
    }

    @Test
    void predictionsAfterAReloadNameTheNewModel() throws IOException {
        MnistDataset mnist = MnistSamples.test500();
        String original = ModelFiles.metadata().modelVersion();

        images.pipeInput(utf8("before"), raw(mnist, 0));
        TopologyTestSupport.classifyHeld(driver);
        ModelFiles.replace(file, ModelFiles.withVersion("v2"));
        assertThat(classifier.reload().loaded()).isTrue();
        images.pipeInput(utf8("after"), raw(mnist, 0));
        TopologyTestSupport.classifyHeld(driver);

        PredictionEvent before = PredictionEvent.fromJson(predictions.readValue());
        PredictionEvent after = PredictionEvent.fromJson(predictions.readValue());
        assertThat(before.id()).isEqualTo("before");
        assertThat(before.modelVersion()).isEqualTo(original);
        assertThat(after.id()).isEqualTo("after");
        assertThat(after.modelVersion()).isEqualTo("v2");
        // the same network under a new name: the same answer
        assertThat(after.digit()).isEqualTo(before.digit()).isEqualTo(mnist.label(0));
        assertThat(registry.find("digits.predictions").tag("model_version", "v2").counters().stream()
                .mapToDouble(Counter::count).sum()).isEqualTo(1);
    }

    @Test
    void predictionsAfterARejectedReloadNameTheOldModel() throws IOException {
        MnistDataset mnist = MnistSamples.test500();
        ModelFiles.replace(file, ModelFiles.truncated());
        assertThat(classifier.reload().loaded()).isFalse();

        images.pipeInput(utf8("img"), raw(mnist, 1));
        TopologyTestSupport.classifyHeld(driver);

        PredictionEvent p = PredictionEvent.fromJson(predictions.readValue());
        assertThat(p.modelVersion()).isEqualTo(ModelFiles.metadata().modelVersion());
        assertThat(p.digit()).isEqualTo(mnist.label(1));
    }

    private static byte[] raw(MnistDataset mnist, int index) {
        return Arrays.copyOfRange(mnist.images(), index * 784, (index + 1) * 784);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
