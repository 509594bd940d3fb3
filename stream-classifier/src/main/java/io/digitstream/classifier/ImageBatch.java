package io.digitstream.classifier;

import io.digitstream.contract.DigitShape;
import io.digitstream.contract.ImageEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The decoded images a stream task holds for one model call: their pixels side by side, as the model takes them, and
 * each record in a state store under its place in the batch. Kafka Streams counts a record as processed once
 * {@code process()} returns, so a commit can pass over a held record; the store's changelog is written in that
 * commit (in its transaction under exactly-once), so a restart reads back what was held and classifies it
 * ({@link #takeStored}). The store is cached: a record classified before the next commit costs a cache entry and no
 * changelog record, and a commit writes at most one record per place in the batch.
 */
final class ImageBatch {

    /** The largest {@code classify.batch.size}. */
    static final int MAX_IMAGES = 1024;
    /** Held bytes at which a batch goes to the model before it is full, so large images do not pile up in memory. */
    static final int MAX_HELD_BYTES = 1024 * 1024;
    /**
     * A larger record is classified at once, with what is held before it, never held: its copy in the changelog
     * would pass the 1 MB {@code max.message.bytes} that Kafka Streams' changelog topics have by default.
     */
    static final int MAX_RECORD_BYTES = 256 * 1024;

    /** One held image: the record, what was decoded from it, and the nanoseconds its decoding took. */
    record Held(HeldRecord input, ImageEvent event, long decodeNanos) {
    }

    private final KeyValueStore<Integer, byte[]> store;
    private final int capacity;
    private final float[] pixels;
    private final List<Held> held;
    private int heldBytes;
    private int storedSlots;

    ImageBatch(KeyValueStore<Integer, byte[]> store, int capacity) {
        if (capacity < 1 || capacity > MAX_IMAGES) {
            throw new IllegalArgumentException("a batch holds 1 to " + MAX_IMAGES + " images, not " + capacity);
        }
        this.store = store;
        this.capacity = capacity;
        this.pixels = new float[capacity * DigitShape.PIXELS];
        this.held = new ArrayList<>(capacity);
    }

    /**
     * Where the next image's pixels go in {@link #pixels()}: the caller preprocesses into that place, then calls
     * {@link #add}.
     */
    int nextOffset() {
        return held.size() * DigitShape.PIXELS;
    }

    /**
     * Adds an image whose pixels are in place at {@link #nextOffset()}. Returns true when the batch is due: full, over
     * {@link #MAX_HELD_BYTES}, or holding a record over {@link #MAX_RECORD_BYTES}; else the record is also put in the
     * store, and the caller may return without it.
     */
    boolean add(Held image) {
        int slot = held.size();
        held.add(image);
        int size = image.input().size();
        heldBytes += size;
        if (held.size() == capacity || heldBytes >= MAX_HELD_BYTES || size > MAX_RECORD_BYTES) {
            return true;
        }
        store.put(slot, image.input().toBytes());
        storedSlots = slot + 1;
        return false;
    }

    int size() {
        return held.size();
    }

    boolean isEmpty() {
        return held.isEmpty();
    }

    Held get(int index) {
        return held.get(index);
    }

    /** The pixels of the held images, image after image; the array is longer than {@code size() * 784}. */
    float[] pixels() {
        return pixels;
    }

    /** Empties the batch once its images have been classified or dead-lettered: their records leave the store. */
    void clear() {
        for (int slot = 0; slot < storedSlots; slot++) {
            store.delete(slot);
        }
        storedSlots = 0;
        held.clear();
        heldBytes = 0;
    }

    /**
     * The records a batch held when its task last committed without classifying them (a crash, a rebalance, a
     * shutdown), in the order they were read, taken out of the store.
     */
    static List<HeldRecord> takeStored(KeyValueStore<Integer, byte[]> store) {
        TreeMap<Integer, byte[]> bySlot = new TreeMap<>();
        try (KeyValueIterator<Integer, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Integer, byte[]> entry = all.next();
                bySlot.put(entry.key, entry.value);
            }
        }
        List<HeldRecord> records = new ArrayList<>(bySlot.size());
        for (var entry : bySlot.entrySet()) {
            records.add(HeldRecord.fromBytes(entry.getValue()));
            store.delete(entry.getKey());
        }
        return records;
    }
}
