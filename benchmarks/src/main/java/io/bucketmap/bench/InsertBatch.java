package io.bucketmap.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@value #SIZE} keys that are not in the store, with their values, fresh arrays for every invocation; after the
 * invocation they are deleted again (not measured). So every measured put inserts a new key, and the store stays
 * within {@value #SIZE} entries of its nominal size instead of growing for as long as the benchmark runs.
 * New ids are spread at random over the stored ones (odd ids between the even stored ones).
 */
@State(Scope.Benchmark)
public class InsertBatch {
    /** Puts per invocation: long enough (tens of microseconds at least) for per-invocation timing to be exact. */
    public static final int SIZE = 1000;

    final byte[][] keys = new byte[SIZE][];
    final byte[][] values = new byte[SIZE][];
    private int[] order;
    private int cursor;

    @Setup(Level.Trial)
    public void shuffle(FilledStore filled) {
        order = Shuffle.permutation(filled.size, 3);
    }

    @Setup(Level.Invocation)
    public void nextBatch() {
        for (int i = 0; i < SIZE; i++) {
            long id = FilledStore.absentId(order[cursor]);
            keys[i] = RiskEvents.key(id);
            values[i] = RiskEvents.value(id);
            cursor = cursor + 1 == order.length ? 0 : cursor + 1;
        }
    }

    @TearDown(Level.Invocation)
    public void removeBatch(FilledStore filled) {
        for (byte[] key : keys) {
            filled.store.delete(key);
        }
    }
}
