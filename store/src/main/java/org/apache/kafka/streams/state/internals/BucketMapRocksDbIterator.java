package org.apache.kafka.streams.state.internals;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.Objects;

/**
 * A bucket-map store's range-query iterator in the type Kafka's {@code KeyValueToTimestampedKeyValueByteStoreAdapter}
 * casts it to. Kafka Streams' timestamped builders ({@code Stores.timestampedKeyValueStoreBuilder},
 * {@code Materialized.as}) put that adapter around a persistent store that does not declare timestamped values, and
 * its {@code query} casts an IQv2 range result to Kafka's RocksDB iterator: {@code RocksDbIterator} on Kafka Streams
 * 4.3, {@code ManagedKeyValueIterator} (which {@code RocksDbIterator} implements) on 4.4. {@code RocksDbIterator} is
 * package-private, so this one class lives in Kafka's package; nothing else of the library does (see
 * {@code docs/interactive-queries.md}).
 *
 * <p>Every call goes to the wrapped iterator, so its guarantees, costs and failures are those of that iterator: the
 * inherited RocksDB iteration is never used ({@link #makeNext()} is not reached). {@link #close()} runs the callback
 * given to {@link #onClose} once, then closes the wrapped iterator (twice is harmless if it is for the wrapped one).
 * One thread at a time, as any Kafka iterator. Allocates nothing per step beyond what the wrapped iterator does.
 */
public final class BucketMapRocksDbIterator extends RocksDbIterator {
    private final KeyValueIterator<Bytes, byte[]> entries;
    private Runnable closeCallback;
    private boolean closed;

    /**
     * Wraps {@code entries} of the store {@code storeName}. O(1).
     *
     * @throws NullPointerException if {@code entries} is null
     */
    public BucketMapRocksDbIterator(String storeName, KeyValueIterator<Bytes, byte[]> entries) {
        // no RocksDB iterator underneath: every method that would touch it is overridden
        super(storeName, null, true);
        this.entries = Objects.requireNonNull(entries, "entries cannot be null");
    }

    /** Whether the wrapped iterator has another entry. */
    @Override
    public boolean hasNext() {
        return entries.hasNext();
    }

    /** The wrapped iterator's next entry. */
    @Override
    public KeyValue<Bytes, byte[]> next() {
        return entries.next();
    }

    /** The wrapped iterator's next key, without moving on. */
    @Override
    public Bytes peekNextKey() {
        return entries.peekNextKey();
    }

    /** Never called: {@link #hasNext()} and {@link #next()} go to the wrapped iterator, not to this RocksDB step. */
    @Override
    protected KeyValue<Bytes, byte[]> makeNext() {
        throw new IllegalStateException("BucketMapRocksDbIterator delegates every step to the store's iterator");
    }

    /** Keeps {@code closeCallback} to run on {@link #close()}, as Kafka's RocksDB stores register one. */
    @Override
    public void onClose(Runnable closeCallback) {
        this.closeCallback = closeCallback;
    }

    /** Runs the close callback (the first time only), then closes the wrapped iterator. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (closeCallback != null) {
                closeCallback.run();
            }
        }
        entries.close();
    }
}
