package io.bucketmap.store;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.internals.ChangelogRecordDeserializationHelper;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;

import java.util.Collection;
import java.util.Map;

/**
 * Replays changelog records into a {@link BucketMapKeyValueStore}, a batch at a time: a record with a value puts,
 * a tombstone (null value) deletes. Kafka Streams calls it on the state-updater thread, which is then the store's
 * only writer; interactive-query readers may read the store meanwhile.
 *
 * <p>This is the one place where the store touches Kafka Streams internals, and only to do what Kafka's own stores
 * do: implementing {@link RecordBatchingStateRestoreCallback} gives it the raw records, whose headers carry the
 * position vector that IQv2 position bounds need after a restore (when
 * {@code StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED} is set, as Kafka's IQv2 does). A context
 * that hands over plain key-value batches ({@link #restoreAll}) or single records ({@link #restore}) through the
 * public interfaces is served too, without position updates (it gives none).
 *
 * <p>Cost: O(1) average per record plus the store's bounded growth work; no allocation per batch (one reused
 * {@link EntryBatch}). A batch goes down the store's chain in one {@link StoreData#restore}: into the map in one
 * {@code BucketMap.writeAll}, which reads the buckets of all its keys ahead of the writes, and while a persistent
 * store's copy loads, in one turn of the load's lock.
 * A record with a null key fails with {@link NullPointerException}; the batch's earlier records stay applied.
 */
final class ChangelogRestoreCallback implements RecordBatchingStateRestoreCallback {
    private final BucketMapKeyValueStore store;
    private final boolean consistencyEnabled;
    /** The batch being applied; the restoring thread is this callback's only caller. */
    private final EntryBatch batch = new EntryBatch();

    ChangelogRestoreCallback(BucketMapKeyValueStore store, Map<String, Object> appConfigs) {
        this.store = store;
        this.consistencyEnabled = StreamsConfig.InternalConfig.getBoolean(
                appConfigs, StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, false);
    }

    @Override
    public void restoreBatch(Collection<ConsumerRecord<byte[], byte[]>> records) {
        batch.startBatch(records.size());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            batch.add(record.key(), record.value());
        }
        int applied = applyBatch();
        int positioned = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (positioned++ == applied) {
                break;
            }
            ChangelogRecordDeserializationHelper.applyChecksAndUpdatePosition(
                    record, consistencyEnabled, store.getPosition());
        }
        failOnNullKey(applied, records.size());
    }

    @Override
    public void restoreAll(Collection<KeyValue<byte[], byte[]>> records) {
        batch.startBatch(records.size());
        for (KeyValue<byte[], byte[]> record : records) {
            batch.add(record.key, record.value);
        }
        failOnNullKey(applyBatch(), records.size());
    }

    @Override
    public void restore(byte[] key, byte[] value) {
        batch.startBatch(1);
        batch.add(key, value);
        failOnNullKey(applyBatch(), 1);
    }

    /** Writes {@link #batch} up to its first null key; returns how many records that was. */
    private int applyBatch() {
        try {
            store.restore(batch);
            return batch.size;
        } finally {
            batch.clear();
        }
    }

    private static void failOnNullKey(int applied, int records) {
        if (applied < records) {
            throw new NullPointerException("changelog record key cannot be null (record " + applied + " of the batch)");
        }
    }
}
