package io.digitstream.benchmarks;

import io.digitstream.contract.PredictionEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads the predictions topic as a downstream consumer would (read_committed: only what the classifier committed),
 * on a thread of its own, noting for every prediction when it was consumed. Event ids are
 * {@code <prefix>-<n>}; a prefix names one batch of images (warm-up or measured).
 */
final class PredictionCollector implements AutoCloseable {

    /** One consumed prediction; {@code json} is kept only when asked for, and parsed after the measurement. */
    record Received(String id, long timestamp, long consumedAt, byte[] json) {

        /** classifiedAt - receivedAt as the classifier stamped them. */
        long classifierMillis() {
            PredictionEvent event = PredictionEvent.fromJson(json);
            return event.classifiedAt() - event.receivedAt();
        }
    }

    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final boolean keepJson;
    private final List<Received> received = new ArrayList<>();
    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> distinctByPrefix = new ConcurrentHashMap<>();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread poller;
    private volatile boolean running = true;

    PredictionCollector(String bootstrapServers, String topic, int partitions, boolean keepJson) {
        this.keepJson = keepJson;
        consumer = CommittedConsumer.create(bootstrapServers, "bench-collector-" + topic);
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(topic, p));
        }
        // assigned, not subscribed: no consumer group, so no rebalance delay before the first record
        consumer.assign(all);
        consumer.seekToBeginning(all);
        poller = new Thread(this::poll, "bench-collector-" + topic);
        poller.setDaemon(true);
        poller.start();
    }

    private void poll() {
        try {
            while (running) {
                var records = consumer.poll(POLL);
                long now = System.currentTimeMillis();
                synchronized (received) {
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        String id = new String(r.key(), StandardCharsets.UTF_8);
                        if (!ids.add(id)) {
                            duplicates.incrementAndGet();
                            continue;
                        }
                        distinctByPrefix.computeIfAbsent(prefixOf(id), k -> new AtomicInteger()).incrementAndGet();
                        received.add(new Received(id, r.timestamp(), now, keepJson ? r.value() : null));
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure.set(e);
        }
    }

    private static String prefixOf(String id) {
        int dash = id.lastIndexOf('-');
        return dash < 0 ? id : id.substring(0, dash);
    }

    /**
     * Waits until {@code expected} distinct predictions with ids {@code <prefix>-n} have been consumed.
     *
     * @param producerAlive checked while waiting, so a classifier that died fails the wait at once
     * @throws IllegalStateException on timeout, a dead classifier or a consumer failure
     */
    void await(String prefix, int expected, Duration timeout, BooleanSupplier producerAlive)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (distinct(prefix) < expected) {
            throwIfFailed();
            if (!producerAlive.getAsBoolean()) {
                throw new IllegalStateException("the classifier exited after " + distinct(prefix) + " of "
                        + expected + " '" + prefix + "' predictions");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + distinct(prefix) + " of " + expected + " '" + prefix
                        + "' predictions arrived within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    /** Throws if consuming failed. */
    void throwIfFailed() {
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("consuming predictions failed: " + e, e);
        }
    }

    int distinct(String prefix) {
        AtomicInteger count = distinctByPrefix.get(prefix);
        return count == null ? 0 : count.get();
    }

    /** Predictions consumed more than once (at-least-once may redeliver; exactly-once must not). */
    int duplicates() {
        return duplicates.get();
    }

    /** The distinct predictions of one prefix, in the order they were consumed. */
    List<Received> received(String prefix) {
        synchronized (received) {
            return received.stream().filter(r -> prefixOf(r.id()).equals(prefix)).toList();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        poller.join(Duration.ofSeconds(10).toMillis());
        consumer.close(Duration.ofSeconds(5));
    }
}
