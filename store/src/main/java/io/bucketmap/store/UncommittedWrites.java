package io.bucketmap.store;

import io.bucketmap.core.KeyRange;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.query.Position;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

/**
 * What a bucket-map store changed since its last commit, when Kafka Streams runs with
 * {@code enable.transactional.statestores=true} (KIP-892): for each key written since then, the value it had at that
 * commit (or that it had none), the bytes written, and the position of what is committed. Made by {@code init},
 * dropped by {@code close}: nothing of one open reaches the next.
 *
 * <p>Why an undo record and not a transaction buffer: Kafka's {@code InMemoryKeyValueStore} stages writes in a
 * {@code TreeMap} and copies them into its map at commit. Here the bucket map keeps serving every read of the writer
 * and every {@code READ_UNCOMMITTED} reader (Kafka's default isolation) unchanged, with its iteration contract; only
 * {@code READ_COMMITTED} readers consult this record, and a commit drops it in O(1) instead of copying writes.
 *
 * <h2>The record of one interval</h2>
 * The writer records in an {@link Interval} (the commit interval now running), each key the first time it changes: in a
 * hash map of every changed key (a committed {@code get} is one lookup there, O(1)) and, for an ordered store, the
 * deleted keys that had a committed value also in a skip list ordered by unsigned key bytes: the keys a committed
 * range must show although the map no longer holds them (a key only leaves the map by a delete; an updated key stays
 * in the map, where the range finds it and the hash map gives its committed value). A range cuts them out in
 * O(log k + keys in the range) instead of walking all k changed keys. A hash-order store walks its whole map for any
 * range anyway and keeps no skip list. A commit replaces the interval (never clears it) through a volatile field: a
 * reader sees the old interval or the new one, never a half-cleared one, and within one interval entries are only
 * added.
 *
 * <h2>Threads and visibility</h2>
 * The writer (stream thread, or state updater while restoring) calls {@link #beforePut} or {@link #beforeDelete} before
 * it changes the map, {@link #commit} on commit and {@link #restored} after a restored batch; readers on any thread
 * call the rest. A reader reads the current interval, then the map, then checks that the interval is still the current
 * one, and only then looks the key up in that interval's record ({@link #committedValue}). Invariants that make its
 * answer a committed value: (1) the writer records a key (hash map; for a delete, then the skip list and the count of
 * its entries) before it changes the map, so a reader that saw an uncommitted value, or saw a committed key gone from
 * the map, finds the key in the record; (2) within an interval entries are only added, and a commit starts a new interval object, so "still
 * the current one" means no commit landed between the reader's reads: a value read from the map then is either
 * recorded (the record holds the committed one) or unchanged since the interval began (it is the committed one).
 * Without (2)'s check a reader could return a value written after its map read's interval began and overwritten
 * before the next commit, which no commit ever held. No locks: the writer never waits for a reader, nor a reader for
 * the writer; a reader repeats its read only when a commit lands during it.
 *
 * <p>Cost: per write of the writer, one {@code Bytes} wrapper and a hash lookup, plus, the first time a key changes in
 * an interval, one map read and one hash insert; per delete of a key with a committed value on an ordered store, a
 * skip-list insert if absent, O(log k); memory O(keys changed since the last commit), the same order as Kafka's
 * transaction buffer.
 */
final class UncommittedWrites {
    /** Stands for "the key had no value at the last commit". */
    private static final Object ABSENT = new Object();

    private final boolean ordered;
    private volatile Interval interval;
    /** The position of what is committed; a snapshot that is replaced, never changed, so readers need not copy it. */
    private volatile Position committedPosition;
    private volatile long uncommittedBytes;

    /**
     * Starts with everything the store holds committed, at {@code position} (a store opened from its copy); an
     * {@code ordered} store's record also keeps its deleted keys in key order, for committed ranges.
     */
    UncommittedWrites(Position position, boolean ordered) {
        this.ordered = ordered;
        this.interval = new Interval(ordered);
        this.committedPosition = position.copy();
    }

    /**
     * Records, the first time {@code key} changes since the last commit, the value it had then ({@code current}
     * reads it from the map), and counts {@code key} and {@code newValueLength} bytes as uncommitted, as Kafka's
     * transaction buffer counts each staged write. Writer thread only; call before putting {@code key} into the map.
     */
    void beforePut(byte[] key, int newValueLength, Function<byte[], byte[]> current) {
        interval.record(key, current);
        uncommittedBytes += key.length + newValueLength;
    }

    /**
     * As {@link #beforePut}, for a delete of {@code key}; on an ordered store a key that had a committed value also
     * goes into the skip list of keys a committed range must find beyond the map. Writer thread only; call before
     * deleting {@code key} from the map.
     */
    void beforeDelete(byte[] key, Function<byte[], byte[]> current) {
        interval.recordDelete(key, interval.record(key, current));
        uncommittedBytes += key.length;
    }

    /** Everything written so far is committed: starts an empty record. O(1). Writer thread only. */
    void commit(Position position) {
        committedPosition = position.copy();
        interval = new Interval(ordered);
        uncommittedBytes = 0;
    }

    /**
     * A batch of changelog records is in the map and {@code position} (the store's live position) includes it. Restored
     * records are committed by definition, so while no processing write happened since the last commit (always, in
     * Kafka Streams: standbys and restoring tasks do not process), what is committed is what the map holds and the
     * committed position becomes {@code position}. Otherwise it stays: the live position also covers uncommitted
     * writes, and a committed position must never run ahead of the committed data (a bound is refused until the next
     * commit instead). O(topics and partitions in the position); writer thread (the state updater) only.
     */
    void restored(Position position) {
        if (interval.isEmpty()) {
            committedPosition = position.copy();
        }
    }

    /** The bytes of keys and values written since the last commit (each write counted). O(1); any thread. */
    long uncommittedBytes() {
        return uncommittedBytes;
    }

    /**
     * The position of what {@code READ_COMMITTED} readers see: the last commit's, or the last restored batch's (see
     * {@link #restored}). The snapshot itself, not a copy: callers must not change it. O(1); any thread.
     */
    Position committedPosition() {
        return committedPosition;
    }

    /**
     * The value {@code key} has as of the last commit, read with {@code mapRead} (the store's read of the map): the
     * map first, then this record (see the class comment), and again if a commit landed in between, since the map's
     * value may then be one written after the record was read and overwritten before that commit, never committed.
     * O(1); a read repeats only when a commit lands during it. Any thread.
     */
    byte[] committedValue(byte[] key, Function<byte[], byte[]> mapRead) {
        while (true) {
            Interval before = interval;
            byte[] current = mapRead.apply(key);
            if (interval == before) {
                return before.committedValue(key, current);
            }
        }
    }

    /** The record of the commit interval now running. O(1); any thread. */
    Interval current() {
        return interval;
    }

    /**
     * The record of one commit interval: what each key changed in it held at the commit that started it. Only the writer
     * adds to it, and only until the next commit replaces it; readers on any thread.
     */
    static final class Interval {
        private final ConcurrentHashMap<Bytes, Object> committedValues = new ConcurrentHashMap<>();
        /** Ordered store only: the deleted keys that had a committed value, with it, in unsigned key order. */
        private final ConcurrentSkipListMap<byte[], byte[]> committedEntries;
        /** How many entries {@link #committedEntries} holds: written after each insert, read by iterators. */
        private volatile int recorded;

        private Interval(boolean ordered) {
            this.committedEntries = ordered ? new ConcurrentSkipListMap<>(Arrays::compareUnsigned) : null;
        }

        /** Records {@code key}'s committed value if it is its first change here; returns it (or {@link #ABSENT}). */
        private Object record(byte[] key, Function<byte[], byte[]> current) {
            Bytes wrapped = Bytes.wrap(key);
            Object committed = committedValues.get(wrapped);
            if (committed == null) {
                byte[] value = current.apply(key);
                committed = value == null ? ABSENT : value;
                committedValues.put(wrapped, committed);
            }
            return committed;
        }

        /** Before {@code key} leaves the map: an ordered store's committed range must find it in the skip list. */
        private void recordDelete(byte[] key, Object committed) {
            if (committedEntries != null && committed != ABSENT
                    && committedEntries.putIfAbsent(key, (byte[]) committed) == null) {
                recorded++; // the writer is the only one to write it
            }
        }

        private boolean isEmpty() {
            return committedValues.isEmpty();
        }

        /**
         * The value {@code key} had at the commit that started this interval, given {@code currentValue}, the map's
         * value read while this interval was the current one (read the interval, then the map, then check the interval
         * is still current: {@link UncommittedWrites#committedValue}). O(1).
         */
        byte[] committedValue(byte[] key, byte[] currentValue) {
            Object committed = committedValues.get(Bytes.wrap(key));
            if (committed == null) {
                return currentValue;
            }
            return committed == ABSENT ? null : (byte[]) committed;
        }

        /**
         * How many deleted keys with a committed value this interval has recorded so far (ordered store). An iterator
         * from {@link #committedEntries} made after reading {@code n} here returns every entry counted in {@code n}.
         * O(1).
         */
        int recorded() {
            return recorded;
        }

        /**
         * The deleted keys that had a committed value, with it, in key order ({@code descending} or not), strictly
         * after {@code after} or, if it is null, from {@code start} (inclusive; null: the first key): the caller stops
         * at the end of its range. Weakly consistent: it returns the entries recorded before it was made (see
         * {@link #recorded}) and may return later ones. Ordered store only. O(log k) to make, O(1) per step.
         */
        Iterator<Map.Entry<byte[], byte[]>> committedEntries(byte[] start, byte[] after, boolean descending) {
            NavigableMap<byte[], byte[]> entries = descending ? committedEntries.descendingMap() : committedEntries;
            if (after != null) {
                entries = entries.tailMap(after, false);
            } else if (start != null) {
                entries = entries.tailMap(start, true);
            }
            return entries.entrySet().iterator();
        }

        /**
         * The changed keys in {@code range} that had a committed value, with it: a copy, O(k) for the k keys changed in
         * this interval. What a hash-order store's committed iterator merges in after its walk of the map.
         */
        List<Map.Entry<byte[], byte[]>> committedEntriesIn(KeyRange range) {
            List<Map.Entry<byte[], byte[]>> entries = new ArrayList<>();
            committedValues.forEach((key, value) -> {
                if (value != ABSENT && range.contains(key.get())) {
                    entries.add(Map.entry(key.get(), (byte[]) value));
                }
            });
            return entries;
        }
    }
}
