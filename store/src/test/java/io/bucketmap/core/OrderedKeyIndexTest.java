package io.bucketmap.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The B+-tree keeps its shape invariants through random inserts and deletes, including mass deletion. */
class OrderedKeyIndexTest {

    private static byte[] key(int i) {
        return ByteBuffer.allocate(4).putInt(i).array();
    }

    /** The handle the tests store with {@code key(i)}: checked beside its key after every kind of node change. */
    private static int handleOf(int i) {
        return i * 7 + 3;
    }

    /** A sweep deletes near its last delete: those removes start from the last leaf written instead of the root. */
    @Test
    void removesNearTheLastWriteKeepTheTreeSortedBalancedAndLinked() {
        OrderedKeyIndex index = new OrderedKeyIndex();
        TreeSet<Integer> model = new TreeSet<>();
        for (int k = 0; k < 100_000; k++) {
            index.insert(key(k), handleOf(k));
            model.add(k);
        }
        for (int step = 3; step >= 1; step--) {
            for (int k = 0; k < 100_000; k += step) {
                if (model.remove(k)) {
                    index.remove(key(k), handleOf(k));
                }
                if (k % 9_973 == 0) {
                    checkLeafChain(index, model);
                }
            }
            checkLeafChain(index, model);
        }
        assertThat(index.leafCount()).isEqualTo(1);
    }

    @Test
    void settingAHandleChangesOnlyThatKeysHandleAndNotTheLeafVersion() {
        OrderedKeyIndex index = new OrderedKeyIndex();
        Random random = new Random(5);
        TreeSet<Integer> model = new TreeSet<>();
        while (model.size() < 10_000) {
            int k = random.nextInt(100_000);
            if (model.add(k)) {
                index.insert(key(k), handleOf(k));
            }
        }
        int replaced = model.ceiling(50_000);
        OrderedKeyIndex.Leaf leaf = index.findLeaf(key(replaced));
        long version = leaf.version;

        index.setHandle(key(replaced), -5);

        assertThat(leaf.handles[leaf.lowerBound(key(replaced))]).isEqualTo(-5);
        assertThat(leaf.version).isEqualTo(version);
        index.setHandle(key(replaced), handleOf(replaced));
        checkLeafChain(index, model);
    }

    @Test
    void randomInsertsAndDeletesKeepTheTreeSortedBalancedAndLinked() {
        OrderedKeyIndex index = new OrderedKeyIndex();
        TreeSet<Integer> model = new TreeSet<>();
        Random random = new Random(42);
        for (int round = 0; round < 6; round++) {
            int inserts = 20_000 + random.nextInt(20_000);
            for (int i = 0; i < inserts; i++) {
                int k = random.nextInt(200_000);
                if (model.add(k)) {
                    index.insert(key(k), handleOf(k));
                }
            }
            checkLeafChain(index, model);
            List<Integer> present = new ArrayList<>(model);
            int deletes = (int) (present.size() * (0.5 + random.nextDouble() * 0.5));
            for (int i = 0; i < deletes; i++) {
                int k = present.get(random.nextInt(present.size()));
                if (model.remove(k)) {
                    index.remove(key(k), handleOf(k));
                }
            }
            checkLeafChain(index, model);
        }
        for (int k : new ArrayList<>(model)) {
            index.remove(key(k), handleOf(k));
        }
        model.clear();
        checkLeafChain(index, model);
        assertThat(index.leafCount()).isEqualTo(1);
        assertThat(index.innerCount()).isZero();
    }

    @Test
    void keysThatArePrefixesOfEachOtherOrHoldZeroBytesSortAndSearchInUnsignedOrder() {
        checkPrefixAndZeroByteKeys(0);
    }

    @Test
    void keysWithASharedStemLongerThanTheInlinePrefixSortAndSearchInUnsignedOrder() {
        checkPrefixAndZeroByteKeys(KeyHeads.INLINE_PREFIX_BYTES + 5);
    }

    @Test
    void keysWithASharedStemEndingInsideTheInlinePrefixSortAndSearchInUnsignedOrder() {
        checkPrefixAndZeroByteKeys(13);
    }

    /**
     * Random keys of the stem's first 0..stemLength bytes then up to 8 bytes of an alphabet with zero, low and
     * high bytes: many keys are prefixes of others, and a node's shared prefix often ends inside or after the inline
     * prefix words. Every ceiling search agrees with a sorted set's.
     */
    private static void checkPrefixAndZeroByteKeys(int stemLength) {
        OrderedKeyIndex index = new OrderedKeyIndex();
        TreeMap<byte[], Integer> model = new TreeMap<>(Arrays::compareUnsigned); // key -> its handle, unique as a slab's
        int nextHandle = 0;
        Random random = new Random(7);
        byte[] alphabet = {0x00, 0x01, 'a', (byte) 0x7F, (byte) 0x80, (byte) 0xFF};
        byte[] stem = new byte[stemLength];
        for (int i = 0; i < stemLength; i++) {
            stem[i] = alphabet[random.nextInt(alphabet.length)];
        }
        for (int step = 0; step < 200_000; step++) {
            int stemUsed = stemLength == 0 || random.nextInt(8) > 0 ? stemLength : random.nextInt(stemLength + 1);
            byte[] key = Arrays.copyOf(stem, stemUsed + random.nextInt(9));
            for (int i = stemUsed; i < key.length; i++) {
                key[i] = alphabet[random.nextInt(alphabet.length)];
            }
            if (random.nextInt(3) > 0) {
                if (!model.containsKey(key)) {
                    model.put(key, nextHandle);
                    index.insert(key, nextHandle++);
                }
            } else if (model.containsKey(key)) {
                index.remove(key, model.remove(key));
            }
            byte[] probe = step % 2 == 0 ? key : Arrays.copyOf(key, Math.max(0, key.length - 1));
            OrderedKeyIndex.Leaf leaf = index.findLeaf(probe);
            byte[] ceiling = model.ceilingKey(probe);
            int lower = leaf.lowerBound(probe);
            byte[] found = lower < leaf.size ? leaf.keys[lower] : (leaf.next == null ? null : leaf.next.keys[0]);
            assertThat(found).as("ceiling of %s", Arrays.toString(probe)).isEqualTo(ceiling);
        }
        List<byte[]> walked = new ArrayList<>();
        for (OrderedKeyIndex.Leaf leaf = index.firstLeaf(); leaf != null; leaf = leaf.next) {
            walked.addAll(Arrays.asList(leaf.keys).subList(0, leaf.size));
            for (int i = 0; i < leaf.size; i++) {
                assertThat(leaf.handles[i]).as("handle beside its key").isEqualTo(model.get(leaf.keys[i]));
            }
        }
        assertThat(walked).containsExactlyElementsOf(model.keySet());
        checkNodes(index);
    }

    @Test
    void ascendingInsertsFillLeavesAndInnerNodesAlmostCompletely() {
        OrderedKeyIndex index = new OrderedKeyIndex();
        TreeSet<Integer> model = new TreeSet<>();
        int keys = 100_000;
        for (int k = 0; k < keys; k++) {
            index.insert(key(k), handleOf(k));
            model.add(k);
        }
        checkLeafChain(index, model);
        int fullLeaves = (keys + OrderedKeyIndex.CAPACITY - 1) / OrderedKeyIndex.CAPACITY;
        assertThat(index.leafCount()).isEqualTo(fullLeaves);
        assertThat(index.innerCount()).isLessThanOrEqualTo(fullLeaves / (OrderedKeyIndex.CAPACITY - 2) + 2);
    }

    @Test
    void randomInsertsAndDeletesAfterAnAscendingFillKeepTheShape() {
        OrderedKeyIndex index = new OrderedKeyIndex();
        TreeSet<Integer> model = new TreeSet<>();
        for (int k = 0; k < 50_000; k += 2) {
            index.insert(key(k), handleOf(k));
            model.add(k);
        }
        Random random = new Random(11);
        for (int step = 0; step < 100_000; step++) {
            int k = random.nextInt(60_000);
            if (model.add(k)) {
                index.insert(key(k), handleOf(k));
            } else {
                model.remove(k);
                index.remove(key(k), handleOf(k));
            }
        }
        checkLeafChain(index, model);
        for (int k : new ArrayList<>(model.descendingSet())) {
            model.remove(k);
            index.remove(key(k), handleOf(k));
            if (k % 997 == 0) {
                checkLeafChain(index, model);
            }
        }
        assertThat(index.leafCount()).isEqualTo(1);
        assertThat(index.innerCount()).isZero();
    }

    /**
     * Checks every node from the root: keys ascending and within their separators' bounds, each node's keys sharing
     * its prefix and its heads equal to the key bytes after the prefix, every node at least a quarter full except the
     * root and the last node of its level, all leaves at one depth.
     */
    private static void checkNodes(OrderedKeyIndex index) {
        List<List<OrderedKeyIndex.Node>> levels = new ArrayList<>();
        checkNode(index.root(), null, null, 0, levels);
        for (List<OrderedKeyIndex.Node> level : levels.subList(1, levels.size())) {
            for (OrderedKeyIndex.Node node : level.subList(0, level.size() - 1)) {
                assertThat(node.size).as("size of a node that is not the last of its level")
                        .isGreaterThanOrEqualTo(OrderedKeyIndex.MINIMUM);
            }
            OrderedKeyIndex.Node last = level.get(level.size() - 1);
            assertThat(last.size).isGreaterThanOrEqualTo(last instanceof OrderedKeyIndex.Leaf ? 1 : 2);
        }
        assertThat(levels.get(levels.size() - 1)).allMatch(node -> node instanceof OrderedKeyIndex.Leaf);
        assertThat(levels.get(levels.size() - 1)).hasSize(index.leafCount());
    }

    private static void checkNode(OrderedKeyIndex.Node node, byte[] lower, byte[] upper, int depth,
                                  List<List<OrderedKeyIndex.Node>> levels) {
        if (levels.size() == depth) {
            levels.add(new ArrayList<>());
        }
        levels.get(depth).add(node);
        byte[][] keys = node.sortedKeys();
        int count = node.sortedCount();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                assertThat(Arrays.compareUnsigned(keys[i - 1], keys[i])).isNegative();
            }
            if (lower != null) {
                assertThat(Arrays.compareUnsigned(lower, keys[i])).isLessThanOrEqualTo(0);
            }
            if (upper != null) {
                assertThat(Arrays.compareUnsigned(keys[i], upper)).isNegative();
            }
            assertThat(Arrays.equals(keys[i], 0, node.prefixLength, node.prefixSource, 0, node.prefixLength))
                    .as("key %d shares the node's prefix", i).isTrue();
            assertThat(node.heads[i]).isEqualTo(KeyHeads.headOf(keys[i], node.prefixLength));
        }
        if (node instanceof OrderedKeyIndex.Inner inner) {
            for (int i = 0; i < inner.size; i++) {
                checkNode(inner.children[i], i == 0 ? lower : inner.separators[i - 1],
                        i == inner.size - 1 ? upper : inner.separators[i], depth + 1, levels);
            }
        }
    }

    /**
     * An iterator resumes in O(1) when the versions it recorded still match; a 32-bit version wraps after 2^32 changes,
     * so an iterator left idle that long could resume on a structure that only looks unchanged.
     */
    @Test
    void versionsDoNotWrapAroundAfterTwoToTheThirtyTwoChanges() {
        OrderedKeyIndex index = new OrderedKeyIndex();
        index.insert(key(1), handleOf(1));
        OrderedKeyIndex.Leaf leaf = index.firstLeaf();
        index.structureVersion = Integer.MAX_VALUE;
        leaf.version = Integer.MAX_VALUE;

        for (int k = 2; k <= OrderedKeyIndex.CAPACITY + 1; k++) {
            index.insert(key(k), handleOf(k)); // changes the leaf, and the last insert splits it
        }

        assertThat(leaf.version).isGreaterThan(Integer.MAX_VALUE);
        assertThat(index.structureVersion).isGreaterThan(Integer.MAX_VALUE);
    }

    /** Walks the leaves forward and backward: sorted, equal to the model; and checks every node's shape. */
    private static void checkLeafChain(OrderedKeyIndex index, TreeSet<Integer> model) {
        checkNodes(index);
        List<Integer> forward = new ArrayList<>();
        OrderedKeyIndex.Leaf last = null;
        int leaves = 0;
        for (OrderedKeyIndex.Leaf leaf = index.firstLeaf(); leaf != null; leaf = leaf.next) {
            leaves++;
            for (int i = 0; i < leaf.size; i++) {
                int k = ByteBuffer.wrap(leaf.keys[i]).getInt();
                forward.add(k);
                assertThat(leaf.handles[i]).as("handle beside key %d", k).isEqualTo(handleOf(k));
            }
            assertThat(Arrays.stream(leaf.keys, leaf.size, OrderedKeyIndex.CAPACITY)).allMatch(k -> k == null);
            last = leaf;
        }
        assertThat(forward).containsExactlyElementsOf(model);
        assertThat(leaves).isEqualTo(index.leafCount());
        assertThat(last).isSameAs(index.lastLeaf());
        int backward = 0;
        for (OrderedKeyIndex.Leaf leaf = index.lastLeaf(); leaf != null; leaf = leaf.prev) {
            backward++;
        }
        assertThat(backward).isEqualTo(leaves);
        for (int k : model) {
            OrderedKeyIndex.Leaf leaf = index.findLeaf(key(k));
            assertThat(leaf.keys[leaf.lowerBound(key(k))]).containsExactly(key(k));
        }
    }
}
