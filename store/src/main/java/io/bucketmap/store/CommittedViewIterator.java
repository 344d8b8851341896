package io.bucketmap.store;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A {@code READ_COMMITTED} iterator of a transactional in-memory bucket-map store: the store's own iterator with
 * each entry replaced by the value its key had at the last commit (skipped if it had none), merged with the keys
 * changed since that commit that had a value then ({@code committed}, a snapshot taken at open), so keys deleted
 * since the commit still appear.
 *
 * <p>Order: an ordered store's order (ascending, or descending), the snapshot sorted to match and merged; a
 * hash-order store's entries first, then the snapshot's keys it did not return. Each key is returned once.
 *
 * <p>Cost: O(k log k) at open and O(k) memory for the k keys changed since the last commit in the range (Kafka's
 * transaction buffer copies the same); per entry, the base iterator's cost and one hash lookup. One thread at a time;
 * failures are those of the base iterator.
 */
final class CommittedViewIterator implements KeyValueIterator<Bytes, byte[]> {
    private static final Comparator<byte[]> ASCENDING = Arrays::compareUnsigned;

    private final KeyValueIterator<Bytes, byte[]> base;
    private final UncommittedWrites uncommitted;
    private final List<Map.Entry<byte[], byte[]>> committed;
    private final Comparator<byte[]> order;
    /** Hash order only: the snapshot's keys, so the base iterator's copies of them are skipped. */
    private final Set<Bytes> committedKeys;
    private int nextCommitted;
    private KeyValue<Bytes, byte[]> nextBase;
    private KeyValue<Bytes, byte[]> next;

    CommittedViewIterator(KeyValueIterator<Bytes, byte[]> base, UncommittedWrites uncommitted,
                          List<Map.Entry<byte[], byte[]>> committed, boolean ordered, boolean descending) {
        this.base = base;
        this.uncommitted = uncommitted;
        this.committed = new ArrayList<>(committed);
        if (ordered) {
            this.order = descending ? ASCENDING.reversed() : ASCENDING;
            this.committed.sort((a, b) -> order.compare(a.getKey(), b.getKey()));
            this.committedKeys = null;
        } else {
            this.order = null;
            this.committedKeys = new HashSet<>();
            this.committed.forEach(entry -> committedKeys.add(Bytes.wrap(entry.getKey())));
        }
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            next = advance();
        }
        return next != null;
    }

    @Override
    public KeyValue<Bytes, byte[]> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        KeyValue<Bytes, byte[]> result = next;
        next = null;
        return result;
    }

    @Override
    public Bytes peekNextKey() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return next.key;
    }

    @Override
    public void close() {
        base.close();
    }

    private KeyValue<Bytes, byte[]> advance() {
        if (nextBase == null) {
            nextBase = nextCommittedBaseEntry();
        }
        Map.Entry<byte[], byte[]> snapshot = nextCommitted < committed.size() ? committed.get(nextCommitted) : null;
        if (snapshot == null && nextBase == null) {
            return null;
        }
        // hash order: the base entries first, then the snapshot's; ordered: merge, the snapshot winning ties
        int comparison = snapshot == null ? -1
                : nextBase == null ? 1
                : order == null ? -1
                : order.compare(nextBase.key.get(), snapshot.getKey());
        if (comparison < 0) {
            KeyValue<Bytes, byte[]> result = nextBase;
            nextBase = null;
            return result;
        }
        if (comparison == 0) {
            nextBase = null; // the snapshot's committed value stands for the key
        }
        nextCommitted++;
        return new KeyValue<>(Bytes.wrap(snapshot.getKey()), snapshot.getValue());
    }

    /** The base iterator's next entry that has a committed value, with that value; null at its end. */
    private KeyValue<Bytes, byte[]> nextCommittedBaseEntry() {
        while (base.hasNext()) {
            KeyValue<Bytes, byte[]> entry = base.next();
            if (committedKeys != null && committedKeys.contains(entry.key)) {
                continue;
            }
            byte[] value = uncommitted.committedValue(entry.key.get(), entry.value);
            if (value != null) {
                return new KeyValue<>(entry.key, value);
            }
        }
        return null;
    }
}
