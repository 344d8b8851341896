package io.bucketmap.core;

/**
 * Flat storage for a run of buckets of {@link #SLOTS} slots: a chunk of a table's primary buckets, or a
 * single overflow bucket. No object per entry. Bucket {@code b} owns {@value #WORDS_PER_BUCKET} words of
 * {@code tagsAndHashes}: first its eight tag bytes (slot {@code i} in byte {@code i}), then the low 32 bits of
 * each slot's key hash, two per word. Keeping them together means a lookup usually reads the tags and the
 * hash it compares from one cache line. Slot {@code s} (bucket {@code s / 8}) has its key in {@code keys[s]} and
 * the handle of its entry in the map's {@link EntrySlab}, where the value lives, in {@code handles[s]}.
 *
 * <p>Written only by the map's writer, under its write lock. Readers read it optimistically and validate,
 * so a torn read is harmless: every element is either a complete old or a complete new value.
 */
final class BucketArray {
    static final int SLOTS = 8;
    static final int WORDS_PER_BUCKET = 5;

    private final long[] tagsAndHashes;
    private final byte[][] keys;
    private final int[] handles;
    /** Per bucket, the first overflow bucket of its chain (a one-bucket array), or null. */
    final BucketArray[] overflow;
    /**
     * One bit per bucket, set once the bucket's chain has been moved to the next table. Meaningful only while
     * the table that owns this array is being migrated away; null for overflow buckets, which are never
     * consulted on their own.
     */
    final long[] evacuated;
    /** Overflow buckets hanging from this chunk's buckets, so that releasing the chunk can update the table's count. */
    int overflowBuckets;

    private BucketArray(int buckets, boolean primary) {
        this.tagsAndHashes = new long[buckets * WORDS_PER_BUCKET];
        this.keys = new byte[buckets * SLOTS][];
        this.handles = new int[buckets * SLOTS];
        this.overflow = new BucketArray[buckets];
        this.evacuated = primary ? new long[(buckets + 63) >>> 6] : null;
    }

    static BucketArray primaryChunk(int buckets) {
        return new BucketArray(buckets, true);
    }

    static BucketArray overflowBucket() {
        return new BucketArray(1, false);
    }

    long tagWord(int bucket) {
        return tagsAndHashes[bucket * WORDS_PER_BUCKET];
    }

    void setTagWord(int bucket, long word) {
        tagsAndHashes[bucket * WORDS_PER_BUCKET] = word;
    }

    int hashAt(int slot) {
        long pair = tagsAndHashes[(slot >>> 3) * WORDS_PER_BUCKET + 1 + ((slot & 7) >>> 1)];
        return (int) (pair >>> ((slot & 1) << 5));
    }

    private void setHash(int slot, int hash32) {
        int index = (slot >>> 3) * WORDS_PER_BUCKET + 1 + ((slot & 7) >>> 1);
        int shift = (slot & 1) << 5;
        tagsAndHashes[index] = (tagsAndHashes[index] & ~(0xFFFF_FFFFL << shift)) | ((hash32 & 0xFFFF_FFFFL) << shift);
    }

    byte[] keyAt(int slot) {
        return keys[slot];
    }

    int handleAt(int slot) {
        return handles[slot];
    }

    /** Points the slot at its entry's new handle (the slab moved it down to give memory back). */
    void setHandle(int slot, int handle) {
        handles[slot] = handle;
    }

    /** Fills a free slot; the tag goes last so that a slot is never tagged occupied with a stale key. */
    void occupy(int slot, int hash32, int tag, byte[] key, int handle) {
        setHash(slot, hash32);
        keys[slot] = key;
        handles[slot] = handle;
        int bucket = slot >>> 3;
        setTagWord(bucket, Tags.withTag(tagWord(bucket), slot & 7, tag));
    }

    /** Frees a slot as DELETED and drops its key reference so the key can be collected. */
    void release(int slot) {
        int bucket = slot >>> 3;
        setTagWord(bucket, Tags.withTag(tagWord(bucket), slot & 7, Tags.DELETED));
        keys[slot] = null;
    }

    boolean isEvacuated(int bucket) {
        return (evacuated[bucket >>> 6] & (1L << bucket)) != 0;
    }

    void markEvacuated(int bucket) {
        evacuated[bucket >>> 6] |= 1L << bucket;
    }

    /** Heap bytes of an array of {@code buckets} buckets, assuming compressed references and 16-byte headers. */
    static long estimatedBytes(int buckets, boolean primary) {
        long slots = (long) buckets * SLOTS;
        long bytes = 24 + align(16 + 8L * WORDS_PER_BUCKET * buckets) + 2 * align(16 + 4 * slots)
                + align(16 + 4L * buckets);
        return primary ? bytes + align(16 + 8L * ((buckets + 63) >>> 6)) : bytes;
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
