package io.bucketmap.store;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.NoSuchElementException;

/**
 * An iterator of an expiring store: the store's own iterator with every expired entry skipped and each value as callers
 * see it ({@link ExpiringData#visible}), so an entry past its expiry is absent from every range, scan and IQ result
 * whether or not it has been removed yet. Keeps the iteration contract of the iterator it wraps (it only drops
 * entries), and like it fails with {@code InvalidStateStoreException} once the store's open has closed.
 *
 * <p>Costs: per entry, the wrapped iterator's step and an expiry check; a skipped entry costs its step. It holds at
 * most the one entry it has reached. One thread at a time; {@link #close} twice is harmless.
 */
final class ExpiringKeyValueIterator implements KeyValueIterator<Bytes, byte[]> {
    private final OpenStore store;
    private final KeyValueIterator<Bytes, byte[]> stored;
    private final ExpiringData expiry;
    /** The next entry to return, reached by {@link #hasNext}; null if not reached yet. */
    private KeyValue<Bytes, byte[]> reached;

    ExpiringKeyValueIterator(OpenStore store, KeyValueIterator<Bytes, byte[]> stored, ExpiringData expiry) {
        this.store = store;
        this.stored = stored;
        this.expiry = expiry;
    }

    @Override
    public boolean hasNext() {
        store.ensureOpen();
        while (reached == null && stored.hasNext()) {
            KeyValue<Bytes, byte[]> entry = stored.next();
            byte[] value = expiry.visible(entry.value);
            if (value != null) {
                reached = value == entry.value ? entry : KeyValue.pair(entry.key, value);
            }
        }
        return reached != null;
    }

    @Override
    public KeyValue<Bytes, byte[]> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("iterator has no more entries");
        }
        KeyValue<Bytes, byte[]> next = reached;
        reached = null;
        return next;
    }

    @Override
    public Bytes peekNextKey() {
        if (!hasNext()) {
            throw new NoSuchElementException("iterator has no more entries");
        }
        return reached.key;
    }

    @Override
    public void close() {
        reached = null;
        stored.close();
    }
}
