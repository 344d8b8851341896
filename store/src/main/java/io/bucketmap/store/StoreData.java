package io.bucketmap.store;

import io.bucketmap.core.BucketMapIterator;
import io.bucketmap.core.KeyRange;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.query.Position;

import java.util.Map;

/**
 * What a {@link BucketMapKeyValueStore} does to its data, as a chain of layers that each {@code init} assembles once
 * ({@link OpenStore#open}), the way Kafka stacks its metered, caching and logging stores around a store. Outermost
 * first, each present only where the open needs it:
 * <ol>
 *   <li>{@link UndoRecordData}: under {@code enable.transactional.statestores}, records what a key held at the last
 *       commit before it changes, for {@code READ_COMMITTED} readers;</li>
 *   <li>{@link CopyTrackingData}: the persistent store's, tells its local copy which keys the next commit writes;</li>
 *   <li>{@link LoadingData}: the persistent store's, answers from the map and the copy while the copy loads into the
 *       map, then passes everything to the map;</li>
 *   <li>{@link MapData}: the bucket map.</li>
 * </ol>
 * A write walks the chain one way, down; the store class keeps Kafka's API, the lifecycle, the position, queries and
 * formats, and never asks which layers are present.
 *
 * <p>Keys and values are the caller's arrays; no layer changes them. Threads: writes, {@link #restore} and
 * {@link #commit} on the store's one writer thread (the stream thread, or the state updater while restoring); reads
 * and iterators on any thread. Every method of a layer of a closed open may throw
 * {@link org.apache.kafka.streams.errors.InvalidStateStoreException}.
 */
interface StoreData {

    /** The value of {@code key}, or null. Any thread. */
    byte[] get(byte[] key);

    /**
     * Maps {@code key} to the non-null {@code value}; returns false only if the key certainly had no value before (a
     * loading store may not know). Writer thread.
     */
    boolean put(byte[] key, byte[] value);

    /** Stores the non-null {@code value} unless {@code key} has a value; returns the existing value or null. Writer thread. */
    byte[] putIfAbsent(byte[] key, byte[] value);

    /** Removes {@code key}; returns its value or null. Writer thread. */
    byte[] delete(byte[] key);

    /**
     * Writes the batch's entries in order (a null value deletes), as {@link #put} and {@link #delete} would one by one,
     * and fills {@link EntryBatch#mayHaveHadValue}. Writes made by processing (a {@code putAll}). Writer thread.
     */
    void putAll(EntryBatch batch);

    /**
     * As {@link #putAll}, for records restored from the changelog: they are committed by definition, so a layer that
     * tells committed writes from uncommitted ones treats them as committed. Writer thread (the state updater).
     */
    void restore(EntryBatch batch);

    /** The entries in {@code range}; see {@link io.bucketmap.core.BucketMap#iterator(KeyRange, boolean)}. Any thread. */
    BucketMapIterator iterator(KeyRange range, boolean descending);

    /** About the number of entries (exact once the map alone holds the data). Any thread. */
    long approximateSize();

    /**
     * Kafka Streams committed the task: the changelog holds everything written so far, up to {@code changelogOffsets};
     * {@code position} is the store's position now. Writer thread.
     */
    void commit(Map<TopicPartition, Long> changelogOffsets, Position position);
}
