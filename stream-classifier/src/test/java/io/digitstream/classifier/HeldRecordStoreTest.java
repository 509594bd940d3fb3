package io.digitstream.classifier;

import static io.digitstream.classifier.ProcessorTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.digitstream.classifier.HeldRecord.Source;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HeldRecordStore} on an in-memory store: its {@code flushCache()} is what Kafka Streams calls before a commit,
 * its {@code clearCache()} what a task closed without committing gets. {@code ClassifierKillRestartIT} runs it on the
 * broker.
 */
class HeldRecordStoreTest {

    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    private final KeyValueStore<Integer, byte[]> committed = Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(ClassifierTopology.CLASSIFY_BATCH_STORE), Serdes.Integer(),
            Serdes.ByteArray()).withLoggingDisabled().build();
    private final HeldRecordStore store = new HeldRecordStore(committed);

    @BeforeEach
    void setUp() {
        store.init(context.getStateStoreContext(), store);
        assertThat(store.restored()).isEmpty();
    }

    @Test
    void heldRecordsAreWrittenOnlyAtACommitAndLeaveAtTheCommitAfterTheirRelease() {
        store.hold(0, record("a", 10));
        store.hold(1, record("b", 11));
        assertThat(committed.approximateNumEntries()).as("nothing written before the commit").isZero();
        assertThat(store.size()).isEqualTo(2);

        store.flushCache();
        assertThat(committed.approximateNumEntries()).isEqualTo(2);
        assertThat(HeldRecord.fromBytes(committed.get(1)).source().offset()).isEqualTo(11);

        store.releaseAll();
        assertThat(store.size()).isZero();
        assertThat(committed.approximateNumEntries()).as("still there until the next commit").isEqualTo(2);
        store.flushCache();
        assertThat(committed.approximateNumEntries()).isZero();
    }

    @Test
    void aPlaceHeldAgainAfterACommitIsWrittenAgainAndOneNoLongerUsedIsDeleted() {
        store.hold(0, record("a", 10));
        store.hold(1, record("b", 11));
        store.flushCache();
        store.releaseAll();
        store.hold(0, record("c", 12));
        store.flushCache();

        assertThat(committed.approximateNumEntries()).isEqualTo(1);
        assertThat(HeldRecord.fromBytes(committed.get(0)).source().offset()).isEqualTo(12);
    }

    @Test
    void whatWasCommittedIsReadBackInPlaceOrderAndStaysHeldUntilReleased() {
        store.hold(1, record("b", 11));
        store.hold(0, record("a", 10));
        store.flushCache();
        // a crash: what was only in memory is gone; the store is read again from what was committed
        store.clearCache();

        List<HeldRecord> restored = store.restored();

        assertThat(restored).extracting(held -> new String(held.record().key(), StandardCharsets.UTF_8))
                .containsExactly("a", "b");
        assertThat(restored).extracting(held -> held.source().offset()).containsExactly(10L, 11L);
        store.flushCache();
        assertThat(committed.approximateNumEntries()).as("held until released").isEqualTo(2);
        store.releaseAll();
        store.flushCache();
        assertThat(committed.approximateNumEntries()).isZero();
    }

    @Test
    void aPlaceOutsideABatchIsRefused() {
        assertThatThrownBy(() -> store.hold(ImageBatch.MAX_IMAGES, record("a", 10)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.hold(-1, record("a", 10))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void itTakesTheCommitHookAndNoFlushListener() {
        assertThat(store.name()).isEqualTo(ClassifierTopology.CLASSIFY_BATCH_STORE);
        assertThat(store.setFlushListener((record) -> { }, false)).isFalse();
        assertThat(HeldRecordStore.builder("held", Map.of()).loggingEnabled()).isTrue();
        assertThat(HeldRecordStore.builder("held", Map.of()).build().name()).isEqualTo("held");
    }

    private static HeldRecord record(String key, long offset) {
        return new HeldRecord(new Record<>(utf8(key), new byte[] {1, 2, 3}, 1_000L, new RecordHeaders()),
                new Source("images", 0, offset));
    }
}
