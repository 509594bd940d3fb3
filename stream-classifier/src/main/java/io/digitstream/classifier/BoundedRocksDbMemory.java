package io.digitstream.classifier;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the native memory of every RocksDB store of the JVM together, as Kafka Streams' memory-management guide
 * describes: one block cache for all of them, which their memtables count against, instead of RocksDB's defaults per
 * store (a 50 MB block cache and up to three 16 MB memtables for each store and each segment of a window store; the
 * label join writes every unlabelled prediction to a window store). In the stream benchmark with a 256 MB heap the
 * classifier's peak RSS over the model phases was 423-482 MB in four runs without this bound and 380-430 MB in six
 * with it (docs/benchmarks.md).
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

    /** All RocksDB memory of the JVM: block cache, index and filter blocks, and memtables. */
    static final long TOTAL_BYTES = 32L * 1024 * 1024;
    /** The memtables' share of it; a store's memtable is flushed when they pass it together. */
    static final long MEMTABLE_BYTES = 16L * 1024 * 1024;
    private static final long MEMTABLE_SIZE = 4L * 1024 * 1024;
    private static final int MEMTABLES_PER_STORE = 2;
    private static final double HIGH_PRIORITY_RATIO = 0.1;

    /**
     * Shared by every store of the JVM and never closed: they live as long as the process. Made when the first store
     * opens, not when the settings name this class, which happens before RocksDB's native library is loaded.
     */
    private static final class Shared {
        static {
            RocksDB.loadLibrary();
        }

        static final Cache CACHE = new LRUCache(TOTAL_BYTES, -1, false, HIGH_PRIORITY_RATIO);
        static final WriteBufferManager WRITE_BUFFERS = new WriteBufferManager(MEMTABLE_BYTES, CACHE);
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(Shared.CACHE);
        // index and filter blocks in the cache too, so that they are bounded with the rest
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(Shared.WRITE_BUFFERS);
        options.setWriteBufferSize(MEMTABLE_SIZE);
        options.setMaxWriteBufferNumber(MEMTABLES_PER_STORE);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write buffer manager are shared by the stores still open: not closed here
    }
}
