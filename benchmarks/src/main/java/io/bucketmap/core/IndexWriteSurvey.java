package io.bucketmap.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The measurement behind the ordered index's leaf capacity ({@link OrderedKeyIndex#CAPACITY}): the index alone, without
 * the hash table, holding {@code risk-event-%010d} keys of the even ids below twice the entry count, inserted in
 * ascending order (as {@code FilledStore} fills the benchmarks' stores); then rounds of 300 batches that each insert
 * 1,000 odd ids (absent keys, in a random order; timed) and remove them again (timed apart: their leaves are then
 * still in cache). The first rounds split the full leaves an ascending fill leaves; the last rounds are the steady
 * state. Also timed, to split an insert's time between the levels above the leaves and the leaf, and between cache
 * misses and work:
 * <ul>
 *   <li>finding the leaf of an absent key (the levels above the leaves: the leaf itself is not read), and finding it
 *   again for the same batch of keys at once, their paths now in cache;</li>
 *   <li>finding the leaf and searching it;</li>
 *   <li>inserts whose leaves were read just before: groups of {@value #READ_AHEAD_GROUP} keys each have their leaves
 *   found and every line of their slots read (independent loads, whose misses overlap), then are inserted; timed
 *   whole, and the inserts alone.</li>
 * </ul>
 * Change the capacity, rebuild and run again: {@code java -Xms4g -Xmx4g -XX:+UseG1GC -cp benchmarks/target/benchmarks.jar
 * io.bucketmap.core.IndexWriteSurvey [entries]}. It lives in the core's package (in the benchmarks module) to reach
 * the index's internals.
 */
public final class IndexWriteSurvey {
    private static final int ROUNDS = 12;
    private static final int BATCHES = 300;
    private static final int BATCH = 1_000;
    private static final byte[] VALUE = new byte[64];
    private static final byte[] PREFIX = "risk-event-".getBytes(StandardCharsets.US_ASCII);
    /** Inserts whose leaves are read ahead together, before any of them is inserted. */
    private static final int READ_AHEAD_GROUP = 64;

    private IndexWriteSurvey() {
    }

    public static void main(String[] args) {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        EntrySlab slab = new EntrySlab();
        OrderedKeyIndex index = new OrderedKeyIndex(slab);
        for (int i = 0; i < entries; i++) {
            byte[] key = key(2L * i);
            index.insert(key, slab.add(key, VALUE));
        }
        AbsentIds absent = new AbsentIds(entries);
        byte[][] keys = new byte[BATCH][];
        int[] handles = new int[BATCH];
        long found = 0;
        System.out.println("| round | leaves | insert ns | remove ns (leaves in cache) | find leaf ns | find again ns"
                + " | find and search ns | read ahead, then insert ns | of which insert ns |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int round = 0; round < ROUNDS; round++) {
            long insertNanos = 0;
            long removeNanos = 0;
            long findNanos = 0;
            long findAgainNanos = 0;
            long searchNanos = 0;
            long readAheadNanos = 0;
            long afterReadAheadNanos = 0;
            for (int batch = 0; batch < BATCHES; batch++) {
                absent.fill(keys);
                long start = System.nanoTime();
                for (int i = 0; i < BATCH; i++) {
                    handles[i] = slab.add(keys[i], VALUE);
                    index.insert(keys[i], handles[i]);
                }
                long inserted = System.nanoTime();
                removeAll(index, slab, keys, handles);
                removeNanos += System.nanoTime() - inserted;
                insertNanos += inserted - start;

                absent.fill(keys);
                start = System.nanoTime();
                for (int from = 0; from < BATCH; from += READ_AHEAD_GROUP) {
                    int to = Math.min(BATCH, from + READ_AHEAD_GROUP);
                    for (int i = from; i < to; i++) {
                        handles[i] = slab.add(keys[i], VALUE);
                        found += readLeaf(index.findLeaf(keys[i]));
                    }
                    long readAhead = System.nanoTime();
                    for (int i = from; i < to; i++) {
                        index.insert(keys[i], handles[i]);
                    }
                    afterReadAheadNanos += System.nanoTime() - readAhead;
                }
                readAheadNanos += System.nanoTime() - start;
                removeAll(index, slab, keys, handles);

                absent.fill(keys);
                start = System.nanoTime();
                found += findLeaves(index, keys);
                long foundOnce = System.nanoTime();
                found += findLeaves(index, keys);
                findAgainNanos += System.nanoTime() - foundOnce;
                findNanos += foundOnce - start;

                absent.fill(keys);
                start = System.nanoTime();
                for (byte[] key : keys) {
                    found += index.findLeaf(key).lowerBound(key);
                }
                searchNanos += System.nanoTime() - start;
            }
            double operations = (double) BATCHES * BATCH;
            System.out.printf("| %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n", round,
                    index.leafCount(), insertNanos / operations, removeNanos / operations, findNanos / operations,
                    findAgainNanos / operations, searchNanos / operations, readAheadNanos / operations,
                    afterReadAheadNanos / operations);
        }
        if (found == 42) {
            System.out.println(); // keeps the finds from being dropped as dead code
        }
    }

    /** Descends to the leaf of each key without reading the leaf itself (only its reference is looked at). */
    private static long findLeaves(OrderedKeyIndex index, byte[][] keys) {
        long found = 0;
        for (byte[] key : keys) {
            found += index.findLeaf(key) == null ? 1 : 0;
        }
        return found;
    }

    private static void removeAll(OrderedKeyIndex index, EntrySlab slab, byte[][] keys, int[] handles) {
        for (int i = 0; i < keys.length; i++) {
            index.remove(keys[i], handles[i]);
            slab.remove(handles[i]);
        }
    }

    /** Reads one int of every cache line of {@code leaf}'s slots in use: loads that do not wait on each other. */
    private static long readLeaf(OrderedKeyIndex.Leaf leaf) {
        int[] slots = leaf.slots;
        long sum = 0;
        for (int i = 0, end = 2 * leaf.size; i < end; i += 16) {
            sum += slots[i];
        }
        return sum;
    }

    /** The odd ids below twice the entry count, in a random order, handed out in turn: no batch repeats a key. */
    private static final class AbsentIds {
        private final int[] order;
        private int next;

        AbsentIds(int entries) {
            order = new int[entries];
            SplittableRandom random = new SplittableRandom(3);
            for (int i = 0; i < entries; i++) {
                int j = random.nextInt(i + 1);
                order[i] = order[j];
                order[j] = i;
            }
        }

        void fill(byte[][] keys) {
            for (int i = 0; i < keys.length; i++) {
                keys[i] = key(2L * order[next] + 1);
                next = next + 1 == order.length ? 0 : next + 1;
            }
        }
    }

    private static byte[] key(long id) {
        byte[] key = Arrays.copyOf(PREFIX, PREFIX.length + 10);
        for (int i = key.length - 1; i >= PREFIX.length; i--, id /= 10) {
            key[i] = (byte) ('0' + id % 10);
        }
        return key;
    }
}
