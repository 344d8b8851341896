package io.bucketmap.store;

import io.bucketmap.core.BucketMapIterator;
import io.bucketmap.core.KeyRange;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.query.Position;

import java.util.Map;

/**
 * The layer of a persistent store's chain ({@link StoreData}) that serves reads and writes while its local copy loads
 * into the map in the background ({@link CopyLoad}: why every answer is exact meanwhile), and passes everything to the
 * map once the load is done. Writes from processing and iterators need the whole map, so they have the load start at
 * once ({@link CopyLoad#startNow}); restored changelog batches do not, so the load waits for a lull in them.
 *
 * <p>Costs while loading: a write takes the load's lock (a batch takes it once); a read of a key not loaded yet is a
 * RocksDB point read; opening an iterator waits for the load to end. Once done: one volatile read more than the map.
 * Failures while loading: those of {@link CopyLoad} (readers {@code InvalidStateStoreException}, writers
 * {@code TaskCorruptedException}).
 */
final class LoadingData implements StoreData {
    private final CopyLoad load;
    private final MapData loaded;

    LoadingData(CopyLoad load, MapData loaded) {
        this.load = load;
        this.loaded = loaded;
    }

    @Override
    public byte[] get(byte[] key) {
        return load.isDone() ? loaded.get(key) : load.get(key);
    }

    @Override
    public boolean put(byte[] key, byte[] value) {
        if (load.isDone()) {
            return loaded.put(key, value);
        }
        load.startNow();
        return load.put(key, value);
    }

    @Override
    public byte[] putIfAbsent(byte[] key, byte[] value) {
        if (load.isDone()) {
            return loaded.putIfAbsent(key, value);
        }
        load.startNow();
        return load.putIfAbsent(key, value);
    }

    @Override
    public byte[] delete(byte[] key) {
        if (load.isDone()) {
            return loaded.delete(key);
        }
        load.startNow();
        return load.delete(key);
    }

    /** While loading, the whole batch in one turn of the load's lock: the loader inserts nothing in between. */
    @Override
    public void putAll(EntryBatch batch) {
        if (load.isDone()) {
            loaded.putAll(batch);
            return;
        }
        load.startNow();
        load.holdingOffTheLoader(() -> writeThroughLoad(batch));
    }

    /** While loading, the batch in one turn of the load's lock, noted as restoration going on (the loader waits it out). */
    @Override
    public void restore(EntryBatch batch) {
        if (load.isDone()) {
            loaded.restore(batch);
            return;
        }
        load.applyRestoredBatch(() -> writeThroughLoad(batch));
    }

    @Override
    public BucketMapIterator iterator(KeyRange range, boolean descending) {
        if (!load.isDone()) {
            load.awaitDone(); // an incomplete map cannot return keys in order
        }
        return loaded.iterator(range, descending);
    }

    @Override
    public long approximateSize() {
        return load.isDone() ? loaded.approximateSize() : load.approximateSize();
    }

    /**
     * While loading: fails the writer if the load failed, and starts the loader (Kafka Streams commits a store when its
     * restoration completes); moves no migration along, since the loader writes the map too. Once done: the map's.
     */
    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets, Position position) {
        if (load.isDone()) {
            loaded.commit(changelogOffsets, position);
            return;
        }
        load.throwIfFailedForWriters();
        load.start();
    }

    private void writeThroughLoad(EntryBatch batch) {
        for (int i = 0; i < batch.size; i++) {
            byte[] key = batch.keys[i];
            byte[] value = batch.values[i];
            batch.mayHaveHadValue[i] = value == null ? load.delete(key) != null : load.put(key, value);
        }
    }
}
