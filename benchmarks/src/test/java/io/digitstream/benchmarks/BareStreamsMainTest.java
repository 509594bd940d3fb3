package io.digitstream.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

class BareStreamsMainTest {

    @Test
    void everyRecordIsCopiedAsItIs() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bare-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        byte[] image = new byte[784];
        image[400] = (byte) 255;
        Instant sent = Instant.parse("2026-12-07T10:00:00Z");

        try (TopologyTestDriver driver = new TopologyTestDriver(BareStreamsMain.topology("in", "out"), props)) {
            TestInputTopic<byte[], byte[]> in = driver.createInputTopic("in", new ByteArraySerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic("out", new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            in.pipeInput(key("img-0"), image, sent);
            in.pipeInput(key("img-1"), new byte[0], sent.plusMillis(1));

            TestRecord<byte[], byte[]> first = out.readRecord();
            assertThat(first.key()).isEqualTo(key("img-0"));
            assertThat(first.value()).isEqualTo(image);
            assertThat(first.getRecordTime()).isEqualTo(sent);
            assertThat(out.readRecord().value()).isEmpty();
            assertThat(out.isEmpty()).isTrue();
        }
    }

    @Test
    void theTopologyHasNoStateAndNoRepartition() {
        var description = BareStreamsMain.topology("in", "out").describe();

        assertThat(description.subtopologies()).hasSize(1);
        assertThat(description.globalStores()).isEmpty();
        assertThat(description.toString()).doesNotContain("repartition", "Store");
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }
}
