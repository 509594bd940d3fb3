package io.digitstream.classifier;

import io.digitstream.classifier.event.AccuracyCounts;
import io.digitstream.classifier.event.AccuracyDelta;
import io.digitstream.classifier.event.AccuracyScope;
import io.digitstream.contract.PredictionEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Stage one of the accuracy: counts each labelled prediction into this task's partial counts, per model version
 * cumulatively and in the tumbling {@code accuracy.window} of the record's timestamp, and once per commit interval
 * (wall-clock, so the last counts go out when traffic stops) forwards what it counted as one {@link AccuracyDelta} per
 * model version and scope, keyed by model version, and clears it. {@link AccuracyDeltaMerger} adds the deltas up.
 *
 * <p>A window takes a prediction as Kafka Streams' windowed aggregation did: the window of its record timestamp, unless
 * the task's stream time has passed that window's end by {@code grace} ({@code label.join.window}: a late label makes
 * its prediction count late); the cumulative counts take every prediction.
 *
 * <p>Why nothing is lost or counted twice under exactly-once: the partial counts live in a store with a changelog, and
 * a punctuation's forwards and the deletes that clear the counts go into the same transaction as the input offsets of
 * the predictions counted. A crash or a task moving to another instance before the commit aborts all of it: the store
 * is restored from its changelog as of the last commit, with the counts not yet forwarded, and the predictions after
 * that are read again. Under at-least-once a failure between a delta's send and the offset commit counts the
 * predictions behind it again, as it would any record.
 *
 * <p>The store is cached, so a commit writes one changelog record per scope that changed, not one per prediction; the
 * map mirrors it so that counting one prediction does not read the store.
 */
final class AccuracyDeltaCounter<K> implements Processor<K, PredictionEvent, String, AccuracyDelta> {

    private final String storeName;
    private final long windowMillis;
    private final long graceMillis;
    private final Map<AccuracyScope, ValueAndTimestamp<AccuracyCounts>> pending = new HashMap<>();
    private ProcessorContext<String, AccuracyDelta> context;
    private TimestampedKeyValueStore<AccuracyScope, AccuracyCounts> store;

    AccuracyDeltaCounter(String storeName, Duration window, Duration grace) {
        this.storeName = storeName;
        this.windowMillis = window.toMillis();
        this.graceMillis = grace.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, AccuracyDelta> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        // a revived task (exactly-once, after an abort) is initialised again on a restored store
        pending.clear();
        try (KeyValueIterator<AccuracyScope, ValueAndTimestamp<AccuracyCounts>> all = store.all()) {
            all.forEachRemaining(kv -> pending.put(kv.key, kv.value));
        }
        context.schedule(Duration.ofMillis(commitIntervalMillis(context.appConfigs())),
                PunctuationType.WALL_CLOCK_TIME, now -> forwardDeltas());
    }

    @Override
    public void process(Record<K, PredictionEvent> record) {
        PredictionEvent labelled = record.value();
        long time = record.timestamp();
        count(AccuracyScope.cumulative(labelled.modelVersion()), labelled, time);
        // TimeWindows' tumbling window of the timestamp, and its close as KStreamWindowAggregate decides it
        long windowStart = Math.max(0, time) / windowMillis * windowMillis;
        if (windowStart + windowMillis > context.currentStreamTimeMs() - graceMillis) {
            count(AccuracyScope.window(labelled.modelVersion(), windowStart), labelled, time);
        }
    }

    private void count(AccuracyScope scope, PredictionEvent labelled, long time) {
        ValueAndTimestamp<AccuracyCounts> before = pending.get(scope);
        ValueAndTimestamp<AccuracyCounts> after = before == null
                ? ValueAndTimestamp.make(AccuracyCounts.empty().add(labelled), time)
                : ValueAndTimestamp.make(before.value().add(labelled), Math.max(before.timestamp(), time));
        pending.put(scope, after);
        store.put(scope, after);
    }

    private void forwardDeltas() {
        for (Map.Entry<AccuracyScope, ValueAndTimestamp<AccuracyCounts>> delta : pending.entrySet()) {
            AccuracyScope scope = delta.getKey();
            context.forward(new Record<>(scope.modelVersion(),
                    new AccuracyDelta(scope, delta.getValue().value()), Math.max(0, delta.getValue().timestamp())));
            store.delete(scope);
        }
        pending.clear();
    }

    /** Kafka Streams' commit interval as resolved (100 ms under exactly-once, 30 s under at-least-once by default). */
    static long commitIntervalMillis(Map<String, Object> appConfigs) {
        Object interval = appConfigs.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
        if (interval == null) {
            return StreamsConfig.EXACTLY_ONCE_V2.equals(appConfigs.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
                    ? 100 : 30_000;
        }
        return Math.max(1, Long.parseLong(interval.toString()));
    }
}
