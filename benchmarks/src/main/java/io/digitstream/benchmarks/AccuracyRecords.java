package io.digitstream.benchmarks;

import io.digitstream.contract.AccuracyReport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads the accuracy topic as a downstream consumer would (committed records only), for the benchmark's check. */
final class AccuracyRecords {

    private static final Duration POLL = Duration.ofMillis(200);

    private AccuracyRecords() {
    }

    /**
     * The last cumulative record of {@code modelVersion} (key = the version) once it counts at least {@code labelled}
     * labelled predictions, accepted and rejected; or the last one there is when {@code timeout} is up; empty if none.
     */
    static Optional<AccuracyReport> awaitCumulative(String bootstrapServers, String topic, int partitions,
                                                    String modelVersion, long labelled, Duration timeout) {
        AccuracyReport last = null;
        try (KafkaConsumer<byte[], byte[]> consumer = CommittedConsumer.create(bootstrapServers,
                "bench-accuracy-" + topic)) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && (last == null || last.total() + last.rejected() < labelled)) {
                // one version's records come from one partition, in order: the last one read is the newest
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    if (r.key() != null && modelVersion.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        last = AccuracyReport.fromJson(r.value());
                    }
                }
            }
        }
        return Optional.ofNullable(last);
    }
}
