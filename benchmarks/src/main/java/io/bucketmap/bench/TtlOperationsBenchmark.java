package io.bucketmap.bench;

import io.bucketmap.store.BucketMapStoreSupplier;
import io.bucketmap.store.BucketMapStores;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a time to live costs a bucket-map store per operation: the same store with and without
 * {@code withTtl(Duration.ofDays(1))}, side by side (issue 25's goal: at most 1.3x the time). Nothing expires during
 * the run (record times stay within the day), so this is the bookkeeping alone: reading the record time of each value,
 * the previous value of each write, filing new keys in the expiry index, and for a plain store the record time it
 * keeps in front of each value (a copy on every write and read). Removing expired entries is
 * {@link TtlAtScale}'s business.
 *
 * <p>Stores of {@code size} risk events ({@link RiskEvents}), values timestamped as the DSL writes them, called
 * through {@code KeyValueStore<Bytes, byte[]>} as Kafka's wrappers call them. Run with
 * {@code java -jar benchmarks/target/benchmarks.jar TtlOperationsBenchmark}; each combination in its own fork.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TtlOperationsBenchmark {
    /** The record time of the stored values: a day after it the entries would expire. */
    static final long RECORD_TIME = 1_767_225_600_000L;

    /** The stores compared: the three a DSL user picks from, each with and without a time to live. */
    public enum Variant {
        /** {@code BucketMapStores.timestampedKeyValueStore}: what {@code dsl.store.suppliers.class} builds. */
        ORDERED_TIMESTAMPED(BucketMapStores::timestampedKeyValueStore),
        /** {@code BucketMapStores.keyValueStore}: what {@code Materialized.as} and the Processor API take. */
        ORDERED_PLAIN(BucketMapStores::keyValueStore),
        /** {@code BucketMapStores.hashOrderKeyValueStore}. */
        HASH_PLAIN(BucketMapStores::hashOrderKeyValueStore);

        private final Function<String, BucketMapStoreSupplier> supplier;

        Variant(Function<String, BucketMapStoreSupplier> supplier) {
            this.supplier = supplier;
        }
    }

    /** A store of {@code size} events, with or without a time to live, and the keys the benchmarks ask for. */
    @State(Scope.Benchmark)
    public static class Filled {
        private static final int UPDATE_VALUES = 4096;

        @Param({"ORDERED_TIMESTAMPED", "ORDERED_PLAIN", "HASH_PLAIN"})
        public Variant variant;

        @Param({"false", "true"})
        public boolean ttl;

        @Param({"1000000"})
        public int size;

        KafkaBenchStore store;
        private byte[][] hitKeys;
        private byte[][] updateValues;
        private int hitCursor;
        private int updateCursor;

        @Setup(Level.Trial)
        public void fill() {
            BucketMapStoreSupplier supplier = variant.supplier.apply("bench");
            store = KafkaBenchStore.open(ttl ? supplier.withTtl(Duration.ofDays(1)) : supplier);
            for (int i = 0; i < size; i++) {
                store.put(RiskEvents.key(FilledStore.storedId(i)), timestamped(FilledStore.storedId(i)));
            }
            int[] order = Shuffle.permutation(size, 1);
            hitKeys = new byte[size][];
            for (int i = 0; i < size; i++) {
                hitKeys[i] = RiskEvents.key(FilledStore.storedId(order[i]));
            }
            updateValues = new byte[UPDATE_VALUES][];
            for (int i = 0; i < UPDATE_VALUES; i++) {
                updateValues[i] = timestamped(i);
            }
            if (store.get(hitKeys[0]) == null) {
                throw new IllegalStateException(variant + " does not hold what was put in it");
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            store.close();
        }

        byte[] nextHitKey() {
            byte[] key = hitKeys[hitCursor];
            hitCursor = hitCursor + 1 == hitKeys.length ? 0 : hitCursor + 1;
            return key;
        }

        byte[] nextUpdateValue() {
            byte[] value = updateValues[updateCursor];
            updateCursor = (updateCursor + 1) & (UPDATE_VALUES - 1);
            return value;
        }
    }

    /**
     * {@value #SIZE} keys not in the store with their values, fresh for every invocation and deleted after it (not
     * measured), so each measured put inserts a new key and the store keeps its size.
     */
    @State(Scope.Benchmark)
    public static class NewKeys {
        static final int SIZE = 1000;

        final byte[][] keys = new byte[SIZE][];
        final byte[][] values = new byte[SIZE][];
        private int[] order;
        private int cursor;

        @Setup(Level.Trial)
        public void shuffle(Filled filled) {
            order = Shuffle.permutation(filled.size, 3);
        }

        @Setup(Level.Invocation)
        public void nextBatch() {
            for (int i = 0; i < SIZE; i++) {
                long id = FilledStore.absentId(order[cursor]);
                keys[i] = RiskEvents.key(id);
                values[i] = timestamped(id);
                cursor = cursor + 1 == order.length ? 0 : cursor + 1;
            }
        }

        @TearDown(Level.Invocation)
        public void removeBatch(Filled filled) {
            for (byte[] key : keys) {
                filled.store.delete(key);
            }
        }
    }

    /** Lookup of a present key. */
    @Benchmark
    public byte[] getHit(Filled filled) {
        return filled.store.get(filled.nextHitKey());
    }

    /** Put of a new value (same record time) for a present key. */
    @Benchmark
    public void update(Filled filled) {
        filled.store.put(filled.nextHitKey(), filled.nextUpdateValue());
    }

    /** Put of a key that is not in the store, with the store's share of growth work. */
    @Benchmark
    @OperationsPerInvocation(NewKeys.SIZE)
    public void putNew(Filled filled, NewKeys batch) {
        for (int i = 0; i < NewKeys.SIZE; i++) {
            filled.store.put(batch.keys[i], batch.values[i]);
        }
    }

    /** Event {@code id}'s value as the DSL stores it: {@code [8-byte record time][value]}. */
    static byte[] timestamped(long id) {
        byte[] value = RiskEvents.value(id);
        return ByteBuffer.allocate(Long.BYTES + value.length).putLong(RECORD_TIME).put(value).array();
    }
}
