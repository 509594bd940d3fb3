package io.digitstream.classifier;

import io.digitstream.classifier.observe.ClassifierMetrics;
import io.digitstream.classifier.event.AccuracyCounts;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The accuracy gauges of the model versions one task holds, exported only while this instance runs that task. When the
 * task starts (new, restored after a restart, or taken over from another instance) it publishes what its stores hold;
 * each change of the cumulative counts updates them; when the task is closed (revoked in a rebalance, or the
 * application stops) its versions' gauges are removed. Without that, an instance that lost the task kept exporting its
 * last counts, and a sum over instances counted them twice.
 */
final class TaskAccuracyGauges implements FixedKeyProcessor<String, AccuracyCounts, AccuracyCounts> {

    private final String cumulativeStore;
    private final String windowedStore;
    private final ClassifierMetrics metrics;
    private final Set<String> versions = new HashSet<>();
    private FixedKeyProcessorContext<String, AccuracyCounts> context;

    TaskAccuracyGauges(String cumulativeStore, String windowedStore, ClassifierMetrics metrics) {
        this.cumulativeStore = cumulativeStore;
        this.windowedStore = windowedStore;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, AccuracyCounts> context) {
        this.context = context;
        TimestampedKeyValueStore<String, AccuracyCounts> cumulative = context.getStateStore(cumulativeStore);
        try (KeyValueIterator<String, ValueAndTimestamp<AccuracyCounts>> all = cumulative.all()) {
            all.forEachRemaining(kv -> publish(kv.key, kv.value));
        }
        TimestampedWindowStore<String, AccuracyCounts> windowed = context.getStateStore(windowedStore);
        try (KeyValueIterator<Windowed<String>, ValueAndTimestamp<AccuracyCounts>> all = windowed.all()) {
            all.forEachRemaining(kv -> {
                if (kv.value != null) {
                    versions.add(kv.key.key());
                    AccuracyCounts counts = kv.value.value();
                    metrics.windowAccuracy(kv.key.key(), kv.key.window().start(), counts.matrix(), counts.rejected());
                }
            });
        }
    }

    @Override
    public void process(FixedKeyRecord<String, AccuracyCounts> record) {
        if (record.value() != null) {
            versions.add(record.key());
            metrics.cumulativeAccuracy(record.key(), record.value().matrix(), record.value().rejected());
        }
        context.forward(record);
    }

    @Override
    public void close() {
        versions.forEach(metrics::accuracyReleased);
        versions.clear();
    }

    private void publish(String version, ValueAndTimestamp<AccuracyCounts> counts) {
        if (counts != null) {
            versions.add(version);
            metrics.cumulativeAccuracy(version, counts.value().matrix(), counts.value().rejected());
        }
    }
}
