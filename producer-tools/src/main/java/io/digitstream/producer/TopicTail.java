package io.digitstream.producer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one topic like {@code tail -f}: every partition, committed records only (so a prediction from a
 * transaction the classifier aborted is never shown), without a consumer group, so tailing leaves no trace on the
 * cluster and never takes records from a real consumer.
 */
public final class TopicTail implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final boolean fromBeginning;

    public TopicTail(Map<String, Object> clientProperties, String topic, boolean fromBeginning) {
        Map<String, Object> props = new LinkedHashMap<>(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(props);
        this.topic = topic;
        this.fromBeginning = fromBeginning;
    }

    /**
     * Hands each record to {@code onRecord} until {@code maxRecords} were read (0 = no limit), nothing arrived for
     * {@code idleTimeout} (zero = wait forever), or {@code stop} says so.
     *
     * @return records read
     */
    public long run(Consumer<ConsumerRecord<byte[], byte[]>> onRecord, long maxRecords, Duration idleTimeout,
                    BooleanSupplier stop) {
        long lastRecord = System.nanoTime();
        if (!assign(idleTimeout, stop)) {
            return 0;
        }
        long read = 0;
        while (!stop.getAsBoolean() && (maxRecords == 0 || read < maxRecords)) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                onRecord.accept(record);
                lastRecord = System.nanoTime();
                if (++read == maxRecords) {
                    break;
                }
            }
            if (!idleTimeout.isZero() && System.nanoTime() - lastRecord > idleTimeout.toNanos()) {
                break;
            }
        }
        return read;
    }

    /** The topic may not exist yet (the classifier creates it): wait for it as long as one may wait for records. */
    private boolean assign(Duration idleTimeout, BooleanSupplier stop) {
        long started = System.nanoTime();
        while (!stop.getAsBoolean()) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (partitions != null && !partitions.isEmpty()) {
                List<TopicPartition> assigned = new ArrayList<>();
                partitions.forEach(p -> assigned.add(new TopicPartition(p.topic(), p.partition())));
                consumer.assign(assigned);
                if (fromBeginning) {
                    consumer.seekToBeginning(assigned);
                } else {
                    consumer.seekToEnd(assigned);
                }
                return true;
            }
            if (!idleTimeout.isZero() && System.nanoTime() - started > idleTimeout.toNanos()) {
                return false;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
