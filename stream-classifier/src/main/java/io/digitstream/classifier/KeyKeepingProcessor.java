package io.digitstream.classifier;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.InternalFixedKeyRecordFactory;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Runs a {@link Processor} that forwards its records under the key of the input record each came from, as a
 * {@link FixedKeyProcessor} ({@code processValues}), so that the DSL knows the stream is still partitioned by its input
 * key. {@code process()} would mark it as re-keyed, and the label join downstream would then repartition even the
 * predictions that are already in their join partition ({@link ClassifierTopology}). (A dead letter's key may be cut
 * to fit the dead-letter topic; dead letters only go to that topic's sink.)
 *
 * <p>A {@link FixedKeyRecord} can only be made from one received; {@link ClassifyProcessor} also forwards records it
 * read back from its batch store after a restart, so its records are converted with Kafka Streams'
 * {@link InternalFixedKeyRecordFactory}. Keeping the key is the wrapped processor's promise, and
 * {@code ClassifierTopologyTest} checks it.
 */
final class KeyKeepingProcessor<K, V, VOut> implements FixedKeyProcessor<K, V, VOut> {

    private final Processor<K, V, K, VOut> processor;

    KeyKeepingProcessor(Processor<K, V, K, VOut> processor) {
        this.processor = processor;
    }

    @Override
    public void init(FixedKeyProcessorContext<K, VOut> context) {
        processor.init(new KeyKeepingContext<>(context));
    }

    @Override
    public void process(FixedKeyRecord<K, V> record) {
        processor.process(new Record<>(record.key(), record.value(), record.timestamp(), record.headers()));
    }

    @Override
    public void close() {
        processor.close();
    }

    /** The wrapped processor's context: the fixed-key one, forwarding its records as fixed-key records. */
    private record KeyKeepingContext<K, VOut>(FixedKeyProcessorContext<K, VOut> context)
            implements ProcessorContext<K, VOut> {

        @Override
        public <K1 extends K, V1 extends VOut> void forward(Record<K1, V1> record) {
            context.forward(InternalFixedKeyRecordFactory.create(record));
        }

        @Override
        public <K1 extends K, V1 extends VOut> void forward(Record<K1, V1> record, String childName) {
            context.forward(InternalFixedKeyRecordFactory.create(record), childName);
        }

        @Override
        public String applicationId() {
            return context.applicationId();
        }

        @Override
        public TaskId taskId() {
            return context.taskId();
        }

        @Override
        public Optional<RecordMetadata> recordMetadata() {
            return context.recordMetadata();
        }

        @Override
        public Serde<?> keySerde() {
            return context.keySerde();
        }

        @Override
        public Serde<?> valueSerde() {
            return context.valueSerde();
        }

        @Override
        public File stateDir() {
            return context.stateDir();
        }

        @Override
        public StreamsMetrics metrics() {
            return context.metrics();
        }

        @Override
        public <S extends StateStore> S getStateStore(String name) {
            return context.getStateStore(name);
        }

        @Override
        public Cancellable schedule(Duration interval, PunctuationType type, Punctuator callback) {
            return context.schedule(interval, type, callback);
        }

        @Override
        public Cancellable schedule(Instant startTime, Duration interval, PunctuationType type,
                                    Punctuator callback) {
            return context.schedule(startTime, interval, type, callback);
        }

        @Override
        public void commit() {
            context.commit();
        }

        @Override
        public Map<String, Object> appConfigs() {
            return context.appConfigs();
        }

        @Override
        public Map<String, Object> appConfigsWithPrefix(String prefix) {
            return context.appConfigsWithPrefix(prefix);
        }

        @Override
        public long currentSystemTimeMs() {
            return context.currentSystemTimeMs();
        }

        @Override
        public long currentStreamTimeMs() {
            return context.currentStreamTimeMs();
        }
    }
}
