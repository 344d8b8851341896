package io.bucketmap.core;

import java.util.Arrays;

/**
 * The ordered index of an ordered {@link BucketMap}: a B+-tree of the map's entries sorted by key in unsigned
 * lexicographic byte order, as Kafka's stores sort keys ({@code docs/design.md}, sections 2 and 9). A leaf holds, per
 * key, its entry's handle in the {@link EntrySlab} beside a 4-byte head of the key ({@link KeyHeads}), in one
 * {@code int[]}; the key bytes are read at the handle, in the arena, only where two heads tie, when an iterator returns
 * a key, and at splits. Inner nodes hold copies of their separator keys. So inserts, removes, splits and merges move
 * ints, an update never touches the index, and an ordered iterator step reads its key and value at the handle beside
 * its leaf position, without a hash probe. Every writer that drops or moves an entry in the slab finds its leaf
 * position first.
 *
 * <p>Nodes hold up to {@value #CAPACITY} keys or children in sorted arrays (binary search) and never fewer than
 * {@value #MINIMUM} except the root and the last node of each level: an underfull node borrows from or merges with a
 * sibling, so the tree gives memory back after mass deletion. A split halves a node, except an append after the last
 * key of the tree: then the full leaf (and full inner nodes on the right edge) stay full and the new last node starts
 * nearly empty, so keys inserted in ascending order fill nodes completely. Leaves are linked both ways: O(log n) to
 * find a range's start, O(1) per key after. A remove that walks forward (a sweep) finds its key in the leaf by scanning
 * for its handle from where the last remove stood; one after a descent searches the heads.
 *
 * <p>Versions let an iterator resume in O(1) without pinning anything: {@link Leaf#version} changes when a leaf's
 * keys change; {@link #structureVersion} changes when keys move between nodes (split, borrow, merge, root change).
 * While the structure version is unchanged, every key greater than a key once in a leaf is in that leaf or a later
 * one, so an iterator continues from its leaf; otherwise it descends again from the root with the last key it
 * returned.
 *
 * <p>Invariants (design.md, section 8, item 9; {@link #checkInvariants}): all leaves at one depth; every node but the
 * root and the last of its level holds at least {@value #MINIMUM}; keys strictly ascending and within their parent's
 * separators; each node's prefix and heads agree with its keys; the leaf chain visits the leaves in tree order both
 * ways and ends at {@link #lastLeaf()}.
 *
 * <p>Costs: insert and remove O(log n) (no descent for an append at the right edge or a remove in the leaf of the last
 * one); search O(log n). Threading: mutated by the map's writer under the write lock; read under the map's read
 * protocol (optimistic, validated). Readers only descend and follow forward/backward links, which never form a cycle,
 * so a torn read terminates.
 */
final class OrderedKeyIndex {
    static final int CAPACITY = 256;
    static final int MINIMUM = CAPACITY / 4;
    private static final int SPLIT_AT = CAPACITY / 2;

    /**
     * A node's sorted keys (a leaf's keys, an inner node's separators) come with their {@link KeyHeads}: all share
     * the first {@code prefixLength} bytes of {@code prefixSource}, and {@code heads[i]} holds the next 4 bytes of
     * key {@code i}. The first {@value KeyHeads#INLINE_PREFIX_BYTES} bytes of the prefix are also copied into the
     * node ({@code prefixWords}), so that checking a searched key against the prefix reads only the node, not the
     * prefix source (a key array elsewhere in the heap: one cache miss per level at 1M keys, 15% of an insert).
     * Single-key inserts and removes keep the heads in step; bulk moves (split, borrow, merge) recompute them with
     * {@link #refreshHeads()}, which also lengthens the prefix when the keys allow.
     *
     * <p>The heads live in {@code slots}: an inner node's slots are its heads; a leaf's interleave each head with its
     * key's handle ({@code headShift} 1: head {@code i} at {@code 2i}, handle at {@code 2i + 1}), so the search that
     * ends on a head finds the handle in the same cache line, and a leaf is two objects, not three.
     */
    abstract static class Node {
        int size;
        final int[] slots;
        private final int headShift;
        int prefixLength;
        byte[] prefixSource;
        long prefixWord0;
        long prefixWord1;
        long prefixWord2;

        Node(int sortedCapacity, int headShift) {
            this.slots = new int[sortedCapacity << headShift];
            this.headShift = headShift;
        }

        /** Inline prefix word {@code index} (0..2). */
        final long prefixWord(int index) {
            return index == 0 ? prefixWord0 : index == 1 ? prefixWord1 : prefixWord2;
        }

        /** The head of sorted key {@code i}. */
        final int headAt(int i) {
            return slots[i << headShift];
        }

        private void setHead(int i, int head) {
            slots[i << headShift] = head;
        }

        /**
         * Sorted key {@code i} (a leaf's key, read at its handle in the slab; an inner node's separator) compared with
         * {@code key} in unsigned byte order: negative if key {@code i} sorts first.
         */
        abstract int compareSorted(int i, byte[] key);

        /** The 4 bytes of sorted key {@code i} from {@code offset}, as {@link KeyHeads#headOf}. */
        abstract int sortedHead(int i, int offset);

        /** Bytes shared at the start of sorted keys {@code a} and {@code b}. */
        abstract int commonSortedPrefix(int a, int b);

        /** Inline prefix word {@code index} of the first {@code length} bytes of sorted key {@code i}. */
        abstract long sortedPrefixWord(int i, int length, int index);

        /** A new array holding the first {@code length} bytes of sorted key {@code i}. */
        abstract byte[] copySortedPrefix(int i, int length);

        /** A new array holding sorted key {@code i}. */
        final byte[] copySortedKey(int i) {
            return copySortedPrefix(i, Integer.MAX_VALUE);
        }

        abstract int sortedCount();

        /** First sorted index whose key is at least ({@code strict}: greater than) {@code key}. */
        final int search(byte[] key, boolean strict) {
            int count = sortedCount();
            if (count == 0) {
                return 0;
            }
            int side = againstPrefix(key);
            if (side != 0) {
                return side < 0 ? 0 : count;
            }
            return searchHeads(count, key, strict);
        }

        /** 0 if {@code key} shares the node's prefix, negative if it sorts before every key of it, positive if after. */
        final int againstPrefix(byte[] key) {
            return KeyHeads.againstPrefix(key, prefixWord0, prefixWord1, prefixWord2, prefixSource, prefixLength);
        }

        /**
         * After keys moved in from a node whose heads were computed for {@code fromPrefixLength} bytes: keeps those
         * heads (already moved alongside the keys) if the node's own common prefix has that same length, which
         * costs two key reads, else recomputes every head. Splits mostly take the cheap way.
         */
        final void adoptHeads(int fromPrefixLength) {
            int count = sortedCount();
            if (count > 0 && commonSortedPrefix(0, count - 1) == fromPrefixLength) {
                setPrefixFromFirstKey(fromPrefixLength);
            } else {
                refreshHeads();
            }
        }

        /** Recomputes prefix and heads from the keys: O(keys in the node). */
        final void refreshHeads() {
            int count = sortedCount();
            if (count == 0) {
                setPrefixFromFirstKey(0);
                return;
            }
            setPrefixFromFirstKey(commonSortedPrefix(0, count - 1));
            for (int i = 0; i < count; i++) {
                setHead(i, sortedHead(i, prefixLength));
            }
        }

        /**
         * First index in {@code [0, count)} whose key is at least ({@code strict}: greater than) {@code key}, for a key
         * that shares the node's prefix: compares heads, and a key only where two heads tie.
         */
        private int searchHeads(int count, byte[] key, boolean strict) {
            int head = KeyHeads.headOf(key, prefixLength);
            int low = 0;
            int high = count;
            while (low < high) {
                int middle = (low + high) >>> 1;
                int order = Integer.compareUnsigned(headAt(middle), head);
                if (order == 0) {
                    order = compareSorted(middle, key);
                }
                if (order < 0 || (order == 0 && strict)) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low;
        }

        /**
         * Makes the first {@code length} bytes of sorted key 0 the node's prefix: its inline words, and a copy of it in
         * {@link #prefixSource} only when it is longer than the inline words (the keys themselves live in the arena).
         */
        private void setPrefixFromFirstKey(int length) {
            prefixLength = length;
            if (length == 0) {
                prefixSource = null;
                prefixWord0 = 0;
                prefixWord1 = 0;
                prefixWord2 = 0;
                return;
            }
            prefixSource = length > KeyHeads.INLINE_PREFIX_BYTES ? copySortedPrefix(0, length) : null;
            prefixWord0 = sortedPrefixWord(0, length, 0);
            prefixWord1 = sortedPrefixWord(0, length, 1);
            prefixWord2 = sortedPrefixWord(0, length, 2);
        }

        /**
         * Sets the head of the key just placed at {@code index}, or recomputes all if it breaks the prefix. A key placed
         * between two others shares their prefix (keys with a given prefix are contiguous in byte order), so only a key
         * placed first or last is checked against it.
         */
        final void headPlaced(int index, byte[] key) {
            int count = sortedCount();
            if (count == 1 || ((index == 0 || index == count - 1) && againstPrefix(key) != 0)) {
                refreshHeads();
            } else {
                setHead(index, KeyHeads.headOf(key, prefixLength));
            }
        }
    }

    /**
     * The {@link EntrySlab} handles of {@code size} keys, ascending by key, each beside its key's head in {@code slots};
     * key {@code i} is read at {@link #handleAt handleAt(i)} in the slab (no key references in the leaf: a search reads
     * the node and its slots, and key bytes only where two heads tie).
     */
    static final class Leaf extends Node {
        private final EntrySlab entries;
        Leaf next;
        Leaf prev;
        long version;

        Leaf(EntrySlab entries) {
            super(CAPACITY, 1);
            this.entries = entries;
        }

        /** The slab handle of key {@code i}. */
        int handleAt(int i) {
            return slots[(i << 1) + 1];
        }

        /** Repoints key {@code i} to {@code handle}, where the slab moved its entry. */
        void setHandle(int i, int handle) {
            slots[(i << 1) + 1] = handle;
        }

        /**
         * The index of the key whose entry is at {@code handle}, or -1. Scans the handles (ints beside the heads, no key
         * read) from index {@code from} to the end, then from the start: handles are unique among live entries.
         */
        int indexOf(int handle, int from) {
            for (int i = 2 * from + 1, end = 2 * size; i < end; i += 2) {
                if (slots[i] == handle) {
                    return i >>> 1;
                }
            }
            for (int i = 1, end = Math.min(2 * from, 2 * size); i < end; i += 2) {
                if (slots[i] == handle) {
                    return i >>> 1;
                }
            }
            return -1;
        }

        /** A new array holding key {@code i}, read at its handle. */
        byte[] copyKey(int i) {
            return entries.copyKey(handleAt(i));
        }

        @Override
        int compareSorted(int i, byte[] key) {
            return entries.compareKey(handleAt(i), key);
        }

        @Override
        int sortedHead(int i, int offset) {
            return entries.keyHead(handleAt(i), offset);
        }

        @Override
        int commonSortedPrefix(int a, int b) {
            return entries.commonKeyPrefix(handleAt(a), handleAt(b));
        }

        @Override
        long sortedPrefixWord(int i, int length, int index) {
            return entries.prefixWord(handleAt(i), length, index);
        }

        @Override
        byte[] copySortedPrefix(int i, int length) {
            return entries.copyKeyPrefix(handleAt(i), length);
        }

        @Override
        int sortedCount() {
            return size;
        }

        /** First index whose key is at least {@code key} ({@code size} if none). */
        int lowerBound(byte[] key) {
            return search(key, false);
        }

        /** First index whose key is greater than {@code key} ({@code size} if none). */
        int upperBound(byte[] key) {
            return search(key, true);
        }
    }

    /** Children {@code children[0..size)}; child {@code i} holds keys in {@code [separators[i-1], separators[i])}. */
    static final class Inner extends Node {
        final byte[][] separators = new byte[CAPACITY - 1][];
        final Node[] children = new Node[CAPACITY];

        Inner() {
            super(CAPACITY - 1, 0);
        }

        @Override
        int compareSorted(int i, byte[] key) {
            return Arrays.compareUnsigned(separators[i], key);
        }

        @Override
        int sortedHead(int i, int offset) {
            return KeyHeads.headOf(separators[i], offset);
        }

        @Override
        int commonSortedPrefix(int a, int b) {
            return KeyHeads.commonPrefix(separators[a], separators[b]);
        }

        @Override
        long sortedPrefixWord(int i, int length, int index) {
            return KeyHeads.prefixWord(separators[i], length, index);
        }

        @Override
        byte[] copySortedPrefix(int i, int length) {
            byte[] separator = separators[i];
            return length >= separator.length ? separator : Arrays.copyOf(separator, length);
        }

        @Override
        int sortedCount() {
            return size - 1;
        }

        Node childFor(byte[] key) {
            return children[search(key, true)];
        }
    }

    /** Where the leaves' keys are read, at their handles. */
    private final EntrySlab entries;
    private Node root;
    /** The last leaf of the chain: an insert after its last key (ascending ids) follows the right edge, unsearched. */
    private Leaf rightmost;
    /**
     * Writer: the leaf of the last insert or remove, and the structure version then. While the version is unchanged the
     * leaf is in the tree and holds every present key between its first and last, so a remove near the last write (a
     * sweep deleting as it walks, a tombstone for a key just restored) finds its leaf without a descent.
     */
    private Leaf finger;
    private long fingerStructureVersion;
    /**
     * The last remove that needed no rebalancing: its leaf, a copy of the removed key's bytes (in a scratch array reused
     * by every remove: the first {@link #lastRemovedKeyLength} bytes) and the leaf's version right after (see
     * {@link #onlyRemovedSince}).
     */
    private Leaf lastRemovedFrom;
    private byte[] lastRemovedKey = new byte[32];
    private int lastRemovedKeyLength;
    private long lastRemovedVersion;
    /** Where that key stood: a sweep's next remove from the same leaf is at or after it. */
    private int lastRemovedPosition;
    private int height;
    long structureVersion;
    private int leafCount = 1;
    private int innerCount;

    // Writer scratch: the path from the root to the leaf of the current insert or delete.
    private Inner[] pathNodes = new Inner[8];
    private int[] pathIndexes = new int[8];
    /**
     * Writer: whether the last remove took its key from {@link #finger} or the leaf after it. Removes are then walking
     * forward (a sweep deleting as it walks) and the next one looks there before it descends; random removes descend
     * at once, since looking first would only add the next leaf's cache miss (6% of a random delete at 1M).
     */
    private boolean removesWalkForward;

    /** An empty index over the keys of {@code entries}: every handle it is given must hold its key there. */
    OrderedKeyIndex(EntrySlab entries) {
        this.entries = entries;
        this.rightmost = new Leaf(entries);
        this.root = rightmost;
    }

    Leaf firstLeaf() {
        Node node = root;
        while (node instanceof Inner) {
            node = ((Inner) node).children[0];
        }
        return (Leaf) node;
    }

    /** The last leaf of the chain. O(1). */
    Leaf lastLeaf() {
        return rightmost;
    }

    /** The leaf whose key range contains {@code key}. O(log n). */
    Leaf findLeaf(byte[] key) {
        Node node = root;
        while (node instanceof Inner) {
            node = ((Inner) node).childFor(key);
        }
        return (Leaf) node;
    }

    /** The root node, for tests that check the shape of the whole tree. */
    Node root() {
        return root;
    }

    int leafCount() {
        return leafCount;
    }

    int innerCount() {
        return innerCount;
    }

    /** Heap bytes of the nodes (compressed references): the keys themselves are counted by the map. */
    long estimatedBytes() {
        long leafBytes = 64 + 16 + 8L * CAPACITY; // slots: heads and handles
        long innerBytes = 56 + (16 + 4L * (CAPACITY - 1) + 4) * 2 + (16 + 4L * CAPACITY);
        return leafCount * leafBytes + innerCount * innerBytes;
    }

    /** What {@link #checkInvariants} hands each key it finds, in ascending order, for the map's cross-checks. */
    interface KeyCheck {
        void check(int handle, byte[] key);
    }

    /**
     * Checks the tree's shape and contents (see {@code docs/design.md}, "Invariants"): every leaf at the same depth
     * ({@code height}); every node but the root and the last node of its level holds at least {@value #MINIMUM} keys or
     * children, none more than {@value #CAPACITY}; keys strictly ascending in each node and within the bounds its
     * parent's separators give it; each node's keys share its prefix, its inline prefix words and its heads agree with
     * the key bytes; the leaf chain, walked forward and backward, visits the leaves in tree order and ends at
     * {@link #lastLeaf()}; the leaf and inner node counts match; unused array elements are cleared. Hands every leaf key
     * and its handle to {@code check}, in ascending key order; returns how many keys there were. O(keys).
     *
     * @throws InvariantViolation if any of that does not hold
     */
    int checkInvariants(KeyCheck check) {
        java.util.List<java.util.List<Node>> levels = new java.util.ArrayList<>();
        checkNode(root, null, null, 0, levels);
        InvariantViolation.check(levels.size() == height + 1, "the index has height %d but %d levels", height,
                levels.size());
        for (int depth = 0; depth < levels.size(); depth++) {
            java.util.List<Node> level = levels.get(depth);
            for (int i = 0; i < level.size(); i++) {
                Node node = level.get(i);
                boolean leafLevel = depth == height;
                InvariantViolation.check(leafLevel == node instanceof Leaf,
                        "a %s at depth %d of an index of height %d", node.getClass().getSimpleName(), depth, height);
                int minimum = depth == 0 ? (leafLevel ? 0 : 2) : i < level.size() - 1 ? MINIMUM : leafLevel ? 1 : 2;
                InvariantViolation.check(node.size >= minimum && node.size <= CAPACITY,
                        "node %d of depth %d holds %d keys or children (at least %d, at most %d)", i, depth, node.size,
                        minimum, CAPACITY);
            }
        }
        java.util.List<Node> leaves = levels.get(height);
        InvariantViolation.check(leaves.size() == leafCount, "the index counts %d leaves, the tree has %d", leafCount,
                leaves.size());
        int inner = 0;
        for (int depth = 0; depth < height; depth++) {
            inner += levels.get(depth).size();
        }
        InvariantViolation.check(inner == innerCount, "the index counts %d inner nodes, the tree has %d", innerCount,
                inner);
        Leaf previous = null;
        int keys = 0;
        byte[] lastKey = null;
        Leaf leaf = firstLeaf();
        for (Node node : leaves) {
            InvariantViolation.check(leaf == node, "the leaf chain leaves the tree's order at leaf %d", keys);
            InvariantViolation.check(leaf.prev == previous, "a leaf's backward link does not point at the leaf before it");
            for (int i = 0; i < leaf.size; i++) {
                byte[] key = leaf.copyKey(i);
                InvariantViolation.check(lastKey == null || Arrays.compareUnsigned(lastKey, key) < 0,
                        "leaf keys are not strictly ascending at key %d", keys);
                check.check(leaf.handleAt(i), key);
                lastKey = key;
                keys++;
            }
            previous = leaf;
            leaf = leaf.next;
        }
        InvariantViolation.check(leaf == null, "the leaf chain goes on past the tree's last leaf");
        InvariantViolation.check(previous == rightmost, "the last leaf of the chain is not the index's last leaf");
        return keys;
    }

    /** Checks {@code node}'s keys against the bounds {@code [lower, upper)} and its prefix and heads; recurses. */
    private static void checkNode(Node node, byte[] lower, byte[] upper, int depth, java.util.List<java.util.List<Node>> levels) {
        if (levels.size() == depth) {
            levels.add(new java.util.ArrayList<>());
        }
        levels.get(depth).add(node);
        int count = node.sortedCount();
        for (int i = 0; i < count; i++) {
            byte[] key = node.copySortedKey(i);
            InvariantViolation.check(i == 0 || node.compareSorted(i - 1, key) < 0,
                    "keys of a node at depth %d are not strictly ascending at %d", depth, i);
            InvariantViolation.check(lower == null || Arrays.compareUnsigned(lower, key) <= 0,
                    "key %d of a node at depth %d lies below its parent's separator", i, depth);
            InvariantViolation.check(upper == null || Arrays.compareUnsigned(key, upper) < 0,
                    "key %d of a node at depth %d lies at or above its parent's next separator", i, depth);
            InvariantViolation.check(key.length >= node.prefixLength && node.againstPrefix(key) == 0,
                    "key %d of a node at depth %d does not share the node's %d-byte prefix", i, depth, node.prefixLength);
            InvariantViolation.check(node.headAt(i) == KeyHeads.headOf(key, node.prefixLength),
                    "head %d of a node at depth %d is %08x, its key gives %08x", i, depth, node.headAt(i),
                    KeyHeads.headOf(key, node.prefixLength));
        }
        // An empty node (a root leaf whose last key went) keeps its last prefix: the next insert recomputes it.
        InvariantViolation.check((node.prefixSource != null) == (node.prefixLength > KeyHeads.INLINE_PREFIX_BYTES)
                        && (node.prefixSource == null || node.prefixSource.length >= node.prefixLength),
                "a node at depth %d with a %d-byte prefix keeps a prefix copy of %s bytes", depth, node.prefixLength,
                node.prefixSource == null ? "no" : node.prefixSource.length);
        if (count > 0) {
            byte[] first = node.copySortedKey(0);
            for (int word = 0; word < 3; word++) {
                InvariantViolation.check(node.prefixWord(word) == KeyHeads.prefixWord(first, node.prefixLength, word),
                        "inline prefix word %d of a node at depth %d disagrees with its prefix", word, depth);
            }
            InvariantViolation.check(node.prefixSource == null
                            || Arrays.equals(first, 0, node.prefixLength, node.prefixSource, 0, node.prefixLength),
                    "the prefix copy of a node at depth %d disagrees with its keys", depth);
        }
        if (node instanceof Inner inner) {
            for (int i = 0; i < CAPACITY; i++) {
                InvariantViolation.check((inner.children[i] != null) == (i < inner.size),
                        "child slot %d of an inner node of %d children is %s", i, inner.size,
                        inner.children[i] == null ? "empty" : "set");
            }
            for (int i = 0; i < CAPACITY - 1; i++) {
                InvariantViolation.check((inner.separators[i] != null) == (i < inner.size - 1),
                        "separator slot %d of an inner node of %d children is %s", i, inner.size,
                        inner.separators[i] == null ? "empty" : "set");
            }
            for (int i = 0; i < inner.size; i++) {
                checkNode(inner.children[i], i == 0 ? lower : inner.separators[i - 1],
                        i == inner.size - 1 ? upper : inner.separators[i], depth + 1, levels);
            }
        }
    }

    /** Writer: adds {@code key} with its entry's {@code handle}; {@code key} must not be present. O(log n). */
    void insert(byte[] key, int handle) {
        boolean append = rightmost.size > 0 && rightmost.compareSorted(rightmost.size - 1, key) < 0;
        if (append && rightmost.size < CAPACITY) {
            // Ascending keys (a restored changelog of event ids) go to the last leaf: no descent unless it splits.
            insertIntoLeaf(rightmost, rightmost.size, key, handle);
            setFinger(rightmost);
            return;
        }
        Leaf leaf = descendRecordingPath(key, append);
        int position = append ? leaf.size : leaf.lowerBound(key);
        if (leaf.size < CAPACITY) {
            insertIntoLeaf(leaf, position, key, handle);
            setFinger(leaf);
            return;
        }
        // Appending after the last key of the tree (ascending ids, the common case for event keys) leaves the full
        // leaf full and starts a new one: ascending inserts then fill leaves completely instead of half.
        int keep = position == CAPACITY && leaf.next == null ? CAPACITY : SPLIT_AT;
        Leaf right = splitLeaf(leaf, keep);
        Leaf landed = position <= keep && keep < CAPACITY ? leaf : right;
        insertIntoLeaf(landed, landed == leaf ? position : position - keep, key, handle);
        insertChild(height - 1, right.copyKey(0), right);
        setFinger(landed);
    }

    /**
     * Writer: removes {@code key}, which must be present with entry {@code handle}. O(log n); no descent when the key
     * is in the leaf of the last insert or remove, or in the leaf after it, the last remove was too ({@link
     * #removesWalkForward}), and that leaf needs no rebalancing: a sweep that deletes as it walks (a punctuator expiring
     * entries) moves forward through the leaves, and finds its key there by scanning the leaf's handles from where it
     * removed the last one (ints, in the cache lines the walk just read) instead of comparing key bytes (each key array
     * elsewhere in the heap, a cache miss per comparison). After a descent, a search of the heads finds the key.
     *
     * @throws IllegalStateException if the index does not hold {@code key} with {@code handle}
     */
    void remove(byte[] key, int handle) {
        Leaf leaf = null;
        int position = -1;
        boolean fingerValid = finger != null && fingerStructureVersion == structureVersion;
        if (fingerValid && removesWalkForward) {
            position = removableIndexOf(finger, handle, finger == lastRemovedFrom ? lastRemovedPosition : 0);
            leaf = finger;
            if (position < 0 && finger.next != null) {
                leaf = finger.next;
                position = removableIndexOf(leaf, handle, 0);
            }
        }
        if (position < 0) {
            leaf = descendRecordingPath(key, false);
            position = leaf.lowerBound(key);
            if (position == leaf.size || leaf.handleAt(position) != handle) {
                throw new IllegalStateException("the ordered index does not hold the removed key at its handle");
            }
        }
        removesWalkForward = fingerValid && (leaf == finger || leaf == finger.next);
        System.arraycopy(leaf.slots, 2 * (position + 1), leaf.slots, 2 * position, 2 * (leaf.size - position - 1));
        leaf.size--;
        leaf.version++;
        lastRemovedFrom = leaf;
        if (key.length > lastRemovedKey.length) {
            lastRemovedKey = new byte[Math.max(key.length, 2 * lastRemovedKey.length)];
        }
        System.arraycopy(key, 0, lastRemovedKey, 0, key.length);
        lastRemovedKeyLength = key.length;
        lastRemovedVersion = leaf.version;
        lastRemovedPosition = position;
        if (height > 0 && leaf.size < MINIMUM) {
            rebalance(height - 1); // only after a descent: a leaf found by its handle had more than MINIMUM keys
            finger = null; // the leaf may have been merged away
            lastRemovedFrom = null;
        } else {
            setFinger(leaf);
        }
    }

    /**
     * The index of {@code handle} in {@code leaf}, looked for from index {@code from} on, if a remove may take it from
     * there without a descent (the leaf keeps at least {@link #MINIMUM} keys, or is the root), else -1. Handles are unique
     * among live entries, so the index found holds exactly the key being removed.
     */
    private int removableIndexOf(Leaf leaf, int handle, int from) {
        return leaf.size <= MINIMUM && height > 0 ? -1 : leaf.indexOf(handle, from);
    }

    /**
     * Whether the only change to {@code leaf} since it had version {@code seenVersion} is the removal of a key equal to
     * {@code key}: then every other key kept its order and the key after {@code key} now sits at {@code key}'s old index,
     * so an iterator that just returned {@code key} goes on there without a search. Any thread, under the map's read
     * protocol (on torn state it may answer wrong or throw; validation discards the step).
     */
    boolean onlyRemovedSince(Leaf leaf, long seenVersion, byte[] key) {
        return lastRemovedFrom == leaf && lastRemovedVersion == seenVersion + 1 && leaf.version == lastRemovedVersion
                && Arrays.equals(lastRemovedKey, 0, lastRemovedKeyLength, key, 0, key.length);
    }

    private void setFinger(Leaf leaf) {
        finger = leaf;
        fingerStructureVersion = structureVersion;
    }

    /**
     * Descends to the leaf for {@code key}, recording the path for splits and merges. With {@code rightEdge} (the key is
     * after every key of the tree) it takes each node's last child without a search: the path a search would take.
     */
    private Leaf descendRecordingPath(byte[] key, boolean rightEdge) {
        if (pathNodes.length < height) {
            pathNodes = Arrays.copyOf(pathNodes, height * 2);
            pathIndexes = Arrays.copyOf(pathIndexes, height * 2);
        }
        Node node = root;
        for (int depth = 0; depth < height; depth++) {
            Inner inner = (Inner) node;
            int index = rightEdge ? inner.size - 1 : inner.search(key, true);
            pathNodes[depth] = inner;
            pathIndexes[depth] = index;
            node = inner.children[index];
        }
        return (Leaf) node;
    }

    private static void insertIntoLeaf(Leaf leaf, int position, byte[] key, int handle) {
        System.arraycopy(leaf.slots, 2 * position, leaf.slots, 2 * (position + 1), 2 * (leaf.size - position));
        leaf.setHandle(position, handle);
        leaf.size++;
        leaf.headPlaced(position, key);
        leaf.version++;
    }

    /** Moves the keys from index {@code keep} on into a new leaf linked after {@code leaf}; returns the new leaf. */
    private Leaf splitLeaf(Leaf leaf, int keep) {
        Leaf right = new Leaf(entries);
        int moved = leaf.size - keep;
        System.arraycopy(leaf.slots, 2 * keep, right.slots, 0, 2 * moved);
        right.size = moved;
        leaf.size = keep;
        int splitPrefixLength = leaf.prefixLength;
        leaf.adoptHeads(splitPrefixLength);
        right.adoptHeads(splitPrefixLength);
        right.next = leaf.next;
        right.prev = leaf;
        if (leaf.next != null) {
            leaf.next.prev = right;
        }
        leaf.next = right;
        if (right.next == null) {
            rightmost = right;
        }
        leaf.version++;
        leafCount++;
        structureVersion++;
        return right;
    }

    /**
     * Adds {@code child}, whose keys are all at least {@code separator}, right after the child of the path node
     * at {@code depth} that was just split; splits upwards as needed. {@code depth == -1} means a new root.
     */
    private void insertChild(int depth, byte[] separator, Node child) {
        if (depth < 0) {
            Inner newRoot = new Inner();
            newRoot.children[0] = root;
            newRoot.children[1] = child;
            newRoot.separators[0] = separator;
            newRoot.size = 2;
            newRoot.refreshHeads();
            root = newRoot;
            height++;
            innerCount++;
            structureVersion++;
            return;
        }
        Inner parent = pathNodes[depth];
        int index = pathIndexes[depth] + 1;
        if (parent.size < CAPACITY) {
            insertIntoInner(parent, index, separator, child);
            return;
        }
        // Split the full parent into children [0, keep) and [keep, CAPACITY); the separator between the halves
        // moves up. A child appended at the right edge of the tree keeps all but the last old child on the left (the
        // new node starts with two children: every inner node has a sibling for its children to borrow from).
        int keep = index == CAPACITY && onRightEdge(depth) ? CAPACITY - 1 : SPLIT_AT;
        Inner right = new Inner();
        byte[] up = parent.separators[keep - 1];
        int movedChildren = CAPACITY - keep;
        System.arraycopy(parent.children, keep, right.children, 0, movedChildren);
        System.arraycopy(parent.separators, keep, right.separators, 0, movedChildren - 1);
        System.arraycopy(parent.slots, keep, right.slots, 0, movedChildren - 1);
        Arrays.fill(parent.children, keep, CAPACITY, null);
        Arrays.fill(parent.separators, keep - 1, CAPACITY - 1, null);
        right.size = movedChildren;
        parent.size = keep;
        int splitPrefixLength = parent.prefixLength;
        parent.adoptHeads(splitPrefixLength);
        right.adoptHeads(splitPrefixLength);
        innerCount++;
        structureVersion++;
        if (index <= keep) {
            insertIntoInner(parent, index, separator, child);
        } else {
            insertIntoInner(right, index - keep, separator, child);
        }
        insertChild(depth - 1, up, right);
    }

    /** Whether the path node at {@code depth} is the last node of its level (the path went right at every level). */
    private boolean onRightEdge(int depth) {
        for (int above = 0; above < depth; above++) {
            if (pathIndexes[above] != pathNodes[above].size - 1) {
                return false;
            }
        }
        return true;
    }

    private static void insertIntoInner(Inner inner, int index, byte[] separator, Node child) {
        System.arraycopy(inner.children, index, inner.children, index + 1, inner.size - index);
        System.arraycopy(inner.separators, index - 1, inner.separators, index, inner.size - index);
        System.arraycopy(inner.slots, index - 1, inner.slots, index, inner.size - index);
        inner.children[index] = child;
        inner.separators[index - 1] = separator;
        inner.size++;
        inner.headPlaced(index - 1, separator);
    }

    /** The child at the path position below {@code depth} fell under {@link #MINIMUM}: borrow or merge. */
    private void rebalance(int depth) {
        Inner parent = pathNodes[depth];
        int index = pathIndexes[depth];
        int leftIndex = index > 0 ? index - 1 : index;
        Node left = parent.children[leftIndex];
        Node right = parent.children[leftIndex + 1];
        structureVersion++;
        if (left.size + right.size <= CAPACITY) {
            if (left instanceof Leaf) {
                boolean samePrefix = left.prefixLength == right.prefixLength;
                mergeLeaves((Leaf) left, (Leaf) right);
                if (samePrefix) {
                    left.adoptHeads(left.prefixLength);
                } else {
                    left.refreshHeads();
                }
            } else {
                mergeInners((Inner) left, parent.separators[leftIndex], (Inner) right);
                left.refreshHeads();
            }
            removeFromInner(parent, leftIndex + 1);
            if (depth == 0) {
                if (parent.size == 1) {
                    root = parent.children[0];
                    parent.children[0] = null;
                    height--;
                    innerCount--;
                }
            } else if (parent.size < MINIMUM) {
                rebalance(depth - 1);
            }
        } else {
            byte[] separator;
            if (left instanceof Leaf) {
                boolean samePrefix = left.prefixLength == right.prefixLength;
                separator = evenLeaves((Leaf) left, (Leaf) right);
                if (samePrefix) {
                    int sharedPrefixLength = left.prefixLength;
                    left.adoptHeads(sharedPrefixLength);
                    right.adoptHeads(sharedPrefixLength);
                } else {
                    left.refreshHeads();
                    right.refreshHeads();
                }
            } else {
                separator = evenInners((Inner) left, parent.separators[leftIndex], (Inner) right);
                left.refreshHeads();
                right.refreshHeads();
            }
            parent.separators[leftIndex] = separator;
            parent.headPlaced(leftIndex, separator);
        }
    }

    /** Appends {@code right}'s keys, and their heads, to {@code left} and unlinks {@code right}. */
    private void mergeLeaves(Leaf left, Leaf right) {
        System.arraycopy(right.slots, 0, left.slots, 2 * left.size, 2 * right.size);
        left.size += right.size;
        left.next = right.next;
        if (right.next != null) {
            right.next.prev = left;
        } else {
            rightmost = left;
        }
        left.version++;
        right.version++;
        leafCount--;
    }

    private void mergeInners(Inner left, byte[] separator, Inner right) {
        left.separators[left.size - 1] = separator;
        System.arraycopy(right.separators, 0, left.separators, left.size, right.size - 1);
        System.arraycopy(right.children, 0, left.children, left.size, right.size);
        left.size += right.size;
        innerCount--;
    }

    private static void removeFromInner(Inner inner, int childIndex) {
        System.arraycopy(inner.children, childIndex + 1, inner.children, childIndex, inner.size - childIndex - 1);
        System.arraycopy(inner.separators, childIndex, inner.separators, childIndex - 1, inner.size - childIndex - 1);
        System.arraycopy(inner.slots, childIndex, inner.slots, childIndex - 1, inner.size - childIndex - 1);
        inner.size--;
        inner.children[inner.size] = null;
        inner.separators[inner.size - 1] = null;
    }

    /**
     * Moves keys, with their heads, between adjacent leaves until their sizes differ by at most one; returns the new
     * separator.
     */
    private static byte[] evenLeaves(Leaf left, Leaf right) {
        int total = left.size + right.size;
        int leftTarget = total / 2;
        if (left.size < leftTarget) {
            int moved = leftTarget - left.size;
            System.arraycopy(right.slots, 0, left.slots, 2 * left.size, 2 * moved);
            System.arraycopy(right.slots, 2 * moved, right.slots, 0, 2 * (right.size - moved));
        } else {
            int moved = left.size - leftTarget;
            System.arraycopy(right.slots, 0, right.slots, 2 * moved, 2 * right.size);
            System.arraycopy(left.slots, 2 * leftTarget, right.slots, 0, 2 * moved);
        }
        right.size = total - leftTarget;
        left.size = leftTarget;
        left.version++;
        right.version++;
        return right.copyKey(0);
    }

    /**
     * Moves children between adjacent inner nodes through their parent's separator until their sizes differ by
     * at most one; returns the separator that now stands between them in the parent.
     */
    private static byte[] evenInners(Inner left, byte[] separator, Inner right) {
        int total = left.size + right.size;
        int leftTarget = total / 2;
        byte[] newSeparator;
        if (left.size < leftTarget) {
            int moved = leftTarget - left.size;
            left.separators[left.size - 1] = separator;
            System.arraycopy(right.separators, 0, left.separators, left.size, moved - 1);
            System.arraycopy(right.children, 0, left.children, left.size, moved);
            newSeparator = right.separators[moved - 1];
            System.arraycopy(right.separators, moved, right.separators, 0, right.size - 1 - moved);
            System.arraycopy(right.children, moved, right.children, 0, right.size - moved);
            Arrays.fill(right.separators, right.size - 1 - moved, right.size - 1, null);
            Arrays.fill(right.children, right.size - moved, right.size, null);
        } else {
            int moved = left.size - leftTarget;
            System.arraycopy(right.separators, 0, right.separators, moved, right.size - 1);
            System.arraycopy(right.children, 0, right.children, moved, right.size);
            right.separators[moved - 1] = separator;
            System.arraycopy(left.separators, leftTarget, right.separators, 0, moved - 1);
            System.arraycopy(left.children, leftTarget, right.children, 0, moved);
            newSeparator = left.separators[leftTarget - 1];
            Arrays.fill(left.separators, leftTarget - 1, left.size - 1, null);
            Arrays.fill(left.children, leftTarget, left.size, null);
        }
        right.size = total - leftTarget;
        left.size = leftTarget;
        return newSeparator;
    }
}
