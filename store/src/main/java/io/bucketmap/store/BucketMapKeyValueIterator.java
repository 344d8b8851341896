package io.bucketmap.store;

import io.bucketmap.core.BucketMapIterator;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * A {@link KeyValueIterator} over a {@link BucketMapKeyValueStore}: a thin view of a {@link BucketMapIterator},
 * so it keeps that iterator's guarantees under concurrent writes (no null value, no duplicate, untouched keys
 * exactly once, O(1) memory, no lock held between calls).
 *
 * <p>Costs: amortized O(1) per entry; each {@link #next()} allocates the returned {@code KeyValue} and its
 * {@code Bytes} key wrapper only. Used by one thread at a time. Fails with
 * {@link org.apache.kafka.streams.errors.InvalidStateStoreException} once the store is closed and with
 * {@link IllegalStateException} after its own {@link #close()}; {@code close()} twice is harmless.
 */
final class BucketMapKeyValueIterator implements KeyValueIterator<Bytes, byte[]> {
    /** The open of the store this iterator walks: its steps fail once that open has closed. */
    private final OpenStore store;
    private final BucketMapIterator entries;

    BucketMapKeyValueIterator(OpenStore store, BucketMapIterator entries) {
        this.store = store;
        this.entries = entries;
    }

    @Override
    public boolean hasNext() {
        store.ensureOpen();
        return entries.hasNext();
    }

    @Override
    public KeyValue<Bytes, byte[]> next() {
        store.ensureOpen();
        return entries.next(BucketMapKeyValueIterator::keyValue);
    }

    /** Kafka's entry for a key and its value: with its {@code Bytes} wrapper, all that a step allocates. */
    private static KeyValue<Bytes, byte[]> keyValue(byte[] key, byte[] value) {
        return new KeyValue<>(Bytes.wrap(key), value);
    }

    @Override
    public Bytes peekNextKey() {
        store.ensureOpen();
        return Bytes.wrap(entries.peekNextKey());
    }

    @Override
    public void close() {
        entries.close();
    }
}
