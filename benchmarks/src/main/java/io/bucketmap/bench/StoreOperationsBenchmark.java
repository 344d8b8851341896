package io.bucketmap.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Average time of single key operations on a store of {@code size} entries, for every {@link Contender}.
 * The defaults here are the quick profile; {@code run.sh full} passes longer runs and a 10M size.
 * Each (operation, contender, size) runs in its own JVM fork, so no contender's JIT profile or garbage
 * affects another's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class StoreOperationsBenchmark {

    /** Lookup of a present key. */
    @Benchmark
    public byte[] getHit(FilledStore filled) {
        return filled.store.get(filled.nextHitKey());
    }

    /**
     * Lookup of a present key whose value the caller then reads, as a deserializer would: a store that hands out its
     * own array leaves the reading of the value's bytes to the caller, one that copies reads them itself.
     */
    @Benchmark
    public long getHitAndRead(FilledStore filled) {
        byte[] value = filled.store.get(filled.nextHitKey());
        long sum = 0;
        for (byte b : value) {
            sum += b;
        }
        return sum;
    }

    /** Lookup of an absent key whose neighbours in key order are present. */
    @Benchmark
    public byte[] getMiss(FilledStore filled) {
        return filled.store.get(filled.nextMissKey());
    }

    /** Put of a new value for a present key. */
    @Benchmark
    public void update(FilledStore filled) {
        filled.store.put(filled.nextHitKey(), filled.nextUpdateValue());
    }

    /** Put of a key that is not in the store, including the store's share of growth work. */
    @Benchmark
    @OperationsPerInvocation(InsertBatch.SIZE)
    public void putNew(FilledStore filled, InsertBatch batch) {
        for (int i = 0; i < InsertBatch.SIZE; i++) {
            filled.store.put(batch.keys[i], batch.values[i]);
        }
    }

    /** Delete of a present key. */
    @Benchmark
    @OperationsPerInvocation(DeleteBatch.SIZE)
    public void delete(FilledStore filled, DeleteBatch batch, Blackhole blackhole) {
        for (int i = 0; i < DeleteBatch.SIZE; i++) {
            blackhole.consume(filled.store.delete(batch.keys[i]));
        }
    }
}
