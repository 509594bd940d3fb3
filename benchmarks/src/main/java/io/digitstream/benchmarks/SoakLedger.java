package io.digitstream.benchmarks;

import io.digitstream.contract.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;

/**
 * Reads the predictions and the dead letters as a downstream consumer would (read_committed: only what the
 * classifier committed), on a thread of its own, and notes each image id and each hostile sequence number it sees,
 * and how often. Keeps a bit per image and an entry per hostile record, never the records.
 */
final class SoakLedger implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String predictionsTopic;
    private final String dlqTopic;
    private final Thread poller;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean running = true;

    // guarded by this
    private final BitSet predicted = new BitSet();
    private long predictions;
    private long duplicatePredictions;
    private final Noted unexpectedPredictions = new Noted();
    private final Map<Long, String> hostileReasons = new HashMap<>();
    private long duplicateDeadLetters;
    private long deadLetters;
    private final Map<String, Long> deadLettersByReason = new TreeMap<>();
    private final Map<String, Long> imagesDeadLettered = new TreeMap<>();
    private final Noted unexpectedDeadLetters = new Noted();

    SoakLedger(String bootstrapServers, String predictionsTopic, String dlqTopic) {
        this.predictionsTopic = predictionsTopic;
        this.dlqTopic = dlqTopic;
        consumer = CommittedConsumer.create(bootstrapServers, "soak-ledger-" + predictionsTopic);
        List<TopicPartition> all = new ArrayList<>();
        for (String topic : List.of(predictionsTopic, dlqTopic)) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> all.add(new TopicPartition(topic, p.partition())));
        }
        // assigned, not subscribed: no consumer group, so no rebalance delay before the first record
        consumer.assign(all);
        consumer.seekToBeginning(all);
        poller = new Thread(this::poll, "soak-ledger");
        poller.setDaemon(true);
        poller.start();
    }

    private void poll() {
        try {
            while (running) {
                var records = consumer.poll(POLL);
                synchronized (this) {
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        if (r.topic().equals(predictionsTopic)) {
                            notePrediction(r);
                        } else {
                            noteDeadLetter(r);
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure.set(e);
        }
    }

    private void notePrediction(ConsumerRecord<byte[], byte[]> r) {
        predictions++;
        long n = imageNumber(r.key());
        if (n < 0) {
            unexpectedPredictions.add("key " + preview(r.key()));
        } else if (predicted.get((int) n)) {
            duplicatePredictions++;
        } else {
            predicted.set((int) n);
        }
    }

    private void noteDeadLetter(ConsumerRecord<byte[], byte[]> r) {
        deadLetters++;
        String reason = header(r, DeadLetter.REASON);
        deadLettersByReason.merge(String.valueOf(reason), 1L, Long::sum);
        long sequence = sequence(header(r, HostileRecords.SEQUENCE_HEADER));
        if (sequence >= 0) {
            if (hostileReasons.putIfAbsent(sequence, String.valueOf(reason)) != null) {
                duplicateDeadLetters++;
            }
        } else if (imageNumber(r.key()) >= 0) {
            imagesDeadLettered.merge(String.valueOf(reason), 1L, Long::sum);
        } else {
            unexpectedDeadLetters.add("key " + preview(r.key()) + ", reason " + reason);
        }
    }

    /** {@code n} of a key {@code img-<n>}, or -1 for any other key. */
    static long imageNumber(byte[] key) {
        String prefix = SoakTraffic.IMAGE_ID_PREFIX;
        if (key == null || key.length <= prefix.length() || key.length > prefix.length() + 10) {
            return -1;
        }
        String id = new String(key, StandardCharsets.UTF_8);
        if (!id.startsWith(prefix)) {
            return -1;
        }
        try {
            long n = Long.parseLong(id.substring(prefix.length()));
            return n >= 0 && n < Integer.MAX_VALUE ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long sequence(String header) {
        try {
            return header == null ? -1 : Long.parseLong(header);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String preview(byte[] key) {
        if (key == null) {
            return "(none)";
        }
        String text = new String(key, 0, Math.min(key.length, 40), StandardCharsets.UTF_8);
        return key.length > 40 ? text + "... (" + key.length + " bytes)" : text;
    }

    /** Records consumed from the predictions topic so far, duplicates included. */
    synchronized long predictions() {
        return predictions;
    }

    /** Records consumed from the dead-letter topic so far, duplicates included. */
    synchronized long deadLetters() {
        return deadLetters;
    }

    /** Distinct images ({@code img-<n>}) predicted so far. */
    synchronized long imagesPredicted() {
        return predicted.cardinality();
    }

    synchronized boolean predicted(long n) {
        return predicted.get((int) n);
    }

    /** Distinct hostile records dead-lettered so far. */
    synchronized long hostileDeadLettered() {
        return hostileReasons.size();
    }

    /** The reason of hostile record {@code sequence}'s first dead letter, or null while it has none. */
    synchronized String hostileReason(long sequence) {
        return hostileReasons.get(sequence);
    }

    synchronized long duplicatePredictions() {
        return duplicatePredictions;
    }

    synchronized long duplicateDeadLetters() {
        return duplicateDeadLetters;
    }

    synchronized Map<String, Long> deadLettersByReason() {
        return new TreeMap<>(deadLettersByReason);
    }

    /** Images that became dead letters instead of predictions, by reason. */
    synchronized Map<String, Long> imagesDeadLettered() {
        return new TreeMap<>(imagesDeadLettered);
    }

    /** How many predictions had a key that is no image id of this soak, with the first few. */
    synchronized Trouble unexpectedPredictions() {
        return unexpectedPredictions.trouble();
    }

    /** How many dead letters were neither a hostile record nor an image of this soak, with the first few. */
    synchronized Trouble unexpectedDeadLetters() {
        return unexpectedDeadLetters.trouble();
    }

    /** A count and its first few examples. */
    record Trouble(long count, List<String> examples) {
    }

    /** Counts a kind of trouble and keeps its first few examples; guarded by the ledger. */
    private static final class Noted {

        private long count;
        private final List<String> examples = new ArrayList<>();

        void add(String example) {
            count++;
            if (examples.size() < 5) {
                examples.add(example);
            }
        }

        Trouble trouble() {
            return new Trouble(count, List.copyOf(examples));
        }
    }

    /** The consumer's failure, if it stopped. */
    Exception failure() {
        return failure.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        poller.join(Duration.ofSeconds(10).toMillis());
        consumer.close(Duration.ofSeconds(5));
    }
}
