package io.bucketmap.core;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The measurement behind the ordered index's leaf capacity ({@link OrderedKeyIndex#CAPACITY}): the index alone, without
 * the hash table, holding {@code risk-event-%010d} keys of the even ids below twice the entry count, inserted in
 * ascending order (as {@code FilledStore} fills the benchmarks' stores); then rounds of 300 batches that each insert
 * 1,000 odd ids (absent keys, in a random order; timed) and remove them again (timed apart: their leaves are then
 * still in cache). The first rounds split the full leaves an ascending fill leaves; the last rounds are the steady
 * state. Also timed: finding the leaf of an absent key, and finding it and searching it. Change the capacity, rebuild
 * and run again: {@code java -Xms4g -Xmx4g -XX:+UseG1GC -cp store/target/classes:store/target/test-classes
 * io.bucketmap.core.IndexWriteSurvey [entries]}.
 */
public final class IndexWriteSurvey {
    private static final int ROUNDS = 12;
    private static final int BATCHES = 300;
    private static final int BATCH = 1_000;
    private static final byte[] VALUE = new byte[64];

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
        System.out.println("| round | leaves | insert ns | remove ns (leaves in cache) | find leaf ns | find and search ns |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int round = 0; round < ROUNDS; round++) {
            long insertNanos = 0;
            long removeNanos = 0;
            long findNanos = 0;
            long searchNanos = 0;
            for (int batch = 0; batch < BATCHES; batch++) {
                absent.fill(keys);
                long start = System.nanoTime();
                for (int i = 0; i < BATCH; i++) {
                    handles[i] = slab.add(keys[i], VALUE);
                    index.insert(keys[i], handles[i]);
                }
                long inserted = System.nanoTime();
                for (int i = 0; i < BATCH; i++) {
                    index.remove(keys[i], handles[i]);
                    slab.remove(handles[i]);
                }
                removeNanos += System.nanoTime() - inserted;
                insertNanos += inserted - start;
                absent.fill(keys);
                start = System.nanoTime();
                for (byte[] key : keys) {
                    found += index.findLeaf(key).size;
                }
                findNanos += System.nanoTime() - start;
                absent.fill(keys);
                start = System.nanoTime();
                for (byte[] key : keys) {
                    found += index.findLeaf(key).lowerBound(key);
                }
                searchNanos += System.nanoTime() - start;
            }
            double operations = (double) BATCHES * BATCH;
            System.out.printf("| %d | %d | %.1f | %.1f | %.1f | %.1f |%n", round, index.leafCount(),
                    insertNanos / operations, removeNanos / operations, findNanos / operations, searchNanos / operations);
        }
        if (found == 42) {
            System.out.println(); // keeps the finds from being dropped as dead code
        }
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
        return String.format("risk-event-%010d", id).getBytes(StandardCharsets.US_ASCII);
    }
}
