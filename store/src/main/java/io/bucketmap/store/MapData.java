package io.bucketmap.store;

import io.bucketmap.core.BucketMap;
import io.bucketmap.core.BucketMapIterator;
import io.bucketmap.core.KeyRange;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.query.Position;

import java.util.Map;

/**
 * The innermost layer of a store's chain ({@link StoreData}): the bucket map itself. Costs are the map's: O(1) average
 * per key, plus at most two buckets of growth or shrinking per write; an ordered map adds O(log n) per insert or
 * removal. Threads: the map's (one writer, any number of readers).
 */
final class MapData implements StoreData {
    /** Buckets a commit may move of a running growth or shrink: memory comes back after mass deletion even when writes stop. */
    static final int COMMIT_MIGRATION_BUCKETS = 4_096;

    private final BucketMap map;

    MapData(BucketMap map) {
        this.map = map;
    }

    @Override
    public byte[] get(byte[] key) {
        return map.get(key);
    }

    @Override
    public boolean put(byte[] key, byte[] value) {
        return map.set(key, value) >= 0; // no copy of the previous value: only whether there was one
    }

    @Override
    public byte[] putIfAbsent(byte[] key, byte[] value) {
        return map.putIfAbsent(key, value);
    }

    @Override
    public byte[] delete(byte[] key) {
        return map.delete(key);
    }

    /** One write at a time, so that readers wait for one write at most, as with single puts. */
    @Override
    public void putAll(EntryBatch batch) {
        for (int i = 0; i < batch.size; i++) {
            byte[] value = batch.values[i];
            batch.mayHaveHadValue[i] = (value == null ? map.remove(batch.keys[i]) : map.set(batch.keys[i], value)) >= 0;
        }
    }

    /**
     * One {@link BucketMap#writeAll}: the same writes as one by one, with the buckets of all the batch's keys read
     * ahead (a changelog's keys land in random buckets, a cache miss each that the writes would otherwise wait for one
     * at a time). Readers wait for the whole batch, a changelog batch of up to {@code max.poll.records}.
     */
    @Override
    public void restore(EntryBatch batch) {
        if (batch.keepPrevious) {
            map.writeAll(batch.keys, batch.values, batch.previous, batch.size);
            for (int i = 0; i < batch.size; i++) {
                batch.mayHaveHadValue[i] = batch.previous[i] != null;
            }
        } else {
            map.writeAll(batch.keys, batch.values, batch.previousLengths, batch.size);
            for (int i = 0; i < batch.size; i++) {
                batch.mayHaveHadValue[i] = batch.previousLengths[i] >= 0;
            }
        }
    }

    @Override
    public BucketMapIterator iterator(KeyRange range, boolean descending) {
        return map.iterator(range, descending);
    }

    @Override
    public long approximateSize() {
        return map.size();
    }

    /** Moves a running growth or shrink along by up to {@value #COMMIT_MIGRATION_BUCKETS} buckets. */
    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets, Position position) {
        map.advanceMigration(COMMIT_MIGRATION_BUCKETS);
    }
}
