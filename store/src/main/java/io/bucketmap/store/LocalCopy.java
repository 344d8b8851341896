package io.bucketmap.store;

import io.bucketmap.core.BucketMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;

import java.util.Map;

/**
 * What a {@link BucketMapKeyValueStore} keeps outside its heap: nothing ({@link #NONE}, the in-memory store) or a
 * local RocksDB copy written at commit ({@link RocksDbLocalCopy}). The store tells its copy about every change and
 * hands it the map at commit; reads never reach the copy.
 *
 * <p>Called only by the store's writer thread (the stream thread, or the state updater while restoring), except
 * {@link #committedOffset}, which Kafka Streams calls on the thread that initialises the task.
 */
interface LocalCopy {

    /** The in-memory store's: no copy, no offsets; a restart restores the whole changelog. */
    LocalCopy NONE = new LocalCopy() {
        @Override
        public void open(StateStoreContext context, String storeName, BucketMap into, Position position) {
        }

        @Override
        public void putApplied(byte[] key, byte[] previousValue) {
        }

        @Override
        public void deleteApplied(byte[] key, byte[] previousValue) {
        }

        @Override
        public void commit(BucketMap map, Map<TopicPartition, Long> changelogOffsets, Position position) {
        }

        @Override
        public Long committedOffset(TopicPartition partition) {
            return null;
        }

        @Override
        public boolean persistent() {
            return false;
        }

        @Override
        public void close() {
        }
    };

    /** Opens the copy and loads every entry it holds into the empty map {@code into}, and its position. */
    void open(StateStoreContext context, String storeName, BucketMap into, Position position);

    /** The map now holds a value for {@code key}; {@code previousValue} is what it held before, or null. */
    void putApplied(byte[] key, byte[] previousValue);

    /** The map no longer holds {@code key}; {@code previousValue} is what it held before, or null (no change). */
    void deleteApplied(byte[] key, byte[] previousValue);

    /**
     * Makes the copy equal to {@code map} and records {@code changelogOffsets} with it, atomically: a crash at any
     * moment leaves either the previous commit's data and offsets or this one's. An empty map of offsets clears
     * the recorded ones; a null offset clears that partition's.
     */
    void commit(BucketMap map, Map<TopicPartition, Long> changelogOffsets, Position position);

    /** The changelog offset recorded with the data by the last commit, or null. */
    Long committedOffset(TopicPartition partition);

    /** Whether the data survives a restart. */
    boolean persistent();

    /** Releases every resource; adds nothing to the copy (only {@link #commit} does). Idempotent. */
    void close();
}
