package io.bucketmap.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The B+-tree keeps its shape invariants through random inserts and deletes, including mass deletion. */
class OrderedKeyIndexTest {

    private static byte[] key(int i) {
        return ByteBuffer.allocate(4).putInt(i).array();
    }

    /**
     * An index over its own entry slab, as a map keeps one: each key is stored in the slab first, and the index holds the
     * handle the slab gave it (leaves read their keys there). The handles are checked beside their keys after every
     * kind of node change.
     */
    private static final class Fixture {
        final EntrySlab slab = new EntrySlab();
        final OrderedKeyIndex index = new OrderedKeyIndex(slab);
        private final Map<Integer, Integer> handles = new HashMap<>();

        void insert(int k) {
            byte[] key = key(k);
            int handle = slab.add(key, key);
            handles.put(k, handle);
            index.insert(key, handle);
        }

        void remove(int k) {
            int handle = handles.remove(k);
            index.remove(slab.copyKey(handle), handle);
            slab.remove(handle);
        }

        int handleOf(int k) {
            return handles.get(k);
        }
    }

    /** A sweep deletes near its last delete: those removes start from the last leaf written instead of the root. */
    @Test
    void removesNearTheLastWriteKeepTheTreeSortedBalancedAndLinked() {
        Fixture fixture = new Fixture();
        OrderedKeyIndex index = fixture.index;
        TreeSet<Integer> model = new TreeSet<>();
        for (int k = 0; k < 100_000; k++) {
            fixture.insert(k);
            model.add(k);
        }
        for (int step = 3; step >= 1; step--) {
            for (int k = 0; k < 100_000; k += step) {
                if (model.remove(k)) {
                    fixture.remove(k);
                }
                if (k % 9_973 == 0) {
                    checkLeafChain(fixture, model);
                }
            }
            checkLeafChain(fixture, model);
        }
        assertThat(index.leafCount()).isEqualTo(1);
    }

    @Test
    void randomInsertsAndDeletesKeepTheTreeSortedBalancedAndLinked() {
        Fixture fixture = new Fixture();
        OrderedKeyIndex index = fixture.index;
        TreeSet<Integer> model = new TreeSet<>();
        Random random = new Random(42);
        for (int round = 0; round < 6; round++) {
            int inserts = 20_000 + random.nextInt(20_000);
            for (int i = 0; i < inserts; i++) {
                int k = random.nextInt(200_000);
                if (model.add(k)) {
                    fixture.insert(k);
                }
            }
            checkLeafChain(fixture, model);
            List<Integer> present = new ArrayList<>(model);
            int deletes = (int) (present.size() * (0.5 + random.nextDouble() * 0.5));
            for (int i = 0; i < deletes; i++) {
                int k = present.get(random.nextInt(present.size()));
                if (model.remove(k)) {
                    fixture.remove(k);
                }
            }
            checkLeafChain(fixture, model);
        }
        for (int k : new ArrayList<>(model)) {
            fixture.remove(k);
        }
        model.clear();
        checkLeafChain(fixture, model);
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
        Fixture fixture = new Fixture();
        OrderedKeyIndex index = fixture.index;
        TreeMap<byte[], Integer> model = new TreeMap<>(Arrays::compareUnsigned); // key -> its handle in the slab
        EntrySlab slab = fixture.slab;
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
                    int handle = slab.add(key, key);
                    model.put(key, handle);
                    index.insert(key, handle);
                }
            } else if (model.containsKey(key)) {
                int handle = model.remove(key);
                index.remove(slab.copyKey(handle), handle);
                slab.remove(handle);
            }
            byte[] probe = step % 2 == 0 ? key : Arrays.copyOf(key, Math.max(0, key.length - 1));
            OrderedKeyIndex.Leaf leaf = index.findLeaf(probe);
            byte[] ceiling = model.ceilingKey(probe);
            int lower = leaf.lowerBound(probe);
            byte[] found = lower < leaf.size ? leaf.copyKey(lower) : (leaf.next == null ? null : leaf.next.copyKey(0));
            assertThat(found).as("ceiling of %s", Arrays.toString(probe)).isEqualTo(ceiling);
        }
        List<byte[]> walked = new ArrayList<>();
        for (OrderedKeyIndex.Leaf leaf = index.firstLeaf(); leaf != null; leaf = leaf.next) {
            for (int i = 0; i < leaf.size; i++) {
                walked.add(leaf.copyKey(i));
                assertThat(leaf.handleAt(i)).as("handle of its key").isEqualTo(model.get(leaf.copyKey(i)));
            }
        }
        assertThat(walked).containsExactlyElementsOf(model.keySet());
        checkNodes(index, slab);
    }

    @Test
    void ascendingInsertsFillLeavesAndInnerNodesAlmostCompletely() {
        Fixture fixture = new Fixture();
        OrderedKeyIndex index = fixture.index;
        TreeSet<Integer> model = new TreeSet<>();
        int keys = 100_000;
        for (int k = 0; k < keys; k++) {
            fixture.insert(k);
            model.add(k);
        }
        checkLeafChain(fixture, model);
        int fullLeaves = (keys + OrderedKeyIndex.CAPACITY - 1) / OrderedKeyIndex.CAPACITY;
        assertThat(index.leafCount()).isEqualTo(fullLeaves);
        assertThat(index.innerCount()).isLessThanOrEqualTo(fullLeaves / (OrderedKeyIndex.CAPACITY - 2) + 2);
    }

    @Test
    void randomInsertsAndDeletesAfterAnAscendingFillKeepTheShape() {
        Fixture fixture = new Fixture();
        OrderedKeyIndex index = fixture.index;
        TreeSet<Integer> model = new TreeSet<>();
        fillThenToggle(fixture, model, 50_000, 100_000, 60_000, new Random(11));
        checkLeafChain(fixture, model);
        for (int k : new ArrayList<>(model.descendingSet())) {
            model.remove(k);
            fixture.remove(k);
            if (k % 997 == 0) {
                checkLeafChain(fixture, model);
            }
        }
        assertThat(index.leafCount()).isEqualTo(1);
        assertThat(index.innerCount()).isZero();
    }

    /**
     * A tree of several inner nodes (more than {@value OrderedKeyIndex#CAPACITY} leaves): random inserts split leaves and
     * inner nodes, random removes then make both borrow from and merge with their siblings, down to a single leaf.
     */
    @Test
    void aTreeOfSeveralInnerNodesKeepsItsShapeThroughSplitsBorrowsAndMerges() {
        Fixture fixture = new Fixture();
        OrderedKeyIndex index = fixture.index;
        TreeSet<Integer> model = new TreeSet<>();
        Random random = new Random(13);
        fillThenToggle(fixture, model, 300_000, 200_000, 330_000, random);
        checkLeafChain(fixture, model);
        assertThat(index.innerCount()).as("inner nodes below the root").isGreaterThan(2);
        // The first half in key order (one side of the tree empties while the other stays full: inner nodes borrow),
        // then the rest at random (neighbours thin out together: inner nodes merge).
        List<Integer> inKeyOrder = new ArrayList<>(model);
        List<Integer> rest = new ArrayList<>(inKeyOrder.subList(inKeyOrder.size() / 2, inKeyOrder.size()));
        Collections.shuffle(rest, random);
        List<Integer> removals = new ArrayList<>(inKeyOrder.subList(0, inKeyOrder.size() / 2));
        removals.addAll(rest);
        for (int i = 0; i < removals.size(); i++) {
            model.remove(removals.get(i));
            fixture.remove(removals.get(i));
            if (i % 19_997 == 0) {
                checkLeafChain(fixture, model);
            }
        }
        assertThat(index.leafCount()).isEqualTo(1);
        assertThat(index.innerCount()).isZero();
    }

    /**
     * Inserts the even keys below {@code evensBelow} in ascending order (full leaves), then {@code steps} times inserts a
     * random key below {@code keySpace} or, if present, removes it (leaves and inner nodes split and shrink).
     */
    private static void fillThenToggle(Fixture fixture, TreeSet<Integer> model, int evensBelow, int steps, int keySpace,
                                       Random random) {
        for (int k = 0; k < evensBelow; k += 2) {
            fixture.insert(k);
            model.add(k);
        }
        for (int step = 0; step < steps; step++) {
            int k = random.nextInt(keySpace);
            if (model.add(k)) {
                fixture.insert(k);
            } else {
                model.remove(k);
                fixture.remove(k);
            }
        }
    }

    /** The index's own invariants, and each key beside the handle the slab holds it at. */
    private static void checkNodes(OrderedKeyIndex index, EntrySlab slab) {
        index.checkInvariants((handle, key) -> assertThat(slab.copyKey(handle)).isEqualTo(key));
    }

    /**
     * An iterator resumes in O(1) when the versions it recorded still match; a 32-bit version wraps after 2^32 changes,
     * so an iterator left idle that long could resume on a structure that only looks unchanged.
     */
    @Test
    void versionsDoNotWrapAroundAfterTwoToTheThirtyTwoChanges() {
        Fixture fixture = new Fixture();
        OrderedKeyIndex index = fixture.index;
        fixture.insert(1);
        OrderedKeyIndex.Leaf leaf = index.firstLeaf();
        index.structureVersion = Integer.MAX_VALUE;
        leaf.version = Integer.MAX_VALUE;

        for (int k = 2; k <= OrderedKeyIndex.CAPACITY + 1; k++) {
            fixture.insert(k); // changes the leaf, and the last insert splits it
        }

        assertThat(leaf.version).isGreaterThan(Integer.MAX_VALUE);
        assertThat(index.structureVersion).isGreaterThan(Integer.MAX_VALUE);
    }

    /** The index's invariants hold, it holds exactly the model's keys, each at its handle, and finds each of them. */
    private static void checkLeafChain(Fixture fixture, TreeSet<Integer> model) {
        OrderedKeyIndex index = fixture.index;
        List<Integer> keys = new ArrayList<>();
        index.checkInvariants((handle, key) -> {
            int k = ByteBuffer.wrap(key).getInt();
            keys.add(k);
            assertThat(handle).as("handle of key %d", k).isEqualTo(fixture.handleOf(k));
        });
        assertThat(keys).containsExactlyElementsOf(model);
        for (int k : model) {
            OrderedKeyIndex.Leaf leaf = index.findLeaf(key(k));
            assertThat(leaf.copyKey(leaf.lowerBound(key(k)))).containsExactly(key(k));
        }
    }
}
