package io.digitstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.digitstream.contract.PredictionEvent;
import io.digitstream.core.mnist.MnistDataCache;
import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.localbroker.KafkaFixture;
import io.digitstream.producer.TopicTail;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./digits produce} and {@code ./digits tail} as users run them, against a real broker. */
class ProduceAndTailCommandIT {

    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();

    @TempDir
    Path dir;

    @Test
    void producesAFolderOfPngsWithLabelsFromFolderNames() throws IOException {
        MnistDataset mnist = MnistSamples.test500();
        Path images = dir.resolve("images");
        for (int i = 0; i < 20; i++) {
            Path file = images.resolve(Integer.toString(mnist.label(i))).resolve("digit-" + i + ".png");
            Files.createDirectories(file.getParent());
            ImageIO.write(image(mnist, i), "png", file.toFile());
        }
        Files.writeString(images.resolve("notes.txt"), "not an image");

        CommandRun run = CommandRun.execute("produce", images.toString(), "--labels-from", "folder", "--no-progress",
                "--bootstrap-servers", KAFKA.bootstrapServers(), "--config", topics("png"));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Sent 20 image(s), 0 failed").contains("1 non-image file(s)");
        List<ConsumerRecord<byte[], byte[]>> records = read("png.images", 20);
        assertThat(records).hasSize(20).allSatisfy(r -> {
            String id = utf8(r.key());
            assertThat(header(r, "label")).isEqualTo(id.substring(0, 1));
            assertThat(header(r, "content-type")).isEqualTo("image/png");
            assertThat(r.value()).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        });
    }

    @Test
    void producesTheMnistTestSetFromTheDataCache() throws IOException {
        assumeTrue(new MnistDataCache().isComplete(), "MNIST not cached: run ./digits fetch-data to check this");

        CommandRun run = CommandRun.execute("produce", "--count", "50", "--rate", "0", "--no-progress",
                "--bootstrap-servers", KAFKA.bootstrapServers(), "--config", topics("idx"));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Sent 50 image(s), 0 failed");
        assertThat(read("idx.images", 50)).hasSize(50)
                .allSatisfy(r -> assertThat(r.value()).hasSize(784))
                .allSatisfy(r -> assertThat(header(r, "label")).matches("[0-9]"));
    }

    @Test
    void tailPrintsOneParsableLinePerPrediction() throws IOException {
        List<PredictionEvent> sent = List.of(prediction("a", 7, 7), prediction("b", 1, 7), prediction("c", 3, null),
                prediction("d", 1, 4).rejected(PredictionEvent.NOT_A_DIGIT, 12.5));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", KAFKA.bootstrapServers()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (PredictionEvent p : sent) {
                producer.send(new ProducerRecord<>("tail.predictions", utf8(p.id()), PredictionEvent.toJson(p)));
            }
        }
        String config = topics("tail");

        CommandRun json = CommandRun.execute("tail", "--from-beginning", "--count", "4", "--json", "--bootstrap-servers",
                KAFKA.bootstrapServers(), "--config", config);
        CommandRun text = CommandRun.execute("tail", "--from-beginning", "--count", "4", "--summary", "--bootstrap-servers",
                KAFKA.bootstrapServers(), "--config", config);

        assertThat(json.exitCode()).as(json.err()).isZero();
        List<PredictionEvent> parsed = json.out().lines().map(l -> PredictionEvent.fromJson(utf8(l))).toList();
        assertThat(parsed).containsExactlyElementsOf(sent);
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out().lines().limit(4)).containsExactly(
                "a  digit 7  confidence 0.9500  label 7 correct  model 1.0.0",
                "b  digit 1  confidence 0.9500  label 7 WRONG  model 1.0.0",
                "c  digit 3  confidence 0.9500  model 1.0.0",
                "d  digit 1  confidence 0.9500  not-a-digit (score 12.5000)  label 4 WRONG  model 1.0.0");
        assertThat(text.out()).contains("predictions 4, labelled 2, accuracy 50.00%, not-a-digit 1 (1 labelled)")
                .contains("Not a digit: 1 prediction(s), 1 of them labelled")
                .contains("Confusion matrix").contains("accuracy");
    }

    @Test
    void unreachableBrokerNamesTheFix() {
        CommandRun run = CommandRun.execute("produce", "--bootstrap-servers", "127.0.0.1:1", "--no-progress", dir.toString());

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("no Kafka broker reachable at 127.0.0.1:1").contains("./digits kafka");
    }

    /** A settings file naming this test's own topics, so tests in one class do not read each other's records. */
    private String topics(String prefix) throws IOException {
        Path file = dir.resolve(prefix + ".properties");
        Files.writeString(file, String.join("\n", "input.topic=" + prefix + ".images",
                "predictions.topic=" + prefix + ".predictions", "review.topic=" + prefix + ".review",
                "dlq.topic=" + prefix + ".dlq", "labels.topic=" + prefix + ".labels",
                "accuracy.topic=" + prefix + ".accuracy"));
        return file.toString();
    }

    private static PredictionEvent prediction(String id, int digit, Integer label) {
        float[] probabilities = new float[10];
        probabilities[digit] = 0.95f;
        probabilities[(digit + 1) % 10] = 0.05f;
        return new PredictionEvent(id, digit, 0.95f, probabilities, "1.0.0", label,
                label == null ? null : label == digit, 1_700_000_000_000L, 1_700_000_000_010L);
    }

    private static BufferedImage image(MnistDataset mnist, int index) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int v = mnist.images()[index * 784 + y * 28 + x] & 0xff;
                img.getRaster().setSample(x, y, 0, v);
            }
        }
        return img;
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (TopicTail tail = new TopicTail(Map.of("bootstrap.servers", KAFKA.bootstrapServers()), topic, true)) {
            tail.run(records::add, expected, Duration.ofSeconds(30), () -> false);
        }
        return records;
    }



    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        return r.headers().lastHeader(key) == null ? null : utf8(r.headers().lastHeader(key).value());
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
