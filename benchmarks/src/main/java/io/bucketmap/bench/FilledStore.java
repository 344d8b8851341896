package io.bucketmap.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A contender holding {@code size} risk events, and the lookup keys the benchmarks ask for.
 *
 * <p>Stored events have the even ids {@code 0, 2, .., 2(size-1)}, inserted in ascending order as event ids
 * arrive; odd ids are never stored, so they are misses and new keys. Lookup keys are copies of the stored
 * keys, never the stored arrays themselves: Kafka hands the store a freshly serialized key per call, and
 * {@code Arrays.equals} would short-cut on identical arrays. They come in a random order over the whole
 * store, so a 1M-entry benchmark touches 1M entries, not a cache-sized subset.
 */
@State(Scope.Benchmark)
public class FilledStore {
    private static final int MISS_KEYS = 1 << 20;
    private static final int UPDATE_VALUES = 4096;

    @Param({"BUCKETMAP_ORDERED", "BUCKETMAP_HASH", "BUCKETMAP_STORE_ORDERED", "BUCKETMAP_STORE_HASH", "HASHMAP",
            "IN_MEMORY_STORE", "ROCKSDB_STORE"})
    public Contender contender;

    @Param({"100000", "1000000"})
    public int size;

    BenchStore store;
    private byte[][] hitKeys;
    private byte[][] missKeys;
    private byte[][] updateValues;
    private int hitCursor;
    private int missCursor;
    private int updateCursor;

    /** The event id of the {@code index}-th stored entry. */
    static long storedId(int index) {
        return 2L * index;
    }

    /** An event id that is never stored: {@code index} in {@code 0..size-1} gives distinct ones. */
    static long absentId(int index) {
        return 2L * index + 1;
    }

    @Setup(Level.Trial)
    public void fill() {
        store = contender.open();
        for (int i = 0; i < size; i++) {
            store.put(RiskEvents.key(storedId(i)), RiskEvents.value(storedId(i)));
        }
        int[] hitOrder = Shuffle.permutation(size, 1);
        hitKeys = new byte[size][];
        for (int i = 0; i < size; i++) {
            hitKeys[i] = RiskEvents.key(storedId(hitOrder[i]));
        }
        int[] missOrder = Shuffle.permutation(size, 2);
        missKeys = new byte[Math.min(size, MISS_KEYS)][];
        for (int i = 0; i < missKeys.length; i++) {
            missKeys[i] = RiskEvents.key(absentId(missOrder[i]));
        }
        updateValues = new byte[UPDATE_VALUES][];
        for (int i = 0; i < UPDATE_VALUES; i++) {
            updateValues[i] = RiskEvents.value(-1L - i);
        }
        if (store.get(hitKeys[0]) == null || store.get(missKeys[0]) != null) {
            throw new IllegalStateException(contender + " does not hold what was put in it");
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
    }

    /** A copy of a stored key; all of them in turn, in random order. */
    byte[] nextHitKey() {
        byte[] key = hitKeys[hitCursor];
        hitCursor = hitCursor + 1 == hitKeys.length ? 0 : hitCursor + 1;
        return key;
    }

    /** A key that is not stored. */
    byte[] nextMissKey() {
        byte[] key = missKeys[missCursor];
        missCursor = missCursor + 1 == missKeys.length ? 0 : missCursor + 1;
        return key;
    }

    /** A value to overwrite an existing one with. */
    byte[] nextUpdateValue() {
        byte[] value = updateValues[updateCursor];
        updateCursor = (updateCursor + 1) & (UPDATE_VALUES - 1);
        return value;
    }
}
