package io.bucketmap.core;

import java.util.Arrays;

/**
 * The entries of a {@link BucketMap}: per int <em>handle</em>, the {@link Arena} address of the record that holds the
 * entry's key and value, in flat chunks of {@value #CHUNK} handles. The hash table's slots and the ordered index's
 * leaves hold handles, not addresses, so a record that moves (an update that outgrew it, compaction) changes one int
 * here and nothing in the table or the index; an ordered iterator step reads its key and value at the handle beside its
 * leaf position, without a hash probe.
 *
 * <p>Handles are dense from 0: an insert takes the lowest free handle (a two-level bitmap finds it in O(1) for practical
 * sizes: one summary word covers 4,096 handles), or the next one past the high-water mark. Memory comes back after mass
 * deletion: chunks wholly above the high-water mark are released, and while fewer than half of the handles below it are
 * live the map moves the highest live entry down into the lowest free handle a few times per write ({@link
 * #highestLive}, {@link #moveDown}), repointing its hash slot and index leaf; the arena's pages come back through
 * {@link #compactArena}.
 *
 * <p>Invariants (checked by {@link #checkInvariants}): a handle below {@link #highWater} is live (a non-zero address)
 * or has its bit set in {@code free}, never both; every handle at or above it holds 0 and no chunk wholly above it is
 * kept; {@code free}'s summary bit {@code w} is set iff word {@code w} is non-zero; the highest handle below the mark is
 * live; the live addresses are exactly the arena's live records.
 *
 * <p>Threading: written by the map's writer under the write lock; the read methods run under the map's read protocol
 * (a torn read may see a stale chunk, a released page or a moved record: it throws or returns garbage that validation
 * then discards; see {@link Arena}).
 */
final class EntrySlab {
    static final int CHUNK_SHIFT = 14;
    static final int CHUNK = 1 << CHUNK_SHIFT;
    private static final int MASK = CHUNK - 1;
    /** Handles a write looks at for compaction while a cycle runs. */
    static final int COMPACTION_HANDLES_PER_WRITE = 16;
    /** Record bytes a write moves for compaction at most (it stops after the record that reaches this). */
    static final int COMPACTION_BYTES_PER_WRITE = 1_024;

    /** The keys' and values' bytes. */
    final Arena arena;
    /** Chunk {@code c} holds the address of handle {@code h} at {@code h % CHUNK}; 0 for a free handle. */
    private int[][] chunks = new int[1][];
    /** Handles at or above this hold nothing; chunks wholly above it are released. */
    private int highWater;
    private int live;
    private int freeCount;
    /** Bit {@code h} set: handle {@code h} (below the high-water mark) is free. */
    private long[] free = new long[1];
    /** Bit {@code w} set: {@code free[w]} is non-zero. */
    private long[] freeSummary = new long[1];
    /** The next handle a running compaction cycle looks at, or -1 when none runs. */
    private int compactionCursor = -1;
    /** The arena's dead bytes when the last compaction cycle ended: the next one waits for more. */
    private long deadBytesAfterLastCycle;

    /** An empty slab whose arena has the default page size. */
    EntrySlab() {
        this(Arena.DEFAULT_PAGE_SHIFT);
    }

    /** An empty slab whose arena has pages of {@code 2^pageShift} bytes. */
    EntrySlab(int pageShift) {
        arena = new Arena(pageShift);
    }

    private int addressAt(int handle) {
        return chunks[handle >>> CHUNK_SHIFT][handle & MASK];
    }

    private void setAddress(int handle, int address) {
        chunks[handle >>> CHUNK_SHIFT][handle & MASK] = address;
    }

    // ---- Reads: any thread, under the map's read protocol ----

    /** Whether the entry at {@code handle} has the key {@code key}. */
    boolean keyEquals(int handle, byte[] key) {
        return arena.keyEquals(addressAt(handle), key);
    }

    /** The entry's key compared with {@code key} in unsigned byte order. */
    int compareKey(int handle, byte[] key) {
        return arena.compareKey(addressAt(handle), key);
    }

    /** The 4 bytes of the entry's key from {@code offset}, as {@link KeyHeads#headOf}. */
    int keyHead(int handle, int offset) {
        return arena.keyHead(addressAt(handle), offset);
    }

    /** Inline prefix word {@code index} of a prefix of {@code prefixLength} bytes of the entry's key. */
    long prefixWord(int handle, int prefixLength, int index) {
        return arena.prefixWord(addressAt(handle), prefixLength, index);
    }

    /** Bytes shared at the start of two entries' keys. */
    int commonKeyPrefix(int handle, int other) {
        return arena.commonKeyPrefix(addressAt(handle), addressAt(other));
    }

    /** Whether the entry's key lies in {@code range}. */
    boolean keyInRange(int handle, KeyRange range) {
        return arena.keyInRange(addressAt(handle), range);
    }

    /** The hash of the entry's key. */
    long hashKey(int handle, KeyHasher hasher) {
        return arena.hashKey(addressAt(handle), hasher);
    }

    /** A new array holding the entry's key. */
    byte[] copyKey(int handle) {
        return arena.copyKey(addressAt(handle));
    }

    /** A new array holding the first {@code length} bytes of the entry's key. */
    byte[] copyKeyPrefix(int handle, int length) {
        return arena.copyKeyPrefix(addressAt(handle), length);
    }

    /** A new array holding the entry's value. */
    byte[] copyValue(int handle) {
        return arena.copyValue(addressAt(handle));
    }

    /** The length of the entry's value. */
    int valueLength(int handle) {
        return arena.valueLength(addressAt(handle));
    }

    /** Reads the first byte of the entry's record, so that a later read finds its line in cache; returns it. */
    int touch(int handle) {
        return arena.touch(addressAt(handle));
    }

    /** Whether {@code handle} holds an entry. */
    boolean isLive(int handle) {
        return handle >= 0 && handle < highWater && addressAt(handle) != 0;
    }

    // ---- Writes: the map's writer, under the write lock ----

    /** Live entries. */
    int size() {
        return live;
    }

    /** One past the highest handle that may be live. */
    int highWater() {
        return highWater;
    }

    /**
     * Stores a new entry at the lowest free handle and returns the handle. O(key + value) amortized. Copies the bytes
     * into the arena first, so a failure there leaves the slab as it was.
     *
     * @throws IllegalStateException if the arena is full
     */
    int add(byte[] key, byte[] value) {
        if (freeCount == 0) {
            makeRoomAtHighWater();
        }
        int address = arena.append(key, value);
        int handle = freeCount > 0 ? takeLowestFree() : highWater++;
        setAddress(handle, address);
        live++;
        return handle;
    }

    /**
     * Stores {@code value} for the entry at {@code handle}, whose key is {@code key}: in place if it is no longer than
     * the stored value, else in a new record (the old one is dead). O(key + value).
     */
    void setValue(int handle, byte[] key, byte[] value) {
        int address = addressAt(handle);
        if (!arena.overwriteValue(address, value)) {
            setAddress(handle, arena.append(key, value));
            arena.free(address);
        }
    }

    /** Drops the entry at {@code handle} (live): its record is dead, the handle free. */
    void remove(int handle) {
        arena.free(addressAt(handle));
        setAddress(handle, 0);
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
     * handle; the caller repoints the hash slot and index leaf that held {@code handle}. The record stays where it is.
     */
    int moveDown(int handle) {
        int target = takeLowestFree();
        setAddress(target, addressAt(handle));
        setAddress(handle, 0);
        markFree(handle);
        trimTop();
        return target;
    }

    /**
     * One write's share of the arena's compaction: while a cycle runs, looks at the next {@code handles} handles and
     * moves the records among them that lie in the cycle's victim pages ({@link Arena#chooseVictims}) to the append
     * page, stopping early once {@value #COMPACTION_BYTES_PER_WRITE} bytes have moved. A cycle walks every handle once;
     * it starts when the arena asks for compaction ({@link Arena#compactionDue}) and more dead bytes have appeared since
     * the last cycle ended, so a cycle that could free nothing is not repeated write after write. A victim page empties,
     * and is released, once the cycle has moved its last record. Handles and their slots and leaves do not change:
     * readers validate as for any write. O(handles + moved bytes), plus O(pages log pages) when a cycle starts.
     */
    void compactArena(int handles) {
        if (compactionCursor < 0) {
            if (!arena.compactionDue() || arena.deadBytes() <= deadBytesAfterLastCycle + arena.pageBytes) {
                return;
            }
            if (!arena.chooseVictims()) {
                deadBytesAfterLastCycle = arena.deadBytes();
                return;
            }
            compactionCursor = 0;
        }
        int handle = compactionCursor;
        int end = (int) Math.min(highWater, (long) handle + handles);
        long moved = 0;
        for (; handle < end && moved < COMPACTION_BYTES_PER_WRITE; handle++) {
            int address = addressAt(handle);
            if (address != 0 && arena.isMovable(address)) {
                moved += arena.extentAt(address);
                setAddress(handle, arena.move(address));
            }
        }
        if (handle >= highWater) {
            compactionCursor = -1;
            arena.clearVictims();
            deadBytesAfterLastCycle = arena.deadBytes();
        } else {
            compactionCursor = handle;
        }
    }

    /** Whether a compaction cycle is running. */
    boolean isCompacting() {
        return compactionCursor >= 0;
    }

    /** Heap bytes of the address chunks and bitmaps (compressed references); the arena is counted on its own. */
    long estimatedBytes() {
        long chunks = (highWater + MASK) >>> CHUNK_SHIFT;
        return 16 + 4L * this.chunks.length + chunks * (16 + 4L * CHUNK) + 8L * (free.length + freeSummary.length) + 48;
    }

    /**
     * Recounts the slab against its bookkeeping and the arena (see the class invariants). O(handles + records log
     * records).
     *
     * @throws InvariantViolation if any of that does not hold
     */
    void checkInvariants() {
        int liveSeen = 0;
        int freeSeen = 0;
        int[] addresses = new int[live];
        for (int handle = 0; handle < highWater; handle++) {
            boolean isFree = (free[handle >>> 6] & (1L << handle)) != 0;
            int address = addressAt(handle);
            if (isFree == (address != 0)) {
                throw InvariantViolation.of("slab handle %d is %s but its free bit is %s", handle,
                        address != 0 ? "live" : "empty", isFree ? "set" : "clear");
            }
            if (isFree) {
                freeSeen++;
            } else {
                if (liveSeen == addresses.length) {
                    throw InvariantViolation.of("the slab counts %d live entries, it holds more", live);
                }
                addresses[liveSeen++] = address;
            }
        }
        InvariantViolation.check(highWater == 0 || addressAt(highWater - 1) != 0,
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
            InvariantViolation.check(addressAt(handle) == 0,
                    "slab handle %d at or above the high-water mark %d holds an entry", handle, highWater);
        }
        arena.checkInvariants(addresses, liveSeen, compactionCursor >= 0);
    }

    /** Allocates what handle {@link #highWater} needs (its chunk, bitmap words) without taking it. */
    private void makeRoomAtHighWater() {
        int chunk = highWater >>> CHUNK_SHIFT;
        if (chunk == chunks.length) {
            chunks = Arrays.copyOf(chunks, chunk * 2);
        }
        if (chunks[chunk] == null) {
            chunks[chunk] = new int[CHUNK];
        }
        int word = highWater >>> 6;
        if (word == free.length) {
            long[] grownFree = Arrays.copyOf(free, word * 2);
            freeSummary = Arrays.copyOf(freeSummary, Math.max(1, grownFree.length >>> 6));
            free = grownFree;
        }
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
