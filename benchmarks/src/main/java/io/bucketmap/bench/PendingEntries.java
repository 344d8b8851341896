package io.bucketmap.bench;

import io.bucketmap.eviction.DeadlineTracker;
import io.bucketmap.eviction.ExpiryHandler;
import io.bucketmap.examples.risk.EvictionVariant;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Pending entries kept the way one {@link EvictionVariant} of the risk example keeps them, over a contender's
 * innermost stores (no metering or changelogging wrappers, so only the stores' own work is timed):
 * {@link EvictionVariant#DEADLINE_INDEX} a {@link DeadlineTracker} over a pending store and a deadline index;
 * {@link EvictionVariant#STORE_SCAN} the pending store alone, swept by {@code all()} as
 * {@code ScanningPendingEvents} sweeps it. Both hold the same bytes in their pending store (id &rarr;
 * {@code [8-byte big-endian deadline][value]}), so their contents can be compared entry for entry.
 *
 * <p>Not thread-safe: one thread, like a stream thread and its stores.
 */
interface PendingEntries extends AutoCloseable {

    /** The Kafka Streams stores that keep everything in memory, the only ones measured. */
    Set<Contender> CONTENDERS = Set.of(Contender.BUCKETMAP_STORE_ORDERED, Contender.BUCKETMAP_STORE_HASH,
        Contender.IN_MEMORY_STORE);

    /**
     * Empty pending entries of {@code variant} in {@code contender}'s stores, initialised outside a topology with
     * {@code MockProcessorContext}'s store context (in-memory stores need nothing else from it). The deadline
     * index is range-scanned, so a hash-order contender keeps it in the ordered bucket-map store, as
     * {@code EndToEndThroughput} does and as {@code DeadlineTrackerStores} tells users to.
     *
     * @throws IllegalArgumentException if {@code contender} is not one of {@link #CONTENDERS}
     */
    static PendingEntries open(EvictionVariant variant, Contender contender) {
        if (!CONTENDERS.contains(contender)) {
            throw new IllegalArgumentException(contender + " is not one of " + CONTENDERS);
        }
        Contender indexContender = contender.isKeyOrdered() ? contender : Contender.BUCKETMAP_STORE_ORDERED;
        return switch (variant) {
            case DEADLINE_INDEX ->
                new Indexed(openStore(contender, "pending"), openStore(indexContender, "deadlines"));
            case STORE_SCAN -> new Scanning(openStore(contender, "pending"));
        };
    }

    private static KeyValueStore<Bytes, byte[]> openStore(Contender contender, String name) {
        KeyValueStore<Bytes, byte[]> store = contender.storeSupplier(name).get();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }

    /**
     * Starts tracking {@code id}.
     *
     * @throws IllegalStateException if {@code id} is already pending (the harness never reuses an id)
     */
    void add(byte[] id, byte[] value, long deadline);

    /**
     * Hands every entry with {@code deadline <= now} to {@code handler} and deletes it.
     *
     * @return the number of entries handed to the handler
     */
    int expire(long now, ExpiryHandler<byte[], byte[]> handler);

    /** The pending store: id to deadline and value. */
    KeyValueStore<Bytes, byte[]> pendingStore();

    @Override
    void close();

    /** What both variants keep: the pending store, closed with them. */
    abstract class OverPendingStore implements PendingEntries {
        final KeyValueStore<Bytes, byte[]> pending;

        OverPendingStore(KeyValueStore<Bytes, byte[]> pending) {
            this.pending = pending;
        }

        @Override
        public KeyValueStore<Bytes, byte[]> pendingStore() {
            return pending;
        }

        @Override
        public void close() {
            pending.close();
        }
    }

    /** {@link EvictionVariant#DEADLINE_INDEX}: expiry range-scans the deadline index, O(expired). */
    final class Indexed extends OverPendingStore {
        private final KeyValueStore<Bytes, byte[]> deadlineIndex;
        private final DeadlineTracker<byte[], byte[]> tracker;

        private Indexed(KeyValueStore<Bytes, byte[]> pending, KeyValueStore<Bytes, byte[]> deadlineIndex) {
            super(pending);
            this.deadlineIndex = deadlineIndex;
            this.tracker = new DeadlineTracker<>(pending, deadlineIndex, Serdes.ByteArray(), Serdes.ByteArray());
        }

        @Override
        public void add(byte[] id, byte[] value, long deadline) {
            if (!tracker.track(id, value, deadline)) {
                throw new IllegalStateException("already pending: " + Bytes.wrap(id));
            }
        }

        @Override
        public int expire(long now, ExpiryHandler<byte[], byte[]> handler) {
            return tracker.expire(now, handler);
        }

        @Override
        public void close() {
            super.close();
            deadlineIndex.close();
        }
    }

    /**
     * {@link EvictionVariant#STORE_SCAN}: expiry walks {@code all()} and deletes each expired entry while the
     * iterator is open, O(pending). The handler gets a copy of the value, as the tracker's value serde does.
     */
    final class Scanning extends OverPendingStore {
        private Scanning(KeyValueStore<Bytes, byte[]> pending) {
            super(pending);
        }

        @Override
        public void add(byte[] id, byte[] value, long deadline) {
            Bytes key = Bytes.wrap(id);
            if (pending.get(key) != null) {
                throw new IllegalStateException("already pending: " + key);
            }
            pending.put(key, ByteBuffer.allocate(Long.BYTES + value.length).putLong(deadline).put(value).array());
        }

        @Override
        public int expire(long now, ExpiryHandler<byte[], byte[]> handler) {
            int expired = 0;
            try (KeyValueIterator<Bytes, byte[]> all = pending.all()) {
                while (all.hasNext()) {
                    KeyValue<Bytes, byte[]> entry = all.next();
                    long deadline = ByteBuffer.wrap(entry.value).getLong();
                    if (deadline <= now) {
                        handler.expired(entry.key.get(), Arrays.copyOfRange(entry.value, Long.BYTES,
                            entry.value.length), deadline);
                        pending.delete(entry.key);
                        expired++;
                    }
                }
            }
            return expired;
        }
    }
}
