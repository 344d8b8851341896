package io.bucketmap.core;

import java.util.Arrays;

/**
 * One table of {@code 2^log2Buckets} primary buckets, each the head of a chain of overflow buckets
 * ({@code docs/design.md}, section 2). A key with hash {@code h} lives in the chain of bucket {@link #bucketOf}: the
 * top {@code log2Buckets} bits of {@code h}'s low 32 bits, so that bucket order is hash order and a hash-order walk
 * reads the table front to back. A table that doubles splits bucket {@code b} into {@code 2b} and {@code 2b + 1}; one
 * that halves merges them back. The tags take the hash's top byte (bits 56-63), which never overlaps the bits that pick
 * the bucket.
 *
 * <p>The primary buckets are split into chunks ({@link BucketArray}) of at most {@value #CHUNK_BUCKETS} buckets, each
 * with the overflow buckets of its chains, allocated on first write. A new table is therefore only a directory of
 * nulls when growth starts: no write allocates or clears memory in proportion to the table size, and no array is large
 * enough to be a humongous allocation for G1.
 *
 * <p>Invariants (design.md, section 8, items 3-5; {@link #checkInvariants}): slots fill in chain order and an EMPTY
 * tag ends the chain (every later slot is EMPTY); no DELETED slot follows a chain's last occupied slot (writers reuse
 * the first free slot and {@link #tidyChain tidy} after a delete); the overflow, deleted-slot and chunk counts are the
 * chains'; a table being migrated away changes only by evacuation marks and released chunks.
 *
 * <p>Costs: a lookup or a write reads one chain, O(1) on average. Threading: mutated only by the map's writer under
 * the write lock; {@link #findHandle} and the chunk accessors terminate under an optimistic read; on torn state
 * {@link #findHandle} may throw (a stale handle, a moved record), which the caller's validation then discards.
 */
final class BucketTable {
    static final int CHUNK_SHIFT = 11;
    static final int CHUNK_BUCKETS = 1 << CHUNK_SHIFT;

    final int log2Buckets;
    final int bucketMask;
    /** {@code 32 - log2Buckets}: shifting a hash's low 32 bits, as an unsigned long, right by it gives the bucket. */
    private final int bucketShift;
    private final int localMask;
    private final int chunkBuckets;
    private final BucketArray[] chunks;
    /** The map's entries: a slot's key is read at its handle there, in the arena record that also holds the value. */
    private final EntrySlab entries;

    private int allocatedChunks;
    /** Heap bytes of the allocated chunks, overflow buckets included. */
    private long chunkBytes;
    private int overflowBuckets;
    private int deletedSlots;
    /** Chunks below this index were released by a finished part of the sweep that migrated this table away. */
    private int releasedChunks;
    /** Instrumentation for tests: overflow links followed while appending moved entries (writer only). */
    long evacuationChainSteps;
    /** Reused by every evacuation into this table: no allocation per moved bucket. */
    private final ChainTail[] evacuationTails = {new ChainTail(), new ChainTail()};

    BucketTable(int log2Buckets, EntrySlab entries) {
        this.log2Buckets = log2Buckets;
        this.entries = entries;
        int buckets = 1 << log2Buckets;
        this.bucketMask = buckets - 1;
        this.bucketShift = 32 - log2Buckets;
        this.chunkBuckets = Math.min(buckets, CHUNK_BUCKETS);
        this.localMask = chunkBuckets - 1;
        this.chunks = new BucketArray[buckets / chunkBuckets];
    }

    int bucketCount() {
        return bucketMask + 1;
    }

    /** The bucket of a key whose hash has these low 32 bits: their top {@code log2Buckets} bits (0 for one bucket). */
    int bucketOf(int hash32) {
        return (int) (Integer.toUnsignedLong(hash32) >>> bucketShift);
    }

    /** The first hash (low 32 bits, unsigned) of {@code bucket}'s range: buckets hold consecutive ranges of hashes. */
    long firstHashOf(int bucket) {
        return (long) bucket << bucketShift;
    }

    int overflowBuckets() {
        return overflowBuckets;
    }

    int deletedSlots() {
        return deletedSlots;
    }

    /**
     * Reads the cache lines a write to the bucket of {@code hash32} will touch (the bucket's words, first and last), for
     * {@link BucketMap#writeAll}'s read-ahead; returns something of what it read so
     * that the reads stay. 0 if the bucket's chunk was never written.
     */
    long readAhead(int hash32) {
        int bucket = bucketOf(hash32);
        BucketArray chunk = chunks[bucket >>> CHUNK_SHIFT];
        return chunk == null ? 0 : chunk.readAhead(bucket & localMask);
    }

    /** The chunk holding {@code bucket}, or null if nothing was ever written to it. */
    BucketArray chunkOf(int bucket) {
        return chunks[bucket >>> CHUNK_SHIFT];
    }

    int localOf(int bucket) {
        return bucket & localMask;
    }

    int chunkBuckets() {
        return chunkBuckets;
    }

    /** The entry handle stored for {@code key}, or -1. Safe under an optimistic read. */
    int findHandle(byte[] key, int hash32, int tag) {
        int bucket = bucketOf(hash32);
        BucketArray array = chunks[bucket >>> CHUNK_SHIFT];
        if (array == null) {
            return -1;
        }
        int local = bucket & localMask;
        while (true) {
            long word = array.tagWord(local);
            int slot = slotOf(array, local, word, tag, hash32, key);
            if (slot >= 0) {
                return array.handleAt(slot);
            }
            if (Tags.hasEmpty(word)) {
                return -1;
            }
            local = array.next(local);
            if (local == 0) {
                return -1;
            }
        }
    }

    /** The slot of {@code key} in one bucket whose tag word is {@code word}, or -1: tag, then hash, then bytes. */
    private int slotOf(BucketArray array, int local, long word, int tag, int hash32, byte[] key) {
        for (long candidates = Tags.matches(word, tag); candidates != 0; candidates &= candidates - 1) {
            int slot = (local << 3) + Tags.slotOfLowest(candidates);
            if (array.hashAt(slot) == hash32 && entries.keyEquals(array.handleAt(slot), key)) {
                return slot;
            }
        }
        return -1;
    }

    /**
     * Writer: looks {@code key} up, recording in {@code probe} either its slot or the first free slot and the
     * tail of the chain; records nothing if the bucket's chunk was never allocated (then {@link #insertLocated}
     * allocates it, and a delete or a miss allocates nothing).
     */
    void locate(byte[] key, int hash32, int tag, SlotProbe probe) {
        probe.reset();
        int bucket = bucketOf(hash32);
        BucketArray array = chunks[bucket >>> CHUNK_SHIFT];
        if (array == null) {
            return;
        }
        int local = bucket & localMask;
        while (true) {
            long word = array.tagWord(local);
            int slot = slotOf(array, local, word, tag, hash32, key);
            if (slot >= 0) {
                probe.foundArray = array;
                probe.foundSlot = slot;
                return;
            }
            if (probe.freeArray == null) {
                long free = Tags.freeSlots(word);
                if (free != 0) {
                    probe.freeArray = array;
                    probe.freeSlot = (local << 3) + Tags.slotOfLowest(free);
                }
            }
            // The EMPTY tag ends the chain: the overflow link (a cache miss of its own) is read only for a full bucket.
            int next = Tags.hasEmpty(word) ? 0 : array.next(local);
            if (next == 0) {
                probe.tailArray = array;
                probe.tailBucket = local;
                return;
            }
            local = next;
        }
    }

    /** Writer: stores a key that {@link #locate} just reported absent, in the slot the probe found. */
    void insertLocated(SlotProbe probe, int hash32, int tag, int handle) {
        if (probe.freeArray != null) {
            if (Tags.tagAt(probe.freeArray.tagWord(probe.freeSlot >>> 3), probe.freeSlot & 7) == Tags.DELETED) {
                deletedSlots--;
            }
            probe.freeArray.occupy(probe.freeSlot, hash32, tag, handle);
        } else if (probe.tailArray != null) {
            int added = addOverflow(probe.tailArray, probe.tailBucket);
            probe.tailArray.occupy(added << 3, hash32, tag, handle);
        } else {
            int bucket = bucketOf(hash32);
            writableChunk(bucket).occupy((bucket & localMask) << 3, hash32, tag, handle);
        }
    }

    /** Writer: frees the slot {@link #locate} found and restores the chain invariant. */
    void removeLocated(SlotProbe probe, int hash32) {
        probe.foundArray.release(probe.foundSlot);
        deletedSlots++;
        int bucket = bucketOf(hash32);
        tidyChain(chunks[bucket >>> CHUNK_SHIFT], bucket & localMask);
    }

    /**
     * Writer (evacuation): stores a key known to be absent from this table at the first free slot of its chain at or
     * after {@code tail}'s position, and leaves {@code tail} at that slot. Every slot before the position is taken
     * (one evacuation only appends to the chains it fills), so a bucket of {@code k} colliding entries moves in
     * O(k), not the O(k^2) of a walk from the head per entry. A tail from another bucket restarts at the head.
     */
    void insertAbsent(ChainTail tail, int hash32, int tag, int handle) {
        int bucket = bucketOf(hash32);
        if (tail.bucket != bucket) {
            tail.bucket = bucket;
            tail.array = writableChunk(bucket);
            tail.local = bucket & localMask;
        }
        BucketArray array = tail.array;
        int local = tail.local;
        while (true) {
            long free = Tags.freeSlots(array.tagWord(local));
            if (free != 0) {
                int slot = (local << 3) + Tags.slotOfLowest(free);
                if (Tags.tagAt(array.tagWord(local), slot & 7) == Tags.DELETED) {
                    deletedSlots--;
                }
                array.occupy(slot, hash32, tag, handle);
                tail.array = array;
                tail.local = local;
                return;
            }
            int next = array.next(local);
            local = next != 0 ? next : addOverflow(array, local);
            evacuationChainSteps++;
        }
    }

    /**
     * Where the last entry moved into one target chain went. One evacuation fills at most two target chains (a
     * growth splits a bucket in two; a shrink or a rebuild keeps it whole), so it keeps two tails; both are reset when
     * it starts, because writes between evacuations may have emptied the slots a stale tail points past.
     */
    static final class ChainTail {
        int bucket = -1;
        BucketArray array;
        int local;
    }

    /**
     * Turns the free slots after the chain's last occupied slot back into EMPTY, so that lookups stop as early
     * as possible and the deleted-slot count only counts holes that lookups must step over. Costs one pass
     * over the chain, which the delete has just walked anyway.
     */
    private void tidyChain(BucketArray array, int head) {
        int lastOccupied = -1;
        for (int local = head; ; ) {
            long word = array.tagWord(local);
            if (Tags.occupiedSlots(word) != 0) {
                lastOccupied = local;
            }
            int next = Tags.hasEmpty(word) ? 0 : array.next(local);
            if (next == 0) {
                break;
            }
            local = next;
        }
        boolean clearing = lastOccupied == -1;
        for (int local = head; ; ) {
            long word = array.tagWord(local);
            int next = Tags.hasEmpty(word) ? 0 : array.next(local);
            long keep = -1L;
            if (local == lastOccupied) {
                clearing = true;
                int highestOccupied = 63 - Long.numberOfLeadingZeros(Tags.occupiedSlots(word));
                keep = highestOccupied == 63 ? -1L : (1L << (highestOccupied + 1)) - 1;
            } else if (clearing) {
                keep = 0;
            }
            if (keep != -1L) {
                long cleared = word & ~keep;
                for (int slot = 0; slot < BucketArray.SLOTS; slot++) {
                    if (Tags.tagAt(cleared, slot) == Tags.DELETED) {
                        deletedSlots--;
                    }
                }
                array.setTagWord(local, word & keep);
            }
            if (next == 0) {
                return;
            }
            local = next;
        }
    }

    /**
     * Writer: moves every entry of {@code bucket}'s chain into {@code target} and marks the bucket evacuated. With a
     * {@code rehash} (a rebuild that changes the seed), each key's hash in the target is computed anew with it;
     * otherwise the stored hash moves along.
     */
    void evacuate(int bucket, BucketTable target, KeyHasher rehash) {
        BucketArray array = chunks[bucket >>> CHUNK_SHIFT];
        if (array == null) {
            return; // an unallocated chunk holds nothing; isEvacuated already treats it as moved
        }
        ChainTail lowTail = target.evacuationTails[0];
        ChainTail highTail = target.evacuationTails[1];
        lowTail.bucket = -1;
        highTail.bucket = -1;
        int headLocal = bucket & localMask;
        for (int local = headLocal; local != -1; ) {
            long word = array.tagWord(local);
            for (long occupied = Tags.occupiedSlots(word); occupied != 0; occupied &= occupied - 1) {
                int slot = (local << 3) + Tags.slotOfLowest(occupied);
                int hash32;
                int tag;
                if (rehash == null) {
                    hash32 = array.hashAt(slot);
                    tag = Tags.tagAt(word, slot & 7);
                } else {
                    long hash = entries.hashKey(array.handleAt(slot), rehash);
                    hash32 = (int) hash;
                    tag = Tags.tagOf(hash);
                }
                int targetBucket = target.bucketOf(hash32);
                ChainTail tail = lowTail.bucket == -1 || lowTail.bucket == targetBucket ? lowTail : highTail;
                target.insertAbsent(tail, hash32, tag, array.handleAt(slot));
            }
            int next = Tags.hasEmpty(word) ? 0 : array.next(local);
            local = next == 0 ? -1 : next;
        }
        array.markEvacuated(headLocal);
    }

    /** Whether {@code bucket}'s entries now live in the next table (always true for a never-written chunk). */
    boolean isEvacuated(int bucket) {
        BucketArray chunk = chunks[bucket >>> CHUNK_SHIFT];
        return chunk == null || chunk.isEvacuated(bucket & localMask);
    }

    /**
     * Where the sequential sweep of a migration should look next: the first bucket at or after {@code from}
     * not yet evacuated, or the bucket where it stopped after checking {@code maxChecked} buckets (a whole
     * unallocated chunk counts as one check), or {@link #bucketCount()} when none is left. Bounded so that
     * no write scans far.
     */
    int nextUnevacuated(int from, int maxChecked) {
        int bucket = from;
        for (int checked = 0; bucket <= bucketMask && checked < maxChecked; checked++) {
            BucketArray chunk = chunks[bucket >>> CHUNK_SHIFT];
            if (chunk == null) {
                bucket = ((bucket >>> CHUNK_SHIFT) + 1) << CHUNK_SHIFT;
            } else if (chunk.isEvacuated(bucket & localMask)) {
                bucket++;
            } else {
                return bucket;
            }
        }
        return Math.min(bucket, bucketCount());
    }

    /**
     * Drops the chunks that lie wholly below {@code sweep}: every bucket in them has been evacuated, so neither
     * readers (who check {@link #isEvacuated}, true for a missing chunk) nor the writer will look at them again.
     * This is what hands memory back during a shrink instead of at its end.
     */
    void releaseChunksBelow(int sweep) {
        while ((releasedChunks + 1) * chunkBuckets <= sweep) {
            BucketArray chunk = chunks[releasedChunks];
            if (chunk != null) {
                overflowBuckets -= chunk.overflowBuckets;
                allocatedChunks--;
                chunkBytes -= chunk.estimatedBytes();
                chunks[releasedChunks] = null;
            }
            releasedChunks++;
        }
    }

    /** Hangs a new overflow bucket after {@code tail}, the last bucket of a chain in {@code array}; returns it. */
    private int addOverflow(BucketArray array, int tail) {
        long bytesBefore = array.estimatedBytes();
        int added = array.addOverflow(tail);
        overflowBuckets++;
        chunkBytes += array.estimatedBytes() - bytesBefore;
        return added;
    }

    private BucketArray writableChunk(int bucket) {
        int index = bucket >>> CHUNK_SHIFT;
        BucketArray chunk = chunks[index];
        if (chunk == null) {
            chunk = new BucketArray(chunkBuckets);
            chunkBytes += chunk.estimatedBytes();
            chunks[index] = chunk;
            allocatedChunks++;
        }
        return chunk;
    }

    /** What {@link #checkInvariants} hands each entry it finds, for the map's cross-checks. */
    interface EntryCheck {
        void check(int bucket, int handle, byte[] key);
    }

    /**
     * Recounts this table and checks every chain (see {@code docs/design.md}, "Invariants"): within a chain, slots
     * fill in order and once a slot is EMPTY every later slot is EMPTY, also in overflow buckets linked after it; no
     * DELETED slot follows the chain's last occupied slot (deletes tidy their chain); every occupied slot holds the hash
     * and tag of its key under {@code hasher}, lies in its key's bucket, is reached by a lookup's walk from the bucket's
     * head, and refers to a live entry of the slab; the overflow counts per chunk and per table, the allocated chunks and
     * (for a table not being migrated away) the deleted slots match. A table being migrated away ({@code sweep >= 0})
     * has every bucket below the sweep evacuated and the chunks wholly below it released, and its evacuated buckets'
     * stale contents are skipped; any other table has no bucket marked evacuated and no chunk released. Hands every
     * entry found to {@code check}; returns how many there were. O(slots).
     *
     * @throws InvariantViolation if any of that does not hold
     */
    int checkInvariants(KeyHasher hasher, int sweep, EntryCheck check) {
        boolean migratingAway = sweep >= 0;
        int entriesSeen = 0;
        int deletedSeen = 0;
        int overflowSeen = 0;
        int chunksSeen = 0;
        InvariantViolation.check(migratingAway || releasedChunks == 0,
                "a table that is not being migrated away released %d chunks", releasedChunks);
        if (migratingAway) {
            InvariantViolation.check(releasedChunks == Math.min(chunks.length, sweep / chunkBuckets),
                    "a migration swept to bucket %d of chunks of %d but released %d chunks", sweep, chunkBuckets,
                    releasedChunks);
        }
        for (int chunkIndex = 0; chunkIndex < chunks.length; chunkIndex++) {
            BucketArray chunk = chunks[chunkIndex];
            if (chunk == null) {
                continue;
            }
            InvariantViolation.check(chunkIndex >= releasedChunks, "released chunk %d is still held", chunkIndex);
            chunksSeen++;
            checkLinks(chunk, chunkIndex);
            for (int local = 0; local < chunkBuckets; local++) {
                int bucket = (chunkIndex << CHUNK_SHIFT) + local;
                boolean evacuated = chunk.isEvacuated(local);
                InvariantViolation.check(migratingAway || !evacuated,
                        "bucket %d is marked evacuated in a table that is not being migrated away", bucket);
                InvariantViolation.check(!migratingAway || bucket >= sweep || evacuated,
                        "bucket %d lies below the migration's sweep %d but is not evacuated", bucket, sweep);
                if (evacuated) {
                    continue; // its slots are stale copies: the entries live in the next table
                }
                long counts = checkChain(chunk, local, bucket, hasher, check);
                entriesSeen += (int) counts;
                deletedSeen += (int) (counts >>> 32);
            }
            overflowSeen += chunk.overflowBuckets;
        }
        InvariantViolation.check(overflowSeen == overflowBuckets, "the table counts %d overflow buckets, it holds %d",
                overflowBuckets, overflowSeen);
        InvariantViolation.check(chunksSeen == allocatedChunks, "the table counts %d allocated chunks, it holds %d",
                allocatedChunks, chunksSeen);
        InvariantViolation.check(migratingAway || deletedSeen == deletedSlots,
                "the table counts %d deleted slots, its chains hold %d", deletedSlots, deletedSeen);
        return entriesSeen;
    }

    /**
     * Every overflow bucket the chunk handed out hangs in exactly one chain: exactly one bucket links to it, and from a
     * lower number (links only increase: chains are acyclic).
     */
    private static void checkLinks(BucketArray chunk, int chunkIndex) {
        int end = chunk.primaryBuckets + chunk.overflowBuckets;
        boolean[] linked = new boolean[chunk.overflowBuckets];
        for (int bucket = 0; bucket < end; bucket++) {
            int next = chunk.next(bucket);
            if (next == 0) {
                continue;
            }
            if (next <= bucket || next < chunk.primaryBuckets || next >= end || linked[next - chunk.primaryBuckets]) {
                throw InvariantViolation.of("chunk %d: bucket %d links to %d, which is not a new overflow bucket of it "
                        + "(%d primary, %d overflow)", chunkIndex, bucket, next, chunk.primaryBuckets, chunk.overflowBuckets);
            }
            linked[next - chunk.primaryBuckets] = true;
        }
        for (int i = 0; i < linked.length; i++) {
            InvariantViolation.check(linked[i], "chunk %d: overflow bucket %d hangs in no chain", chunkIndex,
                    chunk.primaryBuckets + i);
        }
    }

    /**
     * Checks one chain (see {@link #checkInvariants}); returns its occupied slots in the low 32 bits and its DELETED
     * slots in the high 32 bits.
     */
    private long checkChain(BucketArray array, int headLocal, int bucket, KeyHasher hasher, EntryCheck check) {
        int occupied = 0;
        int deleted = 0;
        int deletedSinceOccupied = 0;
        boolean ended = false;
        int position = 0;
        for (int local = headLocal; ; local = array.next(local)) {
            long word = array.tagWord(local);
            for (int slotInBucket = 0; slotInBucket < BucketArray.SLOTS; slotInBucket++, position++) {
                int tag = Tags.tagAt(word, slotInBucket);
                if (ended) {
                    if (tag != Tags.EMPTY) {
                        throw InvariantViolation.of("bucket %d: slot %d of its chain is not EMPTY after an EMPTY slot",
                                bucket, position);
                    }
                    continue;
                }
                if (tag == Tags.EMPTY) {
                    ended = true;
                } else if (tag == Tags.DELETED) {
                    deleted++;
                    deletedSinceOccupied++;
                } else {
                    occupied++;
                    deletedSinceOccupied = 0;
                    int slot = (local << 3) + slotInBucket;
                    checkSlot(array, slot, tag, bucket, hasher, check);
                }
            }
            if (array.next(local) == 0) {
                break;
            }
        }
        if (deletedSinceOccupied > 0) {
            throw InvariantViolation.of("bucket %d: %d DELETED slots after the last occupied one (the chain was not tidied)",
                    bucket, deletedSinceOccupied);
        }
        checkKeysDistinct(array, headLocal, bucket, occupied);
        return ((long) deleted << 32) | occupied;
    }

    /** No key twice in one chain: a lookup would find only the first. Keys sorted by hash, then bytes: O(k log k). */
    private void checkKeysDistinct(BucketArray array, int headLocal, int bucket, int occupied) {
        if (occupied < 2) {
            return;
        }
        long[] hashes = new long[occupied];
        byte[][] keys = new byte[occupied][];
        int count = 0;
        for (int local = headLocal; local != -1; local = array.next(local) == 0 ? -1 : array.next(local)) {
            for (long slots = Tags.occupiedSlots(array.tagWord(local)); slots != 0; slots &= slots - 1) {
                int slot = (local << 3) + Tags.slotOfLowest(slots);
                hashes[count] = ((long) array.hashAt(slot) << 32) | count;
                keys[count++] = entries.copyKey(array.handleAt(slot));
            }
        }
        if (count <= 16) {
            for (int i = 1; i < count; i++) {
                for (int j = 0; j < i; j++) {
                    if ((int) (hashes[i] >>> 32) == (int) (hashes[j] >>> 32) && Arrays.equals(keys[i], keys[j])) {
                        throw InvariantViolation.of("bucket %d: its chain holds one key twice", bucket);
                    }
                }
            }
            return;
        }
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int byHash = Integer.compare((int) (hashes[a] >>> 32), (int) (hashes[b] >>> 32));
            return byHash != 0 ? byHash : Arrays.compareUnsigned(keys[a], keys[b]);
        });
        for (int i = 1; i < count; i++) {
            if (Arrays.equals(keys[order[i - 1]], keys[order[i]])) {
                throw InvariantViolation.of("bucket %d: its chain holds one key twice", bucket);
            }
        }
    }

    private void checkSlot(BucketArray array, int slot, int tag, int bucket, KeyHasher hasher, EntryCheck check) {
        int handle = array.handleAt(slot);
        if (!entries.isLive(handle)) {
            throw InvariantViolation.of("bucket %d: a slot refers to handle %d, which holds no entry", bucket, handle);
        }
        byte[] key = entries.copyKey(handle);
        long hash = hasher.hash(key);
        if ((int) hash != array.hashAt(slot) || Tags.tagOf(hash) != tag) {
            throw InvariantViolation.of("bucket %d: the slot of handle %d holds hash %08x tag %d, its key hashes to %08x tag %d",
                    bucket, handle, array.hashAt(slot), tag, (int) hash, Tags.tagOf(hash));
        }
        if (bucketOf((int) hash) != bucket) {
            throw InvariantViolation.of("handle %d lies in bucket %d, its key's bucket is %d", handle, bucket,
                    bucketOf((int) hash));
        }
        check.check(bucket, handle, key);
    }

    /** Heap bytes of the directory, the allocated chunks and the overflow buckets (compressed references). */
    long estimatedBytes() {
        return 16L + 4L * chunks.length + chunkBytes;
    }
}
