package io.bucketmap.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Bytes;

/**
 * What this machine allows, measured: the floors that issue 12's targets are judged against where a target is missed.
 * <ul>
 *   <li>Memory: the latency of a cache miss that the next read depends on (a pointer chase through a random cycle) and
 *       the cost per read of independent random reads (the processor overlaps their misses), over working sets around
 *       the size of a 1M-entry store (about 270 MB of keys, values and structure). A hash table's get, put or delete
 *       waits on a chain of dependent misses (bucket, key, entry); a walk that reads one random value per entry pays
 *       about one independent read each.</li>
 *   <li>Restore: the changelog of {@link RestoreRate} (1M records, 10% tombstones, ascending ids) into the plainest
 *       maps, {@code HashMap<Bytes, byte[]>} and {@code TreeMap<Bytes, byte[]>}, and only handed over (each record's key
 *       and value read, nothing stored): the floor of any store fed through Kafka's restore callback.</li>
 *   <li>Copy-out: what a read that copies a record out of a page (the arena's get and iterator steps) costs over one
 *       that hands out the stored array, for records of the benchmark events' sizes ({@link CopyOutFloor}).</li>
 *   <li>Ordered index: the cheapest insert a B+-tree of as many keys could make ({@link FlatLeaves}), and one shaped like
 *       the ordered map's index, its nodes objects, its keys still ints ({@link ObjectTree}).</li>
 * </ul>
 * Usage: {@code HardwareFloors [records]}; prints a Markdown table. One JVM, run alone on the machine.
 */
public final class HardwareFloors {
    private static final int CHASE_STEPS = 10_000_000;
    private static final int WARMUP_ROUNDS = 2;
    private static final int ROUNDS = 5;
    /** {@link FlatLeaves}: keys per leaf and how many it holds before the batches, as in the ordered map's index. */
    private static final int LEAF_CAPACITY = 256;
    private static final int LEAF_FILL = 176;
    /** Where results go so that the JIT cannot drop the loops that made them. */
    private static volatile long sink;

    private HardwareFloors() {
    }

    public static void main(String[] args) {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        System.out.println("| measurement | working set | ns |");
        System.out.println("| :--- | ---: | ---: |");
        for (int megabytes : new int[] {16, 64, 256}) {
            int[] cycle = randomCycle(megabytes * (1 << 20) / Integer.BYTES);
            System.out.printf(Locale.ROOT, "| dependent miss (pointer chase) | %d MB | %.1f |%n", megabytes, dependentMissNanos(cycle));
            System.out.printf(Locale.ROOT, "| independent random read | %d MB | %.1f |%n", megabytes, independentReadNanos(cycle));
        }
        System.out.println();
        CopyOutFloor.printRows(records);
        List<List<ConsumerRecord<byte[], byte[]>>> changelog = RestoreRate.changelog(records);
        System.out.println();
        System.out.println("| restore of " + records + " changelog records into | ms (median of " + ROUNDS + ") | records/s | ns/record |");
        System.out.println("| :--- | ---: | ---: | ---: |");
        restoreRow("only handed over (key and value read)", changelog, null);
        restoreRow("HashMap<Bytes, byte[]>", changelog, HashMap::new);
        restoreRow("TreeMap<Bytes, byte[]>", changelog, TreeMap::new);
        System.out.println();
        System.out.println("| insert of a new key into | keys | ns per insert (median of " + ROUNDS + ") |");
        System.out.println("| :--- | ---: | ---: |");
        System.out.printf(Locale.ROOT, "| flat B+-tree leaves of int keys, inner levels as one cached array | %d | %.1f |%n",
                records, insertNanos(new FlatLeaves(records), records));
        System.out.printf(Locale.ROOT, "| B+-tree of int keys, nodes as objects (leaf: size and slots array; inner: heads and"
                + " children arrays) | %d | %.1f |%n", records, insertNanos(new ObjectTree(records), records));
    }

    /**
     * The cheapest insert a B+-tree of byte keys could hope for here: every key an int (as if a 4-byte head always told
     * keys apart: no key bytes read), leaves that are one flat {@code int[]} of keys and handles, {@value #LEAF_FILL}
     * of {@value #LEAF_CAPACITY} full (as random inserts leave them), allocated in random order, and the inner levels
     * one sorted array of the leaves' first keys (23 KB at 1M keys: in cache). An insert is a binary search of that
     * array, one of the leaf and a shift; what stays is the leaf's cache misses and the searches' own cost.
     */
    private static final class FlatLeaves implements IntIndex {
        private final int[] firstKeys;
        private final int[][] leaves;
        private final int[] sizes;

        FlatLeaves(int keys) {
            int leafCount = (keys + LEAF_FILL - 1) / LEAF_FILL;
            firstKeys = new int[leafCount];
            leaves = new int[leafCount][];
            sizes = new int[leafCount];
            for (int leaf : Shuffle.permutation(leafCount, 9)) {
                leaves[leaf] = new int[2 * LEAF_CAPACITY];
            }
            for (int i = 0; i < keys; i++) { // stored keys are the even numbers, in order
                int leaf = i / LEAF_FILL;
                leaves[leaf][2 * sizes[leaf]] = 2 * i;
                leaves[leaf][2 * sizes[leaf] + 1] = i;
                sizes[leaf]++;
            }
            for (int leaf = 0; leaf < leafCount; leaf++) {
                firstKeys[leaf] = leaves[leaf][0];
            }
        }

        @Override
        public void insert(int key) {
            int leaf = leafOf(key);
            sizes[leaf] = insertIntoLeaf(leaves[leaf], sizes[leaf], key);
        }

        @Override
        public void remove(int key) {
            int leaf = leafOf(key);
            sizes[leaf] = removeFromLeaf(leaves[leaf], sizes[leaf], key);
        }

        /** The last leaf whose first key is at most {@code key} (leaf 0 starts at key 0). */
        private int leafOf(int key) {
            return upperBound(firstKeys, firstKeys.length, key) - 1;
        }
    }

    /**
     * {@link FlatLeaves}' keys, leaves and fill in the shape of the ordered map's index: each leaf an object holding its
     * size and a reference to its slots array (so the leaf's slots are found through it), under inner nodes of the same
     * fill that are objects too (a heads array and a children array each) and a root. Keys are still ints: what this
     * adds to the flat floor is what nodes as objects cost, not what byte keys do.
     */
    private static final class ObjectTree implements IntIndex {
        private static final class Leaf {
            int size;
            final int[] slots = new int[2 * LEAF_CAPACITY];
        }

        private static final class Inner {
            int size;
            final int[] heads = new int[LEAF_CAPACITY];
            final Object[] children = new Object[LEAF_CAPACITY];

            void add(int head, Object child) {
                heads[size] = head;
                children[size++] = child;
            }

            Object childFor(int key) {
                return children[upperBound(heads, size, key) - 1];
            }
        }

        private final Inner root = new Inner();

        ObjectTree(int keys) {
            int leafCount = (keys + LEAF_FILL - 1) / LEAF_FILL;
            Leaf[] leaves = new Leaf[leafCount];
            for (int leaf : Shuffle.permutation(leafCount, 9)) {
                leaves[leaf] = new Leaf();
            }
            for (int i = 0; i < keys; i++) { // stored keys are the even numbers, in order
                Leaf leaf = leaves[i / LEAF_FILL];
                leaf.slots[2 * leaf.size] = 2 * i;
                leaf.slots[2 * leaf.size + 1] = i;
                leaf.size++;
            }
            Inner inner = null;
            for (int leaf = 0; leaf < leafCount; leaf++) {
                if (leaf % LEAF_FILL == 0) {
                    inner = new Inner();
                    root.add(leaves[leaf].slots[0], inner);
                }
                inner.add(leaves[leaf].slots[0], leaves[leaf]);
            }
            if (root.size > LEAF_CAPACITY) {
                throw new IllegalArgumentException("too many keys for a tree of two inner levels: " + keys);
            }
        }

        @Override
        public void insert(int key) {
            Leaf leaf = leafOf(key);
            leaf.size = insertIntoLeaf(leaf.slots, leaf.size, key);
        }

        @Override
        public void remove(int key) {
            Leaf leaf = leafOf(key);
            leaf.size = removeFromLeaf(leaf.slots, leaf.size, key);
        }

        private Leaf leafOf(int key) {
            return (Leaf) ((Inner) root.childFor(key)).childFor(key);
        }
    }

    /** An index of int keys whose inserts {@link #insertNanos} times. */
    private interface IntIndex {
        void insert(int key);

        void remove(int key);
    }

    /**
     * Median over rounds of batches: a batch inserts 1,000 random odd keys below {@code 2 keys} (timed), then removes
     * them (not), so the index keeps its shape.
     */
    private static double insertNanos(IntIndex index, int keys) {
        SplittableRandom random = new SplittableRandom(3);
        int[] batch = new int[1_000];
        double[] rounds = new double[ROUNDS];
        for (int round = -WARMUP_ROUNDS; round < ROUNDS; round++) {
            long nanos = 0;
            for (int b = 0; b < 200; b++) {
                for (int i = 0; i < batch.length; i++) {
                    batch[i] = 2 * random.nextInt(keys) + 1;
                }
                long start = System.nanoTime();
                for (int key : batch) {
                    index.insert(key);
                }
                nanos += System.nanoTime() - start;
                for (int key : batch) {
                    index.remove(key);
                }
            }
            if (round >= 0) {
                rounds[round] = nanos / (200.0 * batch.length);
            }
        }
        Arrays.sort(rounds);
        return rounds[ROUNDS / 2];
    }

    /** The number of the first {@code size} sorted {@code keys} that are at most {@code key}. */
    private static int upperBound(int[] keys, int size, int key) {
        int low = 0;
        int high = size;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (keys[middle] <= key) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** Inserts absent {@code key} among a leaf's {@code size} keys, shifting the keys after it; returns the new size. */
    private static int insertIntoLeaf(int[] slots, int size, int key) {
        if (size == LEAF_CAPACITY) {
            throw new IllegalStateException("a leaf filled up: the batch is not spread");
        }
        int position = lowerBound(slots, size, key);
        System.arraycopy(slots, 2 * position, slots, 2 * position + 2, 2 * (size - position));
        slots[2 * position] = key;
        slots[2 * position + 1] = key >>> 1;
        return size + 1;
    }

    /** Removes present {@code key} from a leaf's {@code size} keys, shifting the keys after it; returns the new size. */
    private static int removeFromLeaf(int[] slots, int size, int key) {
        int position = lowerBound(slots, size, key);
        System.arraycopy(slots, 2 * position + 2, slots, 2 * position, 2 * (size - position - 1));
        return size - 1;
    }

    /** First index among a leaf's {@code size} keys (at the even slots) that is at least {@code key}. */
    private static int lowerBound(int[] slots, int size, int key) {
        int low = 0;
        int high = size;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (slots[2 * middle] < key) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** A permutation that is one cycle through all {@code size} slots, in random order. */
    private static int[] randomCycle(int size) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(1);
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        int[] next = new int[size];
        for (int i = 0; i < size; i++) {
            next[order[i]] = order[(i + 1) % size];
        }
        return next;
    }

    private static double dependentMissNanos(int[] cycle) {
        double best = Double.MAX_VALUE;
        int at = 0;
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < CHASE_STEPS; i++) {
                at = cycle[at];
            }
            best = Math.min(best, (System.nanoTime() - start) / (double) CHASE_STEPS);
        }
        consume(at);
        return best;
    }

    private static double independentReadNanos(int[] cycle) {
        double best = Double.MAX_VALUE;
        long sum = 0;
        for (int round = 0; round < 3; round++) {
            int state = 12_345;
            long start = System.nanoTime();
            for (int i = 0; i < CHASE_STEPS; i++) {
                state = state * 1_103_515_245 + 12_345; // the next index does not depend on what was read
                sum += cycle[(state >>> 1) % cycle.length];
            }
            best = Math.min(best, (System.nanoTime() - start) / (double) CHASE_STEPS);
        }
        consume(sum);
        return best;
    }

    /** Restores into a fresh map per round ({@code maps == null}: reads each record's key and value only). */
    private static void restoreRow(String label, List<List<ConsumerRecord<byte[], byte[]>>> changelog,
                                   Supplier<Map<Bytes, byte[]>> maps) {
        long[] millis = new long[ROUNDS];
        for (int round = -WARMUP_ROUNDS; round < ROUNDS; round++) {
            System.gc();
            long start = System.nanoTime();
            long sink = maps == null ? handOver(changelog) : restore(changelog, maps.get());
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            consume(sink);
            if (round >= 0) {
                millis[round] = elapsed;
            }
        }
        Arrays.sort(millis);
        long median = Math.max(1, millis[ROUNDS / 2]);
        long records = changelog.stream().mapToLong(List::size).sum();
        System.out.printf(Locale.ROOT, "| %s | %d | %,.0f | %.0f |%n", label, median, records * 1000.0 / median,
                median * 1e6 / records);
    }

    private static long handOver(List<List<ConsumerRecord<byte[], byte[]>>> changelog) {
        long sum = 0;
        for (List<ConsumerRecord<byte[], byte[]>> batch : changelog) {
            for (ConsumerRecord<byte[], byte[]> record : batch) {
                sum += record.key().length + (record.value() == null ? 0 : record.value().length);
            }
        }
        return sum;
    }

    private static long restore(List<List<ConsumerRecord<byte[], byte[]>>> changelog, Map<Bytes, byte[]> map) {
        for (List<ConsumerRecord<byte[], byte[]>> batch : changelog) {
            for (ConsumerRecord<byte[], byte[]> record : batch) {
                if (record.value() == null) {
                    map.remove(Bytes.wrap(record.key()));
                } else {
                    map.put(Bytes.wrap(record.key()), record.value());
                }
            }
        }
        return map.size();
    }

    /** Keeps {@code value} where the JIT cannot drop the loop that made it (for {@link CopyOutFloor} too). */
    static void consume(long value) {
        sink += value;
    }
}
