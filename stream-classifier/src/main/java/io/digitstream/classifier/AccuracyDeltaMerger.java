package io.digitstream.classifier;

import io.digitstream.classifier.event.AccuracyCounts;
import io.digitstream.classifier.event.AccuracyDelta;
import io.digitstream.classifier.event.AccuracyScope;
import io.digitstream.classifier.observe.ClassifierMetrics;
import io.digitstream.contract.AccuracyReport;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Stage two of the accuracy: adds each {@link AccuracyDelta} (keyed, and so partitioned, by model version) to the
 * running counts of its scope, cumulative or windowed, and forwards the new figures as the {@link AccuracyReport} of
 * the accuracy topic (keyed by the model version, or {@code version@windowStart}).
 *
 * <p>It also keeps the accuracy gauges of the model versions its task holds, exported only while this instance runs
 * the task: when the task starts (new, restored after a restart, or taken over from another instance) it publishes
 * what its stores hold, each delta updates them, and when the task is closed (revoked in a rebalance, or the
 * application stops) its versions' gauges are removed. Without that, an instance that lost the task kept exporting its
 * last counts, and a sum over instances counted them twice.
 */
final class AccuracyDeltaMerger implements Processor<String, AccuracyDelta, String, AccuracyReport> {

    private final String cumulativeStoreName;
    private final String windowedStoreName;
    private final long windowMillis;
    private final ClassifierMetrics metrics;
    private final Set<String> versions = new HashSet<>();
    private ProcessorContext<String, AccuracyReport> context;
    private TimestampedKeyValueStore<String, AccuracyCounts> cumulative;
    private TimestampedWindowStore<String, AccuracyCounts> windowed;

    AccuracyDeltaMerger(String cumulativeStore, String windowedStore, long windowMillis, ClassifierMetrics metrics) {
        this.cumulativeStoreName = cumulativeStore;
        this.windowedStoreName = windowedStore;
        this.windowMillis = windowMillis;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, AccuracyReport> context) {
        this.context = context;
        this.cumulative = context.getStateStore(cumulativeStoreName);
        this.windowed = context.getStateStore(windowedStoreName);
        try (KeyValueIterator<String, ValueAndTimestamp<AccuracyCounts>> all = cumulative.all()) {
            all.forEachRemaining(kv -> {
                if (kv.value != null) {
                    publishCumulative(kv.key, kv.value.value());
                }
            });
        }
        try (KeyValueIterator<Windowed<String>, ValueAndTimestamp<AccuracyCounts>> all = windowed.all()) {
            all.forEachRemaining(kv -> {
                if (kv.value != null) {
                    publishWindow(kv.key.key(), kv.key.window().start(), kv.value.value());
                }
            });
        }
    }

    @Override
    public void process(Record<String, AccuracyDelta> record) {
        AccuracyDelta delta = record.value();
        AccuracyScope scope = delta.scope();
        String version = scope.modelVersion();
        if (scope.isCumulative()) {
            ValueAndTimestamp<AccuracyCounts> merged = merged(cumulative.get(version), delta, record.timestamp());
            cumulative.put(version, merged);
            publishCumulative(version, merged.value());
            context.forward(record.withKey(version).withValue(merged.value().report(version, null, null))
                    .withTimestamp(merged.timestamp()));
            return;
        }
        long start = scope.windowStart();
        ValueAndTimestamp<AccuracyCounts> before = windowed.fetch(version, start);
        ValueAndTimestamp<AccuracyCounts> merged = merged(before, delta, record.timestamp());
        windowed.put(version, merged, start);
        // a window older than the store's retention (its size plus the grace) is dropped by the put: no figures for it
        if (before == null && windowed.fetch(version, start) == null) {
            return;
        }
        publishWindow(version, start, merged.value());
        context.forward(record.withKey(version + "@" + start)
                .withValue(merged.value().report(version, start, start + windowMillis))
                .withTimestamp(merged.timestamp()));
    }

    @Override
    public void close() {
        versions.forEach(metrics::accuracyReleased);
        versions.clear();
    }

    private static ValueAndTimestamp<AccuracyCounts> merged(ValueAndTimestamp<AccuracyCounts> before,
                                                            AccuracyDelta delta, long timestamp) {
        return before == null ? ValueAndTimestamp.make(delta.counts(), timestamp)
                : ValueAndTimestamp.make(before.value().plus(delta.counts()), Math.max(before.timestamp(), timestamp));
    }

    private void publishCumulative(String version, AccuracyCounts counts) {
        versions.add(version);
        metrics.cumulativeAccuracy(version, counts.matrix(), counts.rejected());
    }

    private void publishWindow(String version, long start, AccuracyCounts counts) {
        versions.add(version);
        metrics.windowAccuracy(version, start, counts.matrix(), counts.rejected());
    }
}
