package io.bucketmap.core;

import java.util.Arrays;

/**
 * The entries of a {@link BucketMap}, each a key and a value reference at an int <em>handle</em>, in flat chunks of
 * {@value #CHUNK} handles; a handle's key and value sit side by side in its chunk (one cache line: a delete, which reads
 * the value and clears both, misses once, not twice). The hash table's slots and the ordered index's leaves hold
 * handles, not values, so an update of an existing key is one reference store here (the table and the index hold ints:
 * moving them costs no GC write barrier), and an ordered iterator step reads its value at the handle beside its key,
 * without a hash probe.
 *
 * <p>Handles are dense from 0: an insert takes the lowest free handle (a two-level bitmap finds it in O(1) for
 * practical sizes: one summary word covers 4,096 handles), or the next one past the high-water mark. Memory comes
 * back after mass deletion: chunks wholly above the high-water mark are released, and while fewer than half of the
 * handles below it are live the map moves the highest live entry down into the lowest free handle a few times per
 * write ({@link #highestLive}, {@link #moveDown}), repointing its hash slot and index leaf.
 *
 * <p>Invariants: a handle below {@link #highWater} is live (value non-null) or has its bit set in {@code free}, never
 * both; every handle at or above it holds null; {@code free}'s summary bit {@code w} is set iff word {@code w} is
 * non-zero.
 *
 * <p>Threading: written by the map's writer under the write lock; {@link #valueAt} and {@link #keyAt} are read under
 * the map's read protocol (a torn read may see a stale chunk or an index out of a released chunk; it throws or
 * returns garbage that validation then discards).
 */
final class EntrySlab {
    static final int CHUNK_SHIFT = 10;
    static final int CHUNK = 1 << CHUNK_SHIFT;
    private static final int MASK = CHUNK - 1;

    /** Chunk {@code c} holds handle {@code h}'s key at {@code 2 (h % CHUNK)} and its value just after it. */
    private byte[][][] chunks = new byte[1][][];
    /** Handles at or above this hold nothing; chunks wholly above it are released. */
    private int highWater;
    private int live;
    private int freeCount;
    /** Bit {@code h} set: handle {@code h} (below the high-water mark) is free. */
    private long[] free = new long[1];
    /** Bit {@code w} set: {@code free[w]} is non-zero. */
    private long[] freeSummary = new long[1];

    byte[] keyAt(int handle) {
        return chunks[handle >>> CHUNK_SHIFT][(handle & MASK) << 1];
    }

    byte[] valueAt(int handle) {
        return chunks[handle >>> CHUNK_SHIFT][((handle & MASK) << 1) + 1];
    }

    void setValue(int handle, byte[] value) {
        chunks[handle >>> CHUNK_SHIFT][((handle & MASK) << 1) + 1] = value;
    }

    /** Live entries. */
    int size() {
        return live;
    }

    /** Stores a new entry at the lowest free handle and returns the handle. O(1) amortized. */
    int add(byte[] key, byte[] value) {
        int handle = freeCount > 0 ? takeLowestFree() : extend();
        set(handle, key, value);
        live++;
        return handle;
    }

    /** Drops the entry at {@code handle} (live): its references are cleared so key and value can be collected. */
    void remove(int handle) {
        set(handle, null, null);
        live--;
        markFree(handle);
        trimTop();
    }

    /**
     * Whether the map should move entries down: fewer than half of the handles below the high-water mark are live, and
     * more than a chunk's worth of them is free (small slabs are not worth the moves).
     */
    boolean isSparse() {
        return freeCount > CHUNK && freeCount > live;
    }

    /** The highest live handle (the high-water mark is kept just above one). Requires a live entry. */
    int highestLive() {
        return highWater - 1;
    }

    /**
     * Moves the entry at {@code handle} (live, and above some free handle) to the lowest free handle and returns that
     * handle; the caller repoints the hash slot and index leaf that held {@code handle}.
     */
    int moveDown(int handle) {
        int target = takeLowestFree();
        set(target, keyAt(handle), valueAt(handle));
        set(handle, null, null);
        markFree(handle);
        trimTop();
        return target;
    }

    /**
     * Recounts the slab against its bookkeeping (see the class invariants): every handle below the high-water mark is
     * live (key and value set) or free (its bit set), never both; nothing is stored at or above it and no chunk wholly
     * above it is kept; the live and free counts and the summary bits match; the highest handle is live. O(handles).
     *
     * @throws InvariantViolation if any of that does not hold
     */
    void checkInvariants() {
        int liveSeen = 0;
        int freeSeen = 0;
        for (int handle = 0; handle < highWater; handle++) {
            boolean isFree = (free[handle >>> 6] & (1L << handle)) != 0;
            byte[] key = keyAt(handle);
            byte[] value = valueAt(handle);
            if ((key == null) != (value == null)) {
                throw InvariantViolation.of("slab handle %d holds a key without a value or a value without a key", handle);
            }
            if (isFree == (key != null)) {
                throw InvariantViolation.of("slab handle %d is %s but its free bit is %s", handle,
                        key != null ? "live" : "empty", isFree ? "set" : "clear");
            }
            if (isFree) {
                freeSeen++;
            } else {
                liveSeen++;
            }
        }
        InvariantViolation.check(highWater == 0 || keyAt(highWater - 1) != null,
                "the slab's highest handle %d below its high-water mark is free", highWater - 1);
        InvariantViolation.check(liveSeen == live, "the slab counts %d live entries, it holds %d", live, liveSeen);
        InvariantViolation.check(freeSeen == freeCount, "the slab counts %d free handles, it has %d", freeCount, freeSeen);
        for (int word = 0; word < free.length; word++) {
            boolean summary = (freeSummary[word >>> 6] & (1L << word)) != 0;
            InvariantViolation.check(summary == (free[word] != 0),
                    "the slab's summary bit of free word %d is %s while the word is %s", word, summary, free[word]);
            InvariantViolation.check(word >= (highWater + 63) >>> 6 ? free[word] == 0
                            : (free[word] & (highWater >>> 6 == word ? -1L << highWater : 0)) == 0,
                    "the slab marks a handle at or above its high-water mark %d free (word %d)", highWater, word);
        }
        int keptChunks = (highWater + MASK) >>> CHUNK_SHIFT;
        for (int chunk = 0; chunk < chunks.length; chunk++) {
            InvariantViolation.check(chunk >= keptChunks ? chunks[chunk] == null : chunks[chunk] != null,
                    "slab chunk %d is %s with the high-water mark at %d", chunk,
                    chunks[chunk] == null ? "missing" : "kept", highWater);
        }
        for (int handle = highWater; handle < keptChunks << CHUNK_SHIFT; handle++) {
            InvariantViolation.check(keyAt(handle) == null && valueAt(handle) == null,
                    "slab handle %d at or above the high-water mark %d holds an entry", handle, highWater);
        }
    }

    /** Whether {@code handle} holds an entry. */
    boolean isLive(int handle) {
        return handle >= 0 && handle < highWater && keyAt(handle) != null;
    }

    /** One past the highest handle that may be live. */
    int highWater() {
        return highWater;
    }

    /** Heap bytes of the chunks and bitmaps (compressed references). */
    long estimatedBytes() {
        long chunks = (highWater + MASK) >>> CHUNK_SHIFT;
        return 16 + 4L * this.chunks.length + chunks * (16 + 8L * CHUNK) + 8L * (free.length + freeSummary.length) + 32;
    }

    private void set(int handle, byte[] key, byte[] value) {
        byte[][] chunk = chunks[handle >>> CHUNK_SHIFT];
        int at = (handle & MASK) << 1;
        chunk[at] = key;
        chunk[at + 1] = value;
    }

    private int extend() {
        int handle = highWater++;
        int chunk = handle >>> CHUNK_SHIFT;
        if (chunk == chunks.length) {
            chunks = Arrays.copyOf(chunks, chunk * 2);
        }
        if (chunks[chunk] == null) {
            chunks[chunk] = new byte[2 * CHUNK][];
        }
        int word = handle >>> 6;
        if (word == free.length) {
            free = Arrays.copyOf(free, word * 2);
            freeSummary = Arrays.copyOf(freeSummary, Math.max(1, free.length >>> 6));
        }
        return handle;
    }

    private int takeLowestFree() {
        int summaryWord = 0;
        while (freeSummary[summaryWord] == 0) {
            summaryWord++;
        }
        int word = (summaryWord << 6) + Long.numberOfTrailingZeros(freeSummary[summaryWord]);
        int handle = (word << 6) + Long.numberOfTrailingZeros(free[word]);
        clearFree(handle);
        return handle;
    }

    private void markFree(int handle) {
        int word = handle >>> 6;
        free[word] |= 1L << handle;
        freeSummary[word >>> 6] |= 1L << word;
        freeCount++;
    }

    private void clearFree(int handle) {
        int word = handle >>> 6;
        free[word] &= ~(1L << handle);
        if (free[word] == 0) {
            freeSummary[word >>> 6] &= ~(1L << word);
        }
        freeCount--;
    }

    /** Lowers the high-water mark over free handles at the top and releases the chunks it passed. */
    private void trimTop() {
        int top = highWater;
        while (top > 0 && (free[(top - 1) >>> 6] & (1L << (top - 1))) != 0) {
            top--;
            clearFree(top);
        }
        for (int chunk = (top + MASK) >>> CHUNK_SHIFT; chunk < (highWater + MASK) >>> CHUNK_SHIFT; chunk++) {
            chunks[chunk] = null;
        }
        highWater = top;
    }
}
