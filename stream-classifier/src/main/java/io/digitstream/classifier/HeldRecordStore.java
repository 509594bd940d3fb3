package io.digitstream.classifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * The records an {@link ImageBatch} holds, by their place in the batch: kept in memory, and written to the store's
 * changelog only when the task commits, for the places whose record changed since the last commit. Kafka Streams counts
 * a record as processed once {@code process()} returns, so a commit can pass over a held record; what this store
 * writes is in that commit (in its transaction under exactly-once), and the task's next owner reads it back
 * ({@link #restored()}).
 *
 * <p>Why not a plain cached key-value store, as before: it cost a put and a delete per image (the record serialized,
 * a cache entry, position tracking, a lock), while most images leave the batch long before a commit; without them the
 * pass-through ran about 1.1x the images/s (the medians in docs/benchmarks.md). Kafka Streams flushes its caches just before it commits
 * ({@code StreamTask.prepareCommit}); that is the one hook a store has there, and it is offered through Kafka Streams'
 * internal {@link CachedStateStore}. This store takes it, writes the changed places into a cached, logged in-memory
 * store, and flushes that. {@code ClassifierKillRestartIT} kills a classifier whose images were all held when it
 * committed, and fails if they are not read back; an upgrade of Kafka Streams that stopped calling the hook would fail
 * there.
 */
final class HeldRecordStore implements StateStore, CachedStateStore<Object, Object> {

    private final KeyValueStore<Integer, byte[]> committed;
    private final HeldRecord[] held = new HeldRecord[ImageBatch.MAX_IMAGES];
    // changed since the last commit: to be written
    private final boolean[] changed = new boolean[ImageBatch.MAX_IMAGES];
    // in the committed store: to be deleted once empty here
    private final boolean[] written = new boolean[ImageBatch.MAX_IMAGES];
    // places at and above this are empty, unchanged and not written
    private int used;
    // whether the committed store has been read, after its restoration, into the places
    private boolean read;

    /** @param committed the store written at a commit; its name is this store's */
    HeldRecordStore(KeyValueStore<Integer, byte[]> committed) {
        this.committed = Objects.requireNonNull(committed, "committed");
    }

    /**
     * The builder of a store named {@code name}: in memory, its changelog configured with {@code logConfig}; an
     * in-memory store restores its whole changelog at start, so the config should roll segments often for compaction.
     */
    static StoreBuilder<HeldRecordStore> builder(String name, Map<String, String> logConfig) {
        return new Builder(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.Integer(),
                Serdes.ByteArray()).withCachingEnabled().withLoggingEnabled(logConfig));
    }

    /**
     * The records held when the task last committed, by place, as the store's restoration left them; they stay held
     * until {@link #releaseAll()}. Called when the processor starts, after the restoration.
     */
    List<HeldRecord> restored() {
        if (!read) {
            read = true;
            try (KeyValueIterator<Integer, byte[]> all = committed.all()) {
                while (all.hasNext()) {
                    KeyValue<Integer, byte[]> entry = all.next();
                    int place = placeOf(entry.key);
                    held[place] = HeldRecord.fromBytes(entry.value);
                    written[place] = true;
                    used = Math.max(used, place + 1);
                }
            }
        }
        List<HeldRecord> records = new ArrayList<>();
        for (int place = 0; place < used; place++) {
            if (held[place] != null) {
                records.add(held[place]);
            }
        }
        return records;
    }

    /** Holds {@code record} at {@code place}, in place of what was there. */
    void hold(int place, HeldRecord record) {
        placeOf(place);
        held[place] = Objects.requireNonNull(record, "record");
        changed[place] = true;
        used = Math.max(used, place + 1);
    }

    /** Empties every place: the records were classified or dead-lettered. */
    void releaseAll() {
        for (int place = 0; place < used; place++) {
            held[place] = null;
            changed[place] = false;
        }
    }

    /** The records held now. */
    int size() {
        int size = 0;
        for (int place = 0; place < used; place++) {
            if (held[place] != null) {
                size++;
            }
        }
        return size;
    }

    /** Before a commit: the places that changed are written, those emptied are deleted. */
    @Override
    public void flushCache() {
        int inUse = 0;
        for (int place = 0; place < used; place++) {
            if (held[place] != null) {
                if (changed[place]) {
                    committed.put(place, held[place].toBytes());
                    written[place] = true;
                    changed[place] = false;
                }
            } else if (written[place]) {
                committed.delete(place);
                written[place] = false;
            }
            if (held[place] != null || written[place]) {
                inUse = place + 1;
            }
        }
        used = inUse;
        if (committed instanceof CachedStateStore<?, ?> cached) {
            cached.flushCache();
        }
    }

    /** A task closed without committing: what is held here was never committed, and its next start reads the store. */
    @Override
    public void clearCache() {
        forget();
        if (committed instanceof CachedStateStore<?, ?> cached) {
            cached.clearCache();
        }
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        forget();
        committed.init(context, root);
    }

    @Override
    public String name() {
        return committed.name();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        committed.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return committed.committedOffset(partition);
    }

    @Override
    public boolean managesOffsets() {
        return committed.managesOffsets();
    }

    @Override
    public void close() {
        forget();
        committed.close();
    }

    @Override
    public boolean persistent() {
        return committed.persistent();
    }

    @Override
    public boolean isOpen() {
        return committed.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return committed.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return committed.getPosition();
    }

    @Override
    public long approximateNumUncommittedBytes() {
        return committed.approximateNumUncommittedBytes();
    }

    private void forget() {
        for (int place = 0; place < used; place++) {
            held[place] = null;
            changed[place] = false;
            written[place] = false;
        }
        used = 0;
        read = false;
    }

    private static int placeOf(Integer place) {
        if (place == null || place < 0 || place >= ImageBatch.MAX_IMAGES) {
            throw new IllegalArgumentException("a place in a batch is 0 to " + (ImageBatch.MAX_IMAGES - 1) + ", not "
                    + place);
        }
        return place;
    }

    /** Builds the committed store and this one around it; the changelog and its config are the committed store's. */
    private record Builder(StoreBuilder<KeyValueStore<Integer, byte[]>> committed)
            implements StoreBuilder<HeldRecordStore> {

        @Override
        public StoreBuilder<HeldRecordStore> withCachingEnabled() {
            return new Builder(committed.withCachingEnabled());
        }

        @Override
        public StoreBuilder<HeldRecordStore> withCachingDisabled() {
            return new Builder(committed.withCachingDisabled());
        }

        @Override
        public StoreBuilder<HeldRecordStore> withLoggingEnabled(Map<String, String> config) {
            return new Builder(committed.withLoggingEnabled(config));
        }

        @Override
        public StoreBuilder<HeldRecordStore> withLoggingDisabled() {
            return new Builder(committed.withLoggingDisabled());
        }

        @Override
        public HeldRecordStore build() {
            return new HeldRecordStore(committed.build());
        }

        @Override
        public Map<String, String> logConfig() {
            return committed.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return committed.loggingEnabled();
        }

        @Override
        public String name() {
            return committed.name();
        }
    }
}
