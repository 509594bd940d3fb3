package io.digitstream.classifier;

import io.digitstream.contract.DigitShape;
import io.digitstream.contract.ImageEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoded images a stream task holds for one model call: their pixels side by side, as the model takes them, and
 * each record in a {@link HeldRecordStore} under its place in the batch, which writes what is still held when the task
 * commits to its changelog, so a restart reads it back ({@link HeldRecordStore#restored()}) and classifies it.
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

    private final HeldRecordStore store;
    private final int capacity;
    private final float[] pixels;
    private final List<Held> held;
    private int heldBytes;

    ImageBatch(HeldRecordStore store, int capacity) {
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
        store.hold(slot, image.input());
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

    /**
     * Empties the batch once its images have been classified or dead-lettered: their records leave the store, and so
     * do those it still held from before a restart.
     */
    void clear() {
        store.releaseAll();
        held.clear();
        heldBytes = 0;
    }
}
