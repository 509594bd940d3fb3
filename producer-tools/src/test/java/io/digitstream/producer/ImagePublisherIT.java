package io.digitstream.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.digitstream.core.mnist.MnistDataset;
import io.digitstream.core.mnist.MnistSamples;
import io.digitstream.localbroker.KafkaFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Publishing against a real broker, read back with {@link TopicTail}. */
class ImagePublisherIT {

    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();

    private static MnistDataset mnist;

    @BeforeAll
    static void samples() {
        mnist = MnistSamples.test500();
    }

    @Test
    void publishesEveryImageWithItsIdAndLabel() throws Exception {
        PublishSummary summary = publish(new PublishPlan("images-a", "labels-a", 0, 200, Duration.ZERO, false, Duration.ZERO, false));

        assertThat(summary.sent()).isEqualTo(200);
        assertThat(summary.failed()).isZero();
        List<ConsumerRecord<byte[], byte[]>> records = read("images-a", 200);
        assertThat(records).hasSize(200);
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String id = utf8(r.key());
            ids.add(id);
            int index = Integer.parseInt(id.substring("mnist-test-".length()));
            assertThat(header(r, "label")).isEqualTo(Integer.toString(mnist.label(index)));
            assertThat(r.value()).hasSize(784);
        }
        assertThat(ids).hasSize(200);
    }

    @Test
    void withheldLabelsFollowOnTheLabelsTopic() throws Exception {
        PublishPlan plan = new PublishPlan("images-b", "labels-b", 0, 50, Duration.ZERO, true,
                Duration.ofMillis(300), false);

        PublishSummary summary = publish(plan);

        assertThat(summary.sent()).isEqualTo(50);
        assertThat(summary.labelsSent()).isEqualTo(50);
        assertThat(read("images-b", 50)).allSatisfy(r -> assertThat(r.headers().lastHeader("label")).isNull());
        List<ConsumerRecord<byte[], byte[]>> labels = read("labels-b", 50);
        assertThat(labels).hasSize(50).allSatisfy(r -> {
            int index = Integer.parseInt(utf8(r.key()).substring("mnist-test-".length()));
            assertThat(utf8(r.value())).isEqualTo(Integer.toString(mnist.label(index)));
        });
    }

    @Test
    void rateIsHonouredWithinTenPercent() throws Exception {
        // 300 images at 200/s: ~1.5 s; the limiter lets the first through at once, so 299 intervals of 5 ms
        PublishPlan plan = new PublishPlan("images-c", "labels-c", 200, 300, Duration.ZERO, false, Duration.ZERO,
                false);

        PublishSummary summary = publish(plan);

        assertThat(summary.sent()).isEqualTo(300);
        // the pace as the broker saw it: the records' create times, free of the final flush's wait
        List<ConsumerRecord<byte[], byte[]>> records = read("images-c", 300);
        long first = records.stream().mapToLong(ConsumerRecord::timestamp).min().orElseThrow();
        long last = records.stream().mapToLong(ConsumerRecord::timestamp).max().orElseThrow();
        assertThat(299 * 1000.0 / (last - first)).isCloseTo(200, within(20.0));
    }

    @Test
    void repeatingGivesLaterRoundsTheirOwnIds() throws Exception {
        PublishPlan plan = new PublishPlan("images-d", "labels-d", 0, 12, Duration.ZERO, false, Duration.ZERO, true);
        MnistDataset five = new MnistDataset(Arrays.copyOf(mnist.images(), 5 * 784), Arrays.copyOf(mnist.labels(), 5),
                28, 28);

        try (ImagePublisher publisher = new ImagePublisher(client())) {
            PublishSummary summary = publisher.publish(new MnistImageSource(five, "m", "five"), plan,
                    (a, s, f) -> { });
            assertThat(summary.sent()).isEqualTo(12);
        }
        assertThat(read("images-d", 12)).extracting(r -> utf8(r.key()))
                .contains("m-0", "m-4", "m-0#1", "m-4#1", "m-0#2", "m-1#2").doesNotHaveDuplicates();
    }

    private PublishSummary publish(PublishPlan plan) throws InterruptedException {
        try (ImagePublisher publisher = new ImagePublisher(client())) {
            long[] progress = new long[1];
            PublishSummary summary = publisher.publish(new MnistImageSource(mnist, "mnist-test", "test"), plan,
                    (attempted, sent, failed) -> progress[0] = attempted);
            assertThat(progress[0]).isEqualTo(summary.sent() + summary.failed());
            return summary;
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (TopicTail tail = new TopicTail(client(), topic, true)) {
            tail.run(records::add, expected, Duration.ofSeconds(30), () -> false);
        }
        return records;
    }

    private static Map<String, Object> client() {
        return Map.of("bootstrap.servers", KAFKA.bootstrapServers());
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : utf8(h.value());
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
