package io.bucketmap.store;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.query.Position;

import java.util.Map;
import java.util.function.Function;

/**
 * The outermost layer of a store's chain ({@link StoreData}) when Kafka Streams runs with
 * {@code enable.transactional.statestores=true}: before a write from processing changes a key, it has
 * {@link UncommittedWrites} record what the key held at the last commit, so that {@code READ_COMMITTED} readers
 * ({@link CommittedView}) can answer as of that commit; a commit starts a new, empty record. Restored changelog records
 * are committed by definition and are not recorded. Reads pass through: the writer and {@code READ_UNCOMMITTED} readers
 * see the latest writes.
 *
 * <p>Cost: per write, {@link UncommittedWrites#beforeWrite} (a hash lookup; a read of the key's current value the first
 * time the key changes since the last commit). Writer thread for everything but reads.
 */
final class UndoRecordData extends ForwardingStoreData {
    private final UncommittedWrites record;
    /** Reads a key's current value for the record: made once, so a write allocates no method reference. */
    private final Function<byte[], byte[]> currentValue;

    UndoRecordData(StoreData inner, UncommittedWrites record) {
        super(inner);
        this.record = record;
        this.currentValue = inner::get;
    }

    @Override
    public boolean put(byte[] key, byte[] value) {
        record.beforeWrite(key, value.length, currentValue);
        return inner.put(key, value);
    }

    @Override
    public byte[] putIfAbsent(byte[] key, byte[] value) {
        record.beforeWrite(key, value.length, currentValue);
        return inner.putIfAbsent(key, value);
    }

    @Override
    public byte[] delete(byte[] key) {
        record.beforeWrite(key, 0, currentValue);
        return inner.delete(key);
    }

    @Override
    public void putAll(EntryBatch batch) {
        for (int i = 0; i < batch.size; i++) {
            byte[] value = batch.values[i];
            record.beforeWrite(batch.keys[i], value == null ? 0 : value.length, currentValue);
        }
        inner.putAll(batch);
    }

    /** Everything written so far is committed at {@code position}: the record starts empty. */
    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets, Position position) {
        record.commit(position);
        inner.commit(changelogOffsets, position);
    }
}
