package io.digitstream.classifier;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.Stores;

/** What the tests of {@link ClassifyProcessor} on a {@link MockProcessorContext} need the same way. */
final class ProcessorTestSupport {

    private ProcessorTestSupport() {
    }

    /**
     * The batch store over an in-memory store without the cache and changelog that a mock context cannot give: its
     * {@code flushCache()} is a commit, and its {@code clearCache()} a crash that loses what was not committed.
     */
    static HeldRecordStore addBatchStore(MockProcessorContext<?, ?> context) {
        HeldRecordStore store = new HeldRecordStore(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(ClassifierTopology.CLASSIFY_BATCH_STORE), Serdes.Integer(),
                Serdes.ByteArray()).withLoggingDisabled().build());
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    /** Fires the punctuations still scheduled (the batch linger's, if images wait), as the wall clock would. */
    static void lingerPassed(MockProcessorContext<?, ?> context, long now) {
        for (MockProcessorContext.CapturedPunctuator p : List.copyOf(context.scheduledPunctuators())) {
            if (!p.cancelled()) {
                p.getPunctuator().punctuate(now);
            }
        }
    }

    /** Whether a punctuation is scheduled and not cancelled. */
    static boolean lingerScheduled(MockProcessorContext<?, ?> context) {
        return context.scheduledPunctuators().stream().anyMatch(p -> !p.cancelled());
    }
    /** 28x28 raw pixels as MNIST has them: a vertical stroke of ink (255) on nothing (0), a 1 of sorts. */
    static byte[] stroke() {
        byte[] pixels = new byte[784];
        for (int y = 4; y < 24; y++) {
            for (int x = 12; x < 16; x++) {
                pixels[y * 28 + x] = (byte) 255;
            }
        }
        return pixels;
    }

    /** The last value of header {@code key} as text, or null. */
    static String header(Headers headers, String key) {
        return headers.lastHeader(key) == null ? null
                : new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
