package io.bucketmap.core;

/**
 * Flat storage for a run of buckets of {@link #SLOTS} slots: a chunk of a table's primary buckets, or a
 * single overflow bucket. No object per entry. Bucket {@code b} owns {@value #WORDS_PER_BUCKET} words of
 * {@code words}: first its eight tag bytes (slot {@code i} in byte {@code i}), then one word per slot holding the low
 * 32 bits of the slot's key hash and, in the high 32 bits, the handle of its entry in the map's {@link EntrySlab}
 * (where the key and the value live). A lookup thus reads the tags and the hash it compares from the bucket's words,
 * and gets the handle from the word it compared, with no further array to read; the key it then compares is in the
 * slab's line beside the value it returns. (With the handles in an {@code int[]} of their own, a get read one more
 * cache line: 377 ns per get against 300 ns this way, 1M entries, one shared-machine run each. The slots' key
 * references, once an array beside the words, were one more such line per lookup and 4 bytes per slot.)
 *
 * <p>Written only by the map's writer, under its write lock. Readers read it optimistically and validate,
 * so a torn read is harmless: every element is either a complete old or a complete new value.
 */
final class BucketArray {
    static final int SLOTS = 8;
    static final int WORDS_PER_BUCKET = 1 + SLOTS;

    private final long[] words;
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
        this.words = new long[buckets * WORDS_PER_BUCKET];
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
        return words[bucket * WORDS_PER_BUCKET];
    }

    /** Reads the bucket's first and last word: the cache lines a write to it touches. */
    long readAhead(int bucket) {
        int first = bucket * WORDS_PER_BUCKET;
        return words[first] + words[first + SLOTS];
    }

    void setTagWord(int bucket, long word) {
        words[bucket * WORDS_PER_BUCKET] = word;
    }

    int hashAt(int slot) {
        return (int) words[slotWord(slot)];
    }

    int handleAt(int slot) {
        return (int) (words[slotWord(slot)] >>> 32);
    }

    /** Points the slot at its entry's new handle (the slab moved it down to give memory back). */
    void setHandle(int slot, int handle) {
        int index = slotWord(slot);
        words[index] = slotWordOf((int) words[index], handle);
    }

    private static int slotWord(int slot) {
        return (slot >>> 3) * WORDS_PER_BUCKET + 1 + (slot & 7);
    }

    private static long slotWordOf(int hash32, int handle) {
        return ((long) handle << 32) | (hash32 & 0xFFFF_FFFFL);
    }

    /** Fills a free slot; the tag goes last so that a slot is never tagged occupied with a stale hash or handle. */
    void occupy(int slot, int hash32, int tag, int handle) {
        words[slotWord(slot)] = slotWordOf(hash32, handle);
        int bucket = slot >>> 3;
        setTagWord(bucket, Tags.withTag(tagWord(bucket), slot & 7, tag));
    }

    /** Frees a slot as DELETED. */
    void release(int slot) {
        int bucket = slot >>> 3;
        setTagWord(bucket, Tags.withTag(tagWord(bucket), slot & 7, Tags.DELETED));
    }

    boolean isEvacuated(int bucket) {
        return (evacuated[bucket >>> 6] & (1L << bucket)) != 0;
    }

    void markEvacuated(int bucket) {
        evacuated[bucket >>> 6] |= 1L << bucket;
    }

    /** Heap bytes of an array of {@code buckets} buckets, assuming compressed references and 16-byte headers. */
    static long estimatedBytes(int buckets, boolean primary) {
        long bytes = 24 + align(16 + 8L * WORDS_PER_BUCKET * buckets) + align(16 + 4L * buckets);
        return primary ? bytes + align(16 + 8L * ((buckets + 63) >>> 6)) : bytes;
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
