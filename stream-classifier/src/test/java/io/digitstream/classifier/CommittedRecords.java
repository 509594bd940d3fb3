package io.digitstream.classifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Topics read from the beginning with {@code isolation.level=read_committed}, as a downstream consumer of the
 * classifier sees them: records of aborted transactions never show up. Every wait is bounded and fails past it.
 */
final class CommittedRecords implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final Map<String, List<ConsumerRecord<byte[], byte[]>>> byTopic = new HashMap<>();

    /** @param partitionsPerTopic how many partitions each topic has (they may not exist yet) */
    CommittedRecords(String bootstrapServers, int partitionsPerTopic, String... topics) {
        this(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), partitionsPerTopic, topics);
    }

    /** @param clientProperties the brokers and connection settings, e.g. TLS and SASL */
    CommittedRecords(Map<String, Object> clientProperties, int partitionsPerTopic, String... topics) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        for (String topic : topics) {
            byTopic.put(topic, new ArrayList<>());
            for (int p = 0; p < partitionsPerTopic; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** The records of {@code topic} read so far, in the order they arrived. */
    List<ConsumerRecord<byte[], byte[]>> of(String topic) {
        return byTopic.get(topic);
    }

    int count(String topic) {
        return of(topic).size();
    }

    /** Reads until {@code done} holds (it is checked before every poll); fails once {@code timeout} has passed. */
    void awaitUntil(String what, Duration timeout, BooleanSupplier done) {
        awaitUntil(() -> what, timeout, done);
    }

    /** As {@link #awaitUntil(String, Duration, BooleanSupplier)}, {@code what} said as it is when the wait fails. */
    void awaitUntil(java.util.function.Supplier<String> what, Duration timeout, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout + " for " + what.get() + "; read so far: " + counts());
            }
            poll();
        }
    }

    /** Reads until {@code topic} has at least {@code count} records. */
    void awaitCount(String topic, int count, Duration timeout) {
        awaitUntil(count + " records on " + topic, timeout, () -> count(topic) >= count);
    }

    /**
     * Reads on up to the last stable offset of every partition, so that a record committed by now, such as a
     * duplicate, is read too.
     */
    void drain(Duration timeout) {
        awaitUntil("the last stable offsets", timeout, () -> {
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            return partitions.stream().allMatch(tp -> consumer.position(tp, timeout) >= ends.get(tp));
        });
    }

    private void poll() {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
            byTopic.get(r.topic()).add(r);
        }
    }

    private Map<String, Integer> counts() {
        Map<String, Integer> counts = new HashMap<>();
        byTopic.forEach((topic, records) -> counts.put(topic, records.size()));
        return counts;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
