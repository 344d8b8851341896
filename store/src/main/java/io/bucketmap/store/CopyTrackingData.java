package io.bucketmap.store;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.query.Position;

import java.util.Map;

/**
 * The layer of a persistent store's chain ({@link StoreData}) that tells its {@link LocalCopy} what changed, after each
 * write below it has landed, and commits the copy after the layers below have committed. Reads pass through.
 *
 * <p>Cost: per write, the copy's bookkeeping of changed keys (a hash lookup or two, {@link PendingChanges}); per commit,
 * a hand-over of those changes to the copy's writer. Writer thread for everything but reads.
 */
final class CopyTrackingData extends ForwardingStoreData {
    private final LocalCopy copy;

    CopyTrackingData(StoreData inner, LocalCopy copy) {
        super(inner);
        this.copy = copy;
    }

    @Override
    public boolean put(byte[] key, byte[] value) {
        boolean mayHaveHadValue = inner.put(key, value);
        copy.putApplied(key, value, mayHaveHadValue);
        return mayHaveHadValue;
    }

    @Override
    public byte[] putIfAbsent(byte[] key, byte[] value) {
        byte[] existing = inner.putIfAbsent(key, value);
        if (existing == null) {
            copy.putApplied(key, value, false);
        }
        return existing;
    }

    @Override
    public byte[] delete(byte[] key) {
        byte[] previous = inner.delete(key);
        if (previous != null) {
            copy.deleteApplied(key);
        }
        return previous;
    }

    @Override
    public void putAll(EntryBatch batch) {
        inner.putAll(batch);
        track(batch);
    }

    @Override
    public void restore(EntryBatch batch) {
        inner.restore(batch);
        track(batch);
    }

    /** The layers below first (a failed load fails the commit before the copy hands anything over), then the copy. */
    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets, Position position) {
        inner.commit(changelogOffsets, position);
        copy.commit(changelogOffsets, position);
    }

    private void track(EntryBatch batch) {
        for (int i = 0; i < batch.size; i++) {
            if (batch.values[i] != null) {
                copy.putApplied(batch.keys[i], batch.values[i], batch.mayHaveHadValue[i]);
            } else if (batch.mayHaveHadValue[i]) {
                copy.deleteApplied(batch.keys[i]);
            }
        }
    }
}
