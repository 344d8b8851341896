package io.bucketmap.store;

import io.bucketmap.core.BucketMapIterator;
import io.bucketmap.core.KeyRange;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.query.Position;

import java.util.Map;

/**
 * A layer of a store's chain ({@link StoreData}) that passes every call to the layer below; a layer extends it and
 * overrides only what it adds to. Costs, threads and failures: those of the layer below, plus the overriding layer's.
 */
abstract class ForwardingStoreData implements StoreData {
    /** The next layer down the chain. */
    protected final StoreData inner;

    protected ForwardingStoreData(StoreData inner) {
        this.inner = inner;
    }

    @Override
    public byte[] get(byte[] key) {
        return inner.get(key);
    }

    @Override
    public boolean put(byte[] key, byte[] value) {
        return inner.put(key, value);
    }

    @Override
    public byte[] putIfAbsent(byte[] key, byte[] value) {
        return inner.putIfAbsent(key, value);
    }

    @Override
    public byte[] delete(byte[] key) {
        return inner.delete(key);
    }

    @Override
    public void putAll(EntryBatch batch) {
        inner.putAll(batch);
    }

    @Override
    public void restore(EntryBatch batch) {
        inner.restore(batch);
    }

    @Override
    public BucketMapIterator iterator(KeyRange range, boolean descending) {
        return inner.iterator(range, descending);
    }

    @Override
    public long approximateSize() {
        return inner.approximateSize();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets, Position position) {
        inner.commit(changelogOffsets, position);
    }
}
