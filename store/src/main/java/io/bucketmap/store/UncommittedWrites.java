package io.bucketmap.store;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.query.Position;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What an in-memory bucket-map store changed since its last commit, when Kafka Streams runs with
 * {@code enable.transactional.statestores=true} (KIP-892): for each key written since then, the value it had at that
 * commit (or that it had none), the bytes written, and the position at that commit. Made by {@code init}, dropped by
 * {@code close}: nothing of one open reaches the next.
 *
 * <p>Why an undo record and not a transaction buffer: Kafka's {@code InMemoryKeyValueStore} stages writes in a
 * {@code TreeMap} and copies them into its map at commit. Here the bucket map keeps serving every read of the writer
 * and every {@code READ_UNCOMMITTED} reader (Kafka's default isolation) unchanged, with its iteration contract; only
 * {@code READ_COMMITTED} readers consult this record, and a commit drops it in O(1) instead of copying writes.
 *
 * <p>Threads and visibility: the writer (stream thread) calls {@link #beforeWrite} before it changes the map, and
 * {@link #commit} on commit; readers on any thread call {@link #committedValue} and {@link #committedInRange}. The
 * record of one commit interval is a {@link ConcurrentHashMap}, replaced (not cleared) at commit through a volatile
 * field, so a reader sees either the old interval's record or the new one, never a half-cleared one. A reader reads
 * the map before the record; since the writer records a key before it changes the map, a reader that saw an
 * uncommitted value also sees the record of that key. What a reader returns is a value committed at some moment
 * during its call.
 *
 * <p>Cost: per write of the writer, one {@code Bytes} wrapper and a hash lookup, plus one map read and one insert the
 * first time a key changes in an interval; memory O(keys changed since the last commit), the same order as Kafka's
 * transaction buffer.
 */
final class UncommittedWrites {
    /** Stands for "the key had no value at the last commit". */
    private static final Object ABSENT = new Object();

    private volatile ConcurrentHashMap<Bytes, Object> committedValues = new ConcurrentHashMap<>();
    /** The position of what is committed; a snapshot that is replaced, never changed, so readers need not copy it. */
    private volatile Position committedPosition;
    private volatile long uncommittedBytes;

    /** Starts with everything the store holds committed, at {@code position} (a store opened from its copy). */
    UncommittedWrites(Position position) {
        this.committedPosition = position.copy();
    }

    /**
     * Records, the first time {@code key} changes since the last commit, the value it had then ({@code current}
     * reads it from the map), and counts {@code key} and {@code newValueLength} bytes as uncommitted, as Kafka's
     * transaction buffer counts each staged write. Writer thread only; call before changing the map.
     */
    void beforeWrite(byte[] key, int newValueLength, Function<byte[], byte[]> current) {
        Bytes wrapped = Bytes.wrap(key);
        ConcurrentHashMap<Bytes, Object> record = committedValues;
        if (!record.containsKey(wrapped)) {
            byte[] committed = current.apply(key);
            record.put(wrapped, committed == null ? ABSENT : committed);
        }
        uncommittedBytes += key.length + newValueLength;
    }

    /** Everything written so far is committed: starts an empty record. O(1). Writer thread only. */
    void commit(Position position) {
        committedPosition = position.copy();
        committedValues = new ConcurrentHashMap<>();
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
        if (committedValues.isEmpty()) {
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
     * The value {@code key} had at the last commit, given {@code currentValue}, the map's value read just before
     * (the map first, then this record: see the class comment). Any thread.
     */
    byte[] committedValue(byte[] key, byte[] currentValue) {
        Object committed = committedValues.get(Bytes.wrap(key));
        if (committed == null) {
            return currentValue;
        }
        return committed == ABSENT ? null : (byte[]) committed;
    }

    /**
     * The keys changed since the last commit that had a value then, within {@code range}, with that value: the
     * entries a committed view must show even where the map no longer holds them. O(keys changed); any thread.
     */
    List<Map.Entry<byte[], byte[]>> committedInRange(java.util.function.Predicate<byte[]> range) {
        List<Map.Entry<byte[], byte[]>> entries = new ArrayList<>();
        committedValues.forEach((key, value) -> {
            if (value != ABSENT && range.test(key.get())) {
                entries.add(Map.entry(key.get(), (byte[]) value));
            }
        });
        return entries;
    }
}
