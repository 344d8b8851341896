package io.bucketmap.bench;

import io.bucketmap.store.BucketMapStoreSupplier;
import io.bucketmap.store.BucketMapStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * What a time to live costs a bucket-map store per operation (issue 25's goal: at most 1.3x the time): the same store
 * with and without {@code withTtl(Duration.ofDays(1))}, both filled with {@code entries} risk events in one JVM, timed
 * in alternating blocks of {@value #BLOCK} operations (which store goes first alternates each round), so both see the
 * same machine: on a shared machine the load moves between JMH forks run minutes apart, and a ratio of two such
 * forks says more about the neighbours than about the store. A block is timed by the CPU time of the measuring thread
 * ({@code ThreadMXBean.getCurrentThreadCpuTime}), which a neighbour taking the core does not inflate (its effect on
 * the caches still shows; the collector's threads do not count, so allocation shows only as its own cost). Reported per
 * operation: the median over the rounds of each store's CPU nanoseconds per operation, and the median and quartiles of
 * the per-round ratio.
 *
 * <p>Nothing expires during the run (record times stay within the day), so this is the bookkeeping alone: reading the
 * record time of each value, the previous value of each write, filing new keys in the expiry index, and for a plain
 * store the record time it keeps in front of each value (a copy on every write and read). Removing expired entries is
 * {@link TtlAtScale}'s business. Values are timestamped as the DSL writes them; keys and values as
 * {@link StoreOperationsBenchmark}'s (random order over the whole store, fresh arrays per call).
 *
 * <p>Usage: {@code TtlOverhead <ORDERED_TIMESTAMPED|ORDERED_PLAIN|HASH_PLAIN> <entries> <rounds> <results.md>};
 * appends a Markdown section to the file and prints it.
 */
public final class TtlOverhead {
    static final int BLOCK = 20_000;
    private static final int WARMUP_ROUNDS = 5;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** The record time of every value: a day before anything would expire. */
    private static final long RECORD_TIME = 1_767_225_600_000L;

    private TtlOverhead() {
    }

    /** The stores compared: the three a DSL user picks from, each with and without a time to live. */
    enum Variant {
        /** {@code BucketMapStores.timestampedKeyValueStore}: what {@code dsl.store.suppliers.class} builds. */
        ORDERED_TIMESTAMPED(BucketMapStores::timestampedKeyValueStore),
        /** {@code BucketMapStores.keyValueStore}: what {@code Materialized.as} and the Processor API take. */
        ORDERED_PLAIN(BucketMapStores::keyValueStore),
        /** {@code BucketMapStores.hashOrderKeyValueStore}. */
        HASH_PLAIN(BucketMapStores::hashOrderKeyValueStore);

        final Function<String, BucketMapStoreSupplier> supplier;

        Variant(Function<String, BucketMapStoreSupplier> supplier) {
            this.supplier = supplier;
        }
    }

    /**
     * The operations timed: a lookup of a present key, a put of a new value for one (no read before), a get then a put
     * of the same key (what an aggregation does: one operation here), a put of a key not in the store.
     */
    enum Operation { GET, UPDATE, READ_THEN_UPDATE, PUT_NEW }

    public static void main(String[] args) {
        if (args.length != 4) {
            throw new IllegalArgumentException(
                    "usage: TtlOverhead <ORDERED_TIMESTAMPED|ORDERED_PLAIN|HASH_PLAIN> <entries> <rounds> <results.md>");
        }
        Variant variant = Variant.valueOf(args[0]);
        int entries = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Operation[] operations = Operation.values();
        double[][][] nanosPerOp = new double[operations.length][2][rounds];
        try (Side off = new Side(variant.supplier.apply("bench"), entries);
             Side on = new Side(variant.supplier.apply("bench").withTtl(Duration.ofDays(1)), entries)) {
            Side[] sides = {off, on};
            for (int round = -WARMUP_ROUNDS; round < rounds; round++) {
                for (int op = 0; op < operations.length; op++) {
                    for (int turn = 0; turn < 2; turn++) {
                        int side = (turn + Math.abs(round)) % 2;
                        double nanos = sides[side].time(operations[op]);
                        if (round >= 0) {
                            nanosPerOp[op][side][round] = nanos;
                        }
                    }
                }
            }
        }
        MarkdownTable table = new MarkdownTable(List.of("operation", "without ttl, CPU ns", "with ttl, CPU ns",
                "ratio (median of rounds)", "ratio, quartiles"));
        for (int op = 0; op < operations.length; op++) {
            double[] ratios = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                ratios[round] = nanosPerOp[op][1][round] / nanosPerOp[op][0][round];
            }
            table.add(List.of(operations[op].name().toLowerCase(Locale.ROOT),
                    String.format(Locale.ROOT, "%.0f", quantile(nanosPerOp[op][0], 0.5)),
                    String.format(Locale.ROOT, "%.0f", quantile(nanosPerOp[op][1], 0.5)),
                    String.format(Locale.ROOT, "%.2fx", quantile(ratios, 0.5)),
                    String.format(Locale.ROOT, "%.2f-%.2f", quantile(ratios, 0.25), quantile(ratios, 0.75))));
        }
        String section = String.format(Locale.ROOT, "%n### %s: %,d entries, %d rounds of %,d operations per store%n%n%s",
                variant, entries, rounds, BLOCK, table);
        System.out.print(section);
        try {
            Files.writeString(Path.of(args[3]), section, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double quantile(double[] values, double quantile) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.round(quantile * (sorted.length - 1))];
    }

    /** One store of the pair, the keys it is asked for, and a cursor over them. */
    private static final class Side implements AutoCloseable {
        private final KafkaBenchStore store;
        private final byte[][] hitKeys;
        private final int[] newOrder;
        private int hitCursor;
        private int newCursor;

        Side(BucketMapStoreSupplier supplier, int entries) {
            store = KafkaBenchStore.open(supplier);
            for (int i = 0; i < entries; i++) {
                store.put(RiskEvents.key(FilledStore.storedId(i)), timestamped(FilledStore.storedId(i)));
            }
            int[] order = Shuffle.permutation(entries, 1);
            hitKeys = new byte[entries][];
            for (int i = 0; i < entries; i++) {
                hitKeys[i] = RiskEvents.key(FilledStore.storedId(order[i]));
            }
            newOrder = Shuffle.permutation(entries, 3);
        }

        /** CPU nanoseconds per operation over a block of {@link #BLOCK} operations; inputs made before timing. */
        double time(Operation operation) {
            byte[][] keys = new byte[BLOCK][];
            byte[][] values = new byte[BLOCK][];
            for (int i = 0; i < BLOCK; i++) {
                if (operation == Operation.PUT_NEW) {
                    long id = FilledStore.absentId(newOrder[newCursor]);
                    newCursor = newCursor + 1 == newOrder.length ? 0 : newCursor + 1;
                    keys[i] = RiskEvents.key(id);
                    values[i] = timestamped(id);
                } else {
                    keys[i] = hitKeys[hitCursor].clone();
                    hitCursor = hitCursor + 1 == hitKeys.length ? 0 : hitCursor + 1;
                    values[i] = operation == Operation.GET ? null : timestamped(-1L - (i & 4095));
                }
            }
            long started = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < BLOCK; i++) {
                switch (operation) {
                    case GET -> ConsumedValues.read(store.get(keys[i]));
                    case READ_THEN_UPDATE -> {
                        ConsumedValues.read(store.get(keys[i]));
                        store.put(keys[i].clone(), values[i]);
                    }
                    default -> store.put(keys[i], values[i]);
                }
            }
            long nanos = THREADS.getCurrentThreadCpuTime() - started;
            if (operation == Operation.PUT_NEW) {
                for (byte[] key : keys) {
                    store.delete(key);
                }
            }
            return (double) nanos / BLOCK;
        }

        @Override
        public void close() {
            store.close();
        }
    }

    /** Event {@code id}'s value as the DSL stores it: {@code [8-byte record time][value]}. */
    static byte[] timestamped(long id) {
        byte[] value = RiskEvents.value(id);
        return ByteBuffer.allocate(Long.BYTES + value.length).putLong(RECORD_TIME).put(value).array();
    }
}
