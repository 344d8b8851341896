package io.bucketmap.core;

/**
 * Iterates in <em>hash order</em>: entries sorted by the low 32 bits of their key's hash (unsigned), ties broken by
 * the key bytes. That order does not depend on the table size, which is why it survives growth, shrinking and
 * rebuilds with a cursor of O(1) size (the order Redis' SCAN walks, made exact):
 *
 * <p>With {@code G} "group bits" (the larger of the old and new table's bucket bits), the entries whose hash starts
 * with the {@code G}-bit prefix {@code p} are exactly one bucket chain of the larger table, or the part of one chain of
 * the smaller table whose hashes start with {@code p} (a table picks buckets by a hash's top bits, see
 * {@link BucketTable}). {@link Migration#homeOf} says which table holds them. A step reads that one group and returns
 * its smallest entry after the cursor; if there is none, the cursor moves to the start of prefix {@code p + 1}.
 * Because positions are absolute, a table that doubled or halved between two steps is read at its new granularity
 * from the same cursor: nothing is skipped, nothing repeated. Consecutive groups are consecutive buckets, so a walk
 * reads the table front to back; a never-written chunk of buckets is passed over in one read when no migration runs.
 *
 * <h2>The group buffer</h2>
 * Finding the smallest entry after the cursor means reading the whole group, so returning a group of {@code k}
 * entries one rescan at a time costs {@code k^2} slot reads (a group holds 4 to 13 entries at the loads the map
 * keeps). Instead, the step that reads a group keeps copies of the group's entries after the cursor, sorted (up to
 * {@value #GROUP_BUFFER_CAPACITY}, the smallest ones), and later steps
 * take the next one from that buffer <em>as long as the map's write count is still the one the buffer was read
 * (or last served) at, or the one write since was the delete of the cursor's own entry</em>. Invariant: a buffer is
 * served only when the group, its order and its values are exactly what a rescan would read: either no write (put,
 * delete, migration step: every mutation counts in {@code writeCount}) happened since the validated step that read
 * or served it, or the only one deleted the entry at the cursor, which the buffer (entries after the cursor) does not
 * hold; the migration, slab and arena moves such a delete makes on the side move entries between tables, handles and
 * pages without changing any group's entries or values. So each buffered step returns what the unbuffered step would
 * have, and
 * every contract argument above carries over unchanged. The write count and the map's record of its last delete are
 * read inside the step's read protocol like everything else, so a reader thread serves its buffer only on a
 * validated read. Any other write makes the next step read the group again from the cursor. A buffer that had to
 * drop entries (a group longer than its capacity) reads the group again once it runs out; a complete one moves to
 * the next group without rereading.
 *
 * <p>Memory: two buffers (the committed one and the step's scratch, swapped on commit: a step may run twice,
 * optimistically and then under the read lock, and must not touch committed state) of
 * {@value #GROUP_BUFFER_CAPACITY} positions, keys and values each: constant per iterator, whatever the map's
 * size (contract rule 7). Between them they hold up to twice that many copies of keys and values, until later
 * groups overwrite them; never a table, a chunk or a page.
 */
final class HashOrderIterator extends BucketMapIterator {
    private static final long POSITION_END = 1L << 32;
    /** Larger than any group at the loads the map keeps, bar a rare tail: the Poisson(6.5) tail beyond 16 is 0.03%. */
    static final int GROUP_BUFFER_CAPACITY = 16;
    /** A step's budget of reads when groups turn out empty: about one bucket chain (8 slots and an overflow bucket). */
    private static final int READS_PER_STEP = 16;

    /** Hash (low 32 bits, unsigned) of the last entry reached, or the start of the next group when {@link #cursorKey} is null. */
    private long cursorPosition;
    /** Key of the last entry reached; null means "at or after {@link #cursorPosition}". */
    private byte[] cursorKey;

    // The committed group buffer: entries [bufferNext, bufferSize) of the cursor's group, after the cursor, sorted.
    private long[] bufferPositions = new long[GROUP_BUFFER_CAPACITY];
    private byte[][] bufferKeys = new byte[GROUP_BUFFER_CAPACITY][];
    private byte[][] bufferValues = new byte[GROUP_BUFFER_CAPACITY][];
    private int bufferNext;
    private int bufferSize;
    /** Whether the buffer holds every entry of its group after the cursor it was read at (nothing dropped). */
    private boolean bufferComplete;
    /** False when there is no buffer for the cursor's group. */
    private boolean bufferValid;
    /** {@code map.writeCount} when the buffer was read: the buffer is served only while it is unchanged. */
    private long bufferWriteCount;
    private long bufferNextGroup;

    // Step scratch, filled by readStep (possibly twice), adopted by commitStep.
    private long stepPosition;
    private long stepNextGroup;
    private boolean stepFromBuffer;
    /** The slab handles of the entries collected, beside {@link #stepPositions}, until their bytes are copied out. */
    private final int[] stepHandles = new int[GROUP_BUFFER_CAPACITY];
    private long[] stepPositions = new long[GROUP_BUFFER_CAPACITY];
    private byte[][] stepKeys = new byte[GROUP_BUFFER_CAPACITY][];
    private byte[][] stepValues = new byte[GROUP_BUFFER_CAPACITY][];
    private int stepSize;
    private boolean stepComplete;

    HashOrderIterator(BucketMap map, KeyRange range) {
        super(map, range);
    }

    @Override
    void readStep() {
        stepWriteCount = map.writeCount;
        stepFromBuffer = bufferValid && (stepWriteCount == bufferWriteCount || onlyCursorDeletedSinceBuffer())
                && (bufferNext < bufferSize || bufferComplete);
        if (stepFromBuffer) {
            readBufferedStep();
        } else {
            readGroup();
        }
    }

    /**
     * Whether the one write since the buffer was read (or last served) deleted the cursor's own entry: the buffer holds
     * entries after the cursor, so that delete took nothing from it, and the moves a write makes on the side (a
     * migration's buckets, the slab's handles) change no group's entries or values. So the buffer is still exactly
     * what a rescan would read.
     */
    private boolean onlyCursorDeletedSinceBuffer() {
        return stepWriteCount == bufferWriteCount + 1 && cursorKey != null && map.lastDeleteWriteCount == stepWriteCount
                && map.lastDeletedKeyEquals(cursorKey);
    }

    /** The next entry of the buffer, or "group done" once a complete buffer is used up. Reads no table. */
    private void readBufferedStep() {
        if (bufferNext < bufferSize) {
            stepPosition = bufferPositions[bufferNext];
            stepKey = bufferKeys[bufferNext];
            stepValue = bufferValues[bufferNext];
        } else {
            stepKey = null;
            stepValue = null;
            stepNextGroup = bufferNextGroup;
        }
    }

    /**
     * Reads the cursor's group: its entries after the cursor and in range, sorted, into the step scratch. A group with
     * none moves the step on to the next group, within a budget of {@value #READS_PER_STEP} reads (a group's first
     * bucket plus each occupied slot looked at), so that empty groups, and groups with nothing in range, cost no step
     * each while a step still holds the reader's lock for about one bucket chain. Every group after the cursor's starts
     * after the cursor, so all their entries are after it.
     */
    private void readGroup() {
        BucketTable current = map.table;
        Migration migration = map.migration;
        int groupBits = migration == null ? current.log2Buckets : Math.max(migration.from.log2Buckets, current.log2Buckets);
        stepKey = null;
        stepValue = null;
        stepSize = 0;
        stepComplete = true;
        long from = cursorPosition;
        int reads = 0;
        do {
            long prefix = from >>> (32 - groupBits);
            stepNextGroup = (prefix + 1) << (32 - groupBits);
            reads += readOneGroup(current, migration, groupBits, prefix);
            from = stepNextGroup;
        } while (stepSize == 0 && from < POSITION_END && reads < READS_PER_STEP);
        if (stepSize > 0) {
            copyOutCollected();
            if (migration == null) {
                readAheadHandles(current, stepNextGroup);
            }
            stepPosition = stepPositions[0];
            stepKey = stepKeys[0];
            stepValue = stepValues[0];
        }
    }

    /**
     * Collects the entries of group {@code prefix} after the cursor and in range; returns the reads it took. A group in
     * a never-written chunk, with no migration running, moves {@link #stepNextGroup} past the whole chunk: no bucket of
     * it holds anything. (During a migration a null chunk of the new table may still have its entries in the old one.)
     */
    private int readOneGroup(BucketTable current, Migration migration, int groupBits, long prefix) {
        int firstHash = (int) (prefix << (32 - groupBits));
        BucketTable home = migration == null ? current : migration.homeOf(firstHash, current);
        int bucket = home.bucketOf(firstHash);
        BucketArray head = home.chunkOf(bucket);
        if (head == null) {
            if (migration == null) {
                stepNextGroup = home.firstHashOf(((bucket >>> BucketTable.CHUNK_SHIFT) + 1) << BucketTable.CHUNK_SHIFT);
            }
            return 1;
        }
        int reads = 1;
        int groupShift = 32 - groupBits;
        int headLocal = home.localOf(bucket);
        boolean bounded = range.lower() != null || range.upper() != null;
        BucketArray array = head;
        for (int local = headLocal; local != -1; ) {
            long word = array.tagWord(local);
            for (long occupied = Tags.occupiedSlots(word); occupied != 0; occupied &= occupied - 1) {
                int slot = (local << 3) + Tags.slotOfLowest(occupied);
                reads++;
                long position = Integer.toUnsignedLong(array.hashAt(slot));
                if (position >>> groupShift != prefix) {
                    continue;
                }
                int handle = array.handleAt(slot);
                if (isAfterCursor(position, handle) && (!bounded || map.entries.keyInRange(handle, range))) {
                    collect(position, handle);
                }
            }
            int next = Tags.hasEmpty(word) ? 0 : array.next(local);
            local = next == 0 ? -1 : next; // links only increase: the walk ends even on a torn read
        }
        return reads;
    }

    /**
     * Copies the keys and values of the entries just collected out of the arena, after reading the first byte of every
     * record in one tight loop: a group's records lie at random places in the arena (it holds them in the order they
     * were written, not in hash order), so each is a cache miss; read there the misses do not depend on each other and
     * overlap, where copying each record as it comes would wait for one at a time.
     */
    private void copyOutCollected() {
        long touched = 0;
        for (int i = 0; i < stepSize; i++) {
            touched += map.entries.touch(stepHandles[i]);
        }
        readAheadSink += touched;
        for (int i = 0; i < stepSize; i++) {
            stepKeys[i] = map.entries.copyKey(stepHandles[i]);
            stepValues[i] = map.entries.copyValue(stepHandles[i]);
        }
    }

    /**
     * Reads the slab references of the entries in the first bucket of the group starting at {@code firstHash} (the
     * next group), so that its slab lines, at random places in the slab, are on their way while the caller works
     * through this group: reading the group later then waits on fewer misses. Only without a migration, where the
     * group's first bucket is in the current table.
     */
    private void readAheadHandles(BucketTable table, long firstHash) {
        if (firstHash >= POSITION_END) {
            return;
        }
        int bucket = table.bucketOf((int) firstHash);
        BucketArray array = table.chunkOf(bucket);
        if (array == null) {
            return;
        }
        int local = table.localOf(bucket);
        int present = 0;
        for (long occupied = Tags.occupiedSlots(array.tagWord(local)); occupied != 0; occupied &= occupied - 1) {
            present += map.entries.touch(array.handleAt((local << 3) + Tags.slotOfLowest(occupied)));
        }
        readAheadSink += present;
    }

    /**
     * Inserts an entry, by its position and handle, into the sorted step scratch; when full, keeps the smallest and marks
     * it incomplete.
     */
    private void collect(long position, int handle) {
        int at = stepSize;
        if (at == GROUP_BUFFER_CAPACITY) {
            stepComplete = false;
            if (!isBefore(position, handle, stepPositions[at - 1], stepHandles[at - 1])) {
                return;
            }
            at--;
        } else {
            stepSize++;
        }
        for (; at > 0 && isBefore(position, handle, stepPositions[at - 1], stepHandles[at - 1]); at--) {
            stepPositions[at] = stepPositions[at - 1];
            stepHandles[at] = stepHandles[at - 1];
        }
        stepPositions[at] = position;
        stepHandles[at] = handle;
    }

    @Override
    StepResult commitStep() {
        if (stepFromBuffer) {
            bufferWriteCount = stepWriteCount;
            if (stepKey != null) {
                bufferKeys[bufferNext] = null;
                bufferValues[bufferNext] = null;
                bufferNext++;
            } else {
                bufferValid = false;
            }
        } else if (stepKey != null) {
            adoptStepAsBuffer();
        } else {
            bufferValid = false;
        }
        if (stepKey != null) {
            cursorPosition = stepPosition;
            cursorKey = stepKey;
            return StepResult.FOUND;
        }
        cursorPosition = stepNextGroup;
        cursorKey = null;
        return cursorPosition >= POSITION_END ? StepResult.EXHAUSTED : StepResult.CONTINUE;
    }

    /** The validated group read becomes the buffer; its first entry is the one this step returns. */
    private void adoptStepAsBuffer() {
        long[] positions = bufferPositions;
        byte[][] keys = bufferKeys;
        byte[][] values = bufferValues;
        bufferPositions = stepPositions;
        bufferKeys = stepKeys;
        bufferValues = stepValues;
        stepPositions = positions;
        stepKeys = keys;
        stepValues = values;
        bufferKeys[0] = null;
        bufferValues[0] = null;
        bufferNext = 1;
        bufferSize = stepSize;
        bufferComplete = stepComplete;
        bufferWriteCount = stepWriteCount;
        bufferNextGroup = stepNextGroup;
        bufferValid = true;
    }

    private boolean isAfterCursor(long position, int handle) {
        if (cursorKey == null) {
            return position >= cursorPosition;
        }
        return position > cursorPosition || (position == cursorPosition && map.entries.compareKey(handle, cursorKey) > 0);
    }

    /** Whether the entry at {@code handle} comes before the one at {@code otherHandle}: by position, then key. */
    private boolean isBefore(long position, int handle, long otherPosition, int otherHandle) {
        return position < otherPosition
                || (position == otherPosition && map.entries.compareKey(handle, map.entries.copyKey(otherHandle)) < 0);
    }
}
