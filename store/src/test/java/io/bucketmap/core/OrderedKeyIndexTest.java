package io.bucketmap.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The B+-tree keeps its shape invariants through random inserts and deletes, including mass deletion. */
class OrderedKeyIndexTest {

    private static byte[] key(int i) {
        return ByteBuffer.allocate(4).putInt(i).array();
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
                    index.insert(key(k));
                }
            }
            checkLeafChain(index, model);
            List<Integer> present = new ArrayList<>(model);
            int deletes = (int) (present.size() * (0.5 + random.nextDouble() * 0.5));
            for (int i = 0; i < deletes; i++) {
                int k = present.get(random.nextInt(present.size()));
                if (model.remove(k)) {
                    index.remove(key(k));
                }
            }
            checkLeafChain(index, model);
        }
        for (int k : new ArrayList<>(model)) {
            index.remove(key(k));
        }
        model.clear();
        checkLeafChain(index, model);
        assertThat(index.leafCount()).isEqualTo(1);
        assertThat(index.innerCount()).isZero();
    }

    @Test
    void keysThatArePrefixesOfEachOtherOrHoldZeroBytesSortAndSearchInUnsignedOrder() {
        OrderedKeyIndex index = new OrderedKeyIndex();
        TreeSet<byte[]> model = new TreeSet<>(Arrays::compareUnsigned);
        Random random = new Random(7);
        byte[] alphabet = {0x00, 0x01, 'a', (byte) 0x7F, (byte) 0x80, (byte) 0xFF};
        for (int step = 0; step < 200_000; step++) {
            byte[] key = new byte[random.nextInt(9)];
            for (int i = 0; i < key.length; i++) {
                key[i] = alphabet[random.nextInt(alphabet.length)];
            }
            if (random.nextInt(3) > 0) {
                if (model.add(key)) {
                    index.insert(key);
                }
            } else if (model.remove(key)) {
                index.remove(key);
            }
            byte[] probe = step % 2 == 0 ? key : Arrays.copyOf(key, Math.max(0, key.length - 1));
            OrderedKeyIndex.Leaf leaf = index.findLeaf(probe);
            byte[] ceiling = model.ceiling(probe);
            int lower = leaf.lowerBound(probe);
            byte[] found = lower < leaf.size ? leaf.keys[lower] : (leaf.next == null ? null : leaf.next.keys[0]);
            assertThat(found).as("ceiling of %s", Arrays.toString(probe)).isEqualTo(ceiling);
        }
        List<byte[]> walked = new ArrayList<>();
        for (OrderedKeyIndex.Leaf leaf = index.firstLeaf(); leaf != null; leaf = leaf.next) {
            walked.addAll(Arrays.asList(leaf.keys).subList(0, leaf.size));
        }
        assertThat(walked).containsExactlyElementsOf(model);
    }

    /** Walks the leaves forward and backward: sorted, equal to the model, every non-root leaf at least a quarter full. */
    private static void checkLeafChain(OrderedKeyIndex index, TreeSet<Integer> model) {
        List<Integer> forward = new ArrayList<>();
        OrderedKeyIndex.Leaf last = null;
        int leaves = 0;
        for (OrderedKeyIndex.Leaf leaf = index.firstLeaf(); leaf != null; leaf = leaf.next) {
            leaves++;
            if (index.leafCount() > 1) {
                assertThat(leaf.size).isGreaterThanOrEqualTo(OrderedKeyIndex.MINIMUM);
            }
            for (int i = 0; i < leaf.size; i++) {
                forward.add(ByteBuffer.wrap(leaf.keys[i]).getInt());
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
