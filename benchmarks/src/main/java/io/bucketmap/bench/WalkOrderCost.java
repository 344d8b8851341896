package io.bucketmap.bench;

import io.bucketmap.core.BucketMap;
import io.bucketmap.core.BucketMapIterator;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.utils.Bytes;

/**
 * What reading the values costs a walk, by the order it walks in against the order the values lie in the heap. The
 * collector lays objects out in the order it finds their references: a bucket map's keys and values in its entry slab's
 * handle order (insertion order), {@code HashMap}'s in its table order. So a walk over every entry of the hash-order
 * map, of the ordered map (ascending ids, inserted in that order) and of a {@code HashMap}, each timed without reading
 * the values and reading each value's first byte; and, for the floor, the same values read straight from an array in
 * allocation order and in random order.
 *
 * <p>Usage: {@code WalkOrderCost [entries]}; prints a Markdown table of ns per entry, median of the last rounds. One JVM,
 * run alone on the machine.
 */
public final class WalkOrderCost {
    private static final int WARMUP_ROUNDS = 3;
    private static final int ROUNDS = 5;
    /** Rounds of replacing a tenth of the entries: about two thirds of them replaced in all. */
    private static final int CHURN_ROUNDS = 10;
    /** Where results go so that the JIT cannot drop the loops that made them. */
    private static volatile long sink;

    private WalkOrderCost() {
    }

    public static void main(String[] args) {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        BucketMap hashOrder = BucketMap.hashOrdered();
        BucketMap ordered = BucketMap.ordered();
        Map<Bytes, byte[]> hashMap = new HashMap<>();
        byte[][] values = new byte[entries][];
        for (int i = 0; i < entries; i++) {
            long id = FilledStore.storedId(i);
            hashOrder.put(RiskEvents.key(id), RiskEvents.value(id));
            ordered.put(RiskEvents.key(id), RiskEvents.value(id));
            hashMap.put(Bytes.wrap(RiskEvents.key(id)), RiskEvents.value(id));
            values[i] = RiskEvents.value(id);
        }
        int[] inOrder = new int[entries];
        Arrays.setAll(inOrder, i -> i);
        int[] shuffled = Shuffle.permutation(entries, 5);
        System.out.println("| walk of " + entries + " entries | ns/entry, values not read | ns/entry, each value read |");
        System.out.println("| :--- | ---: | ---: |");
        row("hash-order core map", read -> walk(hashOrder, read, entries));
        row("ordered core map (ascending ids)", read -> walk(ordered, read, entries));
        row("HashMap<Bytes, byte[]>", read -> walk(hashMap, read, entries));
        BucketMap relaid = refilledInWalkOrder(entries);
        row("hash-order core map, refilled in its walk order", read -> walk(relaid, read, entries));
        BucketMap churnedHashOrder = churned(BucketMap.hashOrdered(), entries);
        row("hash-order core map, after churn", read -> walk(churnedHashOrder, read, entries));
        BucketMap churnedOrdered = churned(BucketMap.ordered(), entries);
        row("ordered core map, after churn", read -> walk(churnedOrdered, read, entries));
        Map<Bytes, byte[]> churnedHashMap = churned(new HashMap<>(), entries);
        row("HashMap<Bytes, byte[]>, after churn", read -> walk(churnedHashMap, read, entries));
        System.out.printf(Locale.ROOT, "| the values alone, in allocation order | - | %.1f |%n", median(read -> readAll(values, inOrder), true));
        System.out.printf(Locale.ROOT, "| the values alone, in random order | - | %.1f |%n", median(read -> readAll(values, shuffled), true));
    }

    /**
     * A hash-order map whose entries were inserted in the order it walks them, as fresh arrays: its slab handles and
     * the heap then follow hash order, as a layout with references in the bucket slots would keep them. The same map
     * (same seed, so the same order) emptied and refilled.
     */
    private static BucketMap refilledInWalkOrder(int entries) {
        BucketMap map = BucketMap.hashOrdered();
        for (int i = 0; i < entries; i++) {
            long id = FilledStore.storedId(i);
            map.put(RiskEvents.key(id), RiskEvents.value(id));
        }
        byte[][] keys = new byte[entries][];
        byte[][] values = new byte[entries][];
        int walked = 0;
        try (BucketMapIterator walk = map.iterator()) {
            while (walk.hasNext()) {
                BucketMap.Entry entry = walk.next();
                keys[walked] = entry.key();
                values[walked++] = entry.value();
            }
        }
        for (byte[] key : keys) {
            map.delete(key);
        }
        for (int i = 0; i < walked; i++) {
            map.put(keys[i].clone(), values[i].clone());
        }
        return map;
    }

    /**
     * {@code map} filled with {@code entries} ascending ids, then {@value #CHURN_ROUNDS} times a tenth of its entries, at
     * random, deleted and replaced by new ids (fresh arrays, higher ids), as a store of pending events lives: the heap
     * then holds the cohorts of keys and values that each young collection promoted, each laid out in the order the
     * collector found them then.
     */
    private static BucketMap churned(BucketMap map, int entries) {
        churn(entries, id -> map.put(RiskEvents.key(id), RiskEvents.value(id)), id -> map.delete(RiskEvents.key(id)));
        return map;
    }

    private static Map<Bytes, byte[]> churned(Map<Bytes, byte[]> map, int entries) {
        churn(entries, id -> map.put(Bytes.wrap(RiskEvents.key(id)), RiskEvents.value(id)),
                id -> map.remove(Bytes.wrap(RiskEvents.key(id))));
        return map;
    }

    private static void churn(int entries, LongConsumer insert, LongConsumer delete) {
        long[] ids = new long[entries];
        for (int i = 0; i < entries; i++) {
            ids[i] = FilledStore.storedId(i);
            insert.accept(ids[i]);
        }
        SplittableRandom random = new SplittableRandom(11);
        int nextNew = entries;
        for (int round = 0; round < CHURN_ROUNDS; round++) {
            for (int i = 0; i < entries / 10; i++) {
                int at = random.nextInt(entries);
                delete.accept(ids[at]);
                ids[at] = FilledStore.storedId(nextNew++);
                insert.accept(ids[at]);
            }
        }
    }

    private static void row(String walk, ToDoubleFunction<Boolean> nanosPerEntry) {
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f |%n", walk, median(nanosPerEntry, false), median(nanosPerEntry, true));
    }

    private static double median(ToDoubleFunction<Boolean> nanosPerEntry, boolean readValues) {
        for (int i = 0; i < WARMUP_ROUNDS; i++) {
            nanosPerEntry.applyAsDouble(readValues);
        }
        double[] rounds = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            rounds[i] = nanosPerEntry.applyAsDouble(readValues);
        }
        Arrays.sort(rounds);
        return rounds[ROUNDS / 2];
    }

    private static double walk(BucketMap map, boolean readValues, int entries) {
        long start = System.nanoTime();
        long read = 0;
        try (BucketMapIterator walk = map.iterator()) {
            while (walk.hasNext()) {
                byte[] value = walk.next().value();
                read += readValues ? value[0] : 1;
            }
        }
        sink += read;
        return (System.nanoTime() - start) / (double) entries;
    }

    private static double walk(Map<Bytes, byte[]> map, boolean readValues, int entries) {
        long start = System.nanoTime();
        long read = 0;
        for (Iterator<byte[]> walk = map.values().iterator(); walk.hasNext(); ) {
            byte[] value = walk.next();
            read += readValues ? value[0] : 1;
        }
        sink += read;
        return (System.nanoTime() - start) / (double) entries;
    }

    private static double readAll(byte[][] values, int[] order) {
        long start = System.nanoTime();
        long read = 0;
        for (int i : order) {
            read += values[i][0];
        }
        sink += read;
        return (System.nanoTime() - start) / (double) order.length;
    }
}
