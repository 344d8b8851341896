package io.bucketmap.store;

import io.bucketmap.core.KeyRange;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Function;

/**
 * A {@code READ_COMMITTED} iterator of a transactional bucket-map store: the store's own iterator (the base) with each
 * entry's value replaced by the one its key has as of the last commit (skipped if it has none), merged with the keys
 * that had a value at that commit and are gone from the map since, so they still appear. Each value returned
 * is one its key held in a committed state at some moment during the iteration; no key is returned twice.
 *
 * <p>Ordered store ({@link #ordered}): a merge in key order of the base and the record's skip list of deleted keys
 * ({@link UncommittedWrites.Interval#committedEntries}), both walked from the last key returned. A key committed for
 * the whole iteration is returned exactly once, even if the writer deletes it while the iterator walks: a key the base
 * passed while it was gone from the map was recorded before it went, and before each step the iterator looks again
 * in the record from its last key if the record grew or a commit replaced it. Cost: O(log k) to open for the k keys
 * changed since the commit, then per entry the base's step, one hash lookup, and O(log k) more only in steps after
 * the writer recorded a delete; O(1) memory.
 *
 * <p>Hash-order store ({@link #hashOrder}): the base's entries first, then those of the changed keys in the range that
 * the base skipped, a copy taken at open (O(k) time and memory; the base walks the whole map anyway). A key committed
 * for the whole iteration is returned exactly once unless the writer first changed it during the iteration by
 * deleting it before the base reached it: the hash order gives no place in the record to look again from.
 *
 * <p>One thread at a time; failures are those of the base iterator and the store's reads (a closed store:
 * {@code InvalidStateStoreException}).
 */
abstract sealed class CommittedViewIterator implements KeyValueIterator<Bytes, byte[]> {
    /** The store's iterator over the range, which sees uncommitted writes. */
    protected final KeyValueIterator<Bytes, byte[]> base;
    protected final UncommittedWrites uncommitted;
    /** Reads a key's current value from the store's map. */
    protected final Function<byte[], byte[]> mapRead;
    private KeyValue<Bytes, byte[]> next;

    private CommittedViewIterator(KeyValueIterator<Bytes, byte[]> base, UncommittedWrites uncommitted,
                                  Function<byte[], byte[]> mapRead) {
        this.base = base;
        this.uncommitted = uncommitted;
        this.mapRead = mapRead;
    }

    /**
     * The committed view of an ordered store's {@code base} over {@code range}, in {@code base}'s direction;
     * {@code start} is the range's bound the walk starts from ({@code range}'s lower bound ascending, upper bound
     * descending; null if open), inclusive.
     */
    static CommittedViewIterator ordered(KeyValueIterator<Bytes, byte[]> base, UncommittedWrites uncommitted,
                                         Function<byte[], byte[]> mapRead, KeyRange range, byte[] start,
                                         boolean descending) {
        return new Ordered(base, uncommitted, mapRead, range, start, descending);
    }

    /** The committed view of a hash-order store's {@code base} over {@code range}. */
    static CommittedViewIterator hashOrder(KeyValueIterator<Bytes, byte[]> base, UncommittedWrites uncommitted,
                                           Function<byte[], byte[]> mapRead, KeyRange range) {
        return new HashOrder(base, uncommitted, mapRead, range);
    }

    @Override
    public final boolean hasNext() {
        if (next == null) {
            next = advance();
        }
        return next != null;
    }

    @Override
    public final KeyValue<Bytes, byte[]> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        KeyValue<Bytes, byte[]> result = next;
        next = null;
        return result;
    }

    @Override
    public final Bytes peekNextKey() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return next.key;
    }

    @Override
    public final void close() {
        base.close();
    }

    /** The next entry with a committed value, or null at the end. */
    abstract KeyValue<Bytes, byte[]> advance();

    /**
     * The committed value of {@code entry}, a base entry read while {@code readDuring} was the record's interval: from
     * that interval if no commit has replaced it since, else read again (its value may never have been committed).
     */
    final byte[] committedValueOf(KeyValue<Bytes, byte[]> entry, UncommittedWrites.Interval readDuring) {
        byte[] key = entry.key.get();
        return uncommitted.current() == readDuring
                ? readDuring.committedValue(key, entry.value)
                : uncommitted.committedValue(key, mapRead);
    }

    private static final class Ordered extends CommittedViewIterator {
        private static final Comparator<byte[]> ASCENDING = Arrays::compareUnsigned;

        private final KeyRange range;
        private final byte[] start;
        private final boolean descending;
        private final Comparator<byte[]> order;
        /** The last key this iterator passed, returned or skipped; null before the first. */
        private byte[] last;
        /** The base's next entry, read while {@link #baseReadDuring} was the current interval; null if not read yet. */
        private KeyValue<Bytes, byte[]> baseHead;
        private UncommittedWrites.Interval baseReadDuring;
        /** The walk of the record's deleted keys: of which interval, made at which count, and its next entry. */
        private UncommittedWrites.Interval changedFrom;
        private int changedRecorded;
        private Iterator<Map.Entry<byte[], byte[]>> changed;
        private Map.Entry<byte[], byte[]> changedHead;

        Ordered(KeyValueIterator<Bytes, byte[]> base, UncommittedWrites uncommitted, Function<byte[], byte[]> mapRead,
                KeyRange range, byte[] start, boolean descending) {
            super(base, uncommitted, mapRead);
            this.range = range;
            this.start = start;
            this.descending = descending;
            this.order = descending ? ASCENDING.reversed() : ASCENDING;
        }

        @Override
        KeyValue<Bytes, byte[]> advance() {
            while (true) {
                if (baseHead == null) {
                    UncommittedWrites.Interval before = uncommitted.current();
                    if (base.hasNext()) {
                        baseHead = base.next();
                        baseReadDuring = before;
                    }
                }
                // after the base read: a key the base passed while it was gone from the map is in the record by now
                UncommittedWrites.Interval interval = uncommitted.current();
                int recorded = interval.recorded();
                if (interval != changedFrom || recorded != changedRecorded) {
                    changedFrom = interval;
                    changedRecorded = recorded;
                    changed = interval.committedEntries(start, last, descending);
                    changedHead = nextChanged();
                }
                if (baseHead == null && changedHead == null) {
                    return null;
                }
                int comparison = baseHead == null ? 1
                        : changedHead == null ? -1
                        : order.compare(baseHead.key.get(), changedHead.getKey());
                KeyValue<Bytes, byte[]> result;
                if (comparison <= 0) {
                    // the base has the key: its value, as of the last commit
                    byte[] value = committedValueOf(baseHead, baseReadDuring);
                    result = value == null ? null : new KeyValue<>(baseHead.key, value);
                    last = baseHead.key.get();
                    baseHead = null;
                    if (comparison == 0) {
                        changedHead = nextChanged();
                    }
                } else {
                    // gone from the map (or not reached by the base yet): its value at the start of the interval
                    // that was current at this step, committed until that interval ended
                    last = changedHead.getKey();
                    result = new KeyValue<>(Bytes.wrap(last), changedHead.getValue());
                    changedHead = nextChanged();
                }
                if (result != null) {
                    return result;
                }
            }
        }

        /** The walk's next entry if it is in the range; null once the walk leaves it. */
        private Map.Entry<byte[], byte[]> nextChanged() {
            if (!changed.hasNext()) {
                return null;
            }
            Map.Entry<byte[], byte[]> entry = changed.next();
            return range.contains(entry.getKey()) ? entry : null;
        }
    }

    private static final class HashOrder extends CommittedViewIterator {
        /** The changed keys in the range that had a committed value, as of the interval current at open. */
        private final List<Map.Entry<byte[], byte[]>> changed;
        private final UncommittedWrites.Interval changedFrom;
        /** The keys of {@link #changed}, which the base skips: they come after it, each once. */
        private final Set<Bytes> changedKeys = new HashSet<>();
        private int nextChanged;

        HashOrder(KeyValueIterator<Bytes, byte[]> base, UncommittedWrites uncommitted, Function<byte[], byte[]> mapRead,
                  KeyRange range) {
            super(base, uncommitted, mapRead);
            this.changedFrom = uncommitted.current();
            this.changed = changedFrom.committedEntriesIn(range);
            changed.forEach(entry -> changedKeys.add(Bytes.wrap(entry.getKey())));
        }

        @Override
        KeyValue<Bytes, byte[]> advance() {
            while (true) {
                UncommittedWrites.Interval before = uncommitted.current();
                if (!base.hasNext()) {
                    break;
                }
                KeyValue<Bytes, byte[]> entry = base.next();
                if (changedKeys.contains(entry.key)) {
                    continue;
                }
                byte[] value = committedValueOf(entry, before);
                if (value != null) {
                    return new KeyValue<>(entry.key, value);
                }
            }
            while (nextChanged < changed.size()) {
                Map.Entry<byte[], byte[]> entry = changed.get(nextChanged++);
                byte[] value = uncommitted.current() == changedFrom
                        ? entry.getValue()
                        : uncommitted.committedValue(entry.getKey(), mapRead);
                if (value != null) {
                    return new KeyValue<>(Bytes.wrap(entry.getKey()), value);
                }
            }
            return null;
        }
    }
}
