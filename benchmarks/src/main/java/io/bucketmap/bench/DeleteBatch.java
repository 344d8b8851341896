package io.bucketmap.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@value #SIZE} stored keys, picked at random over the whole store, as fresh copies for every invocation; after
 * the invocation they are put back with their values (not measured). So every measured delete removes a present
 * key and the store never runs empty.
 */
@State(Scope.Benchmark)
public class DeleteBatch {
    /** Deletes per invocation: long enough (tens of microseconds at least) for per-invocation timing to be exact. */
    public static final int SIZE = 1000;

    final byte[][] keys = new byte[SIZE][];
    private final long[] ids = new long[SIZE];
    private int[] order;
    private int cursor;

    @Setup(Level.Trial)
    public void shuffle(FilledStore filled) {
        order = Shuffle.permutation(filled.size, 4);
    }

    @Setup(Level.Invocation)
    public void nextBatch() {
        for (int i = 0; i < SIZE; i++) {
            ids[i] = FilledStore.storedId(order[cursor]);
            keys[i] = RiskEvents.key(ids[i]);
            cursor = cursor + 1 == order.length ? 0 : cursor + 1;
        }
    }

    @TearDown(Level.Invocation)
    public void restoreBatch(FilledStore filled) {
        for (long id : ids) {
            filled.store.put(RiskEvents.key(id), RiskEvents.value(id));
        }
    }
}
