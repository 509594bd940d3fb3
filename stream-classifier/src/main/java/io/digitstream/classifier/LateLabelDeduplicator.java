package io.digitstream.classifier;

import io.digitstream.classifier.observe.ClassifierMetrics;
import io.digitstream.contract.PredictionEvent;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Lets one joined (prediction, late label) pair per event id through within the join window, so a label sent twice
 * (a retried upload, a replayed feed) does not count its prediction twice. The ids counted live in a window store
 * (with a changelog, so a restart remembers them) that forgets them once no label could join any more.
 */
final class LateLabelDeduplicator implements FixedKeyProcessor<byte[], PredictionEvent, PredictionEvent> {

    private final String storeName;
    private final Duration window;
    private final ClassifierMetrics metrics;
    private FixedKeyProcessorContext<byte[], PredictionEvent> context;
    private WindowStore<byte[], Long> counted;

    LateLabelDeduplicator(String storeName, Duration window, ClassifierMetrics metrics) {
        this.storeName = storeName;
        this.window = window;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], PredictionEvent> context) {
        this.context = context;
        this.counted = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<byte[], PredictionEvent> record) {
        long time = record.timestamp();
        try (WindowStoreIterator<Long> earlier = counted.fetch(record.key(), time - window.toMillis(),
                time + window.toMillis())) {
            if (earlier.hasNext()) {
                metrics.recordDuplicateLabel();
                return;
            }
        }
        counted.put(record.key(), time, time);
        context.forward(record);
    }
}
