package io.bucketmap.store;

import io.bucketmap.core.BucketMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;

import java.util.Map;
import java.util.Optional;

/**
 * What a {@link BucketMapKeyValueStore} keeps outside its heap for one open (one {@code init} to its {@code close}):
 * nothing ({@link #NONE}, the in-memory store) or a local RocksDB copy written at commit ({@link RocksDbLocalCopy}).
 * The store tells its copy about every change and lets it read the current values at commit; once the copy is loaded,
 * reads never reach it.
 *
 * <p>Each {@code init} opens a new one through the store's {@link Factory} and each {@code close} closes it: offsets,
 * changed keys, database handles and the load all belong to one open. Kafka Streams re-initialises the same store
 * object after closing a task dirty (and, under {@code exactly_once_v2}, wiping its directory), so anything kept
 * across opens could answer for data that is gone: an offset remembered from before a wipe would make Kafka restore
 * only the changelog after it into an empty store.
 *
 * <p>Called only by the store's writer thread (the stream thread, or the state updater while restoring), except
 * {@link #committedOffset}, which any thread may call.
 */
interface LocalCopy {

    /** The in-memory store's: no copy, no offsets; a restart restores the whole changelog. */
    LocalCopy NONE = new LocalCopy() {
        @Override
        public Optional<CopyLoad> load() {
            return Optional.empty();
        }

        @Override
        public void putApplied(byte[] key, byte[] value, boolean mayHaveHadValue) {
        }

        @Override
        public void deleteApplied(byte[] key) {
        }

        @Override
        public void commit(Map<TopicPartition, Long> changelogOffsets, Position position) {
        }

        @Override
        public long uncommittedBytes() {
            return 0;
        }

        @Override
        public Long committedOffset(TopicPartition partition) {
            return null;
        }

        @Override
        public void close() {
        }
    };

    /** Opens a store's local copy at each {@code init}; the store's supplier picks one. */
    interface Factory {
        /** The in-memory store's: every open gets {@link #NONE}. */
        Factory IN_MEMORY = new Factory() {
            @Override
            public LocalCopy open(StateStoreContext context, String storeName, BucketMap into, Position position) {
                return NONE;
            }

            @Override
            public boolean persistent() {
                return false;
            }
        };

        /**
         * Opens the copy, merges its IQ position into {@code position}, and prepares the load of its entries into the
         * empty map {@code into} ({@link LocalCopy#load}).
         */
        LocalCopy open(StateStoreContext context, String storeName, BucketMap into, Position position);

        /** Whether the data survives a restart. */
        boolean persistent();
    }

    /**
     * The load of the copy's entries into the map this copy was opened with: the store reads and writes through it
     * until it is done, and starts it ({@link CopyLoad#start}); empty if there is nothing to load.
     */
    Optional<CopyLoad> load();

    /**
     * The store now holds {@code value} for {@code key}; {@code mayHaveHadValue} is false only if it certainly held
     * none before.
     */
    void putApplied(byte[] key, byte[] value, boolean mayHaveHadValue);

    /** The store deleted the value it held for {@code key}. */
    void deleteApplied(byte[] key);

    /**
     * Makes the copy equal to the store as it is now and records {@code changelogOffsets} with it, atomically: a crash
     * at any moment leaves the copy at one commit with that commit's offsets, never a mix. An empty map of offsets
     * clears the recorded ones; a null offset clears that partition's.
     */
    void commit(Map<TopicPartition, Long> changelogOffsets, Position position);

    /** Bytes changed since the last commit that a commit would write: what Kafka Streams 4.4 bounds per commit. */
    long uncommittedBytes();

    /**
     * The changelog offset that the data on disk ends at (that of the last commit whose write has landed), or null.
     * Any thread.
     */
    Long committedOffset(TopicPartition partition);

    /**
     * Stops a load under way, then releases every resource; adds nothing to the copy (only {@link #commit} does).
     * Idempotent.
     */
    void close();
}
