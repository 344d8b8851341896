package io.bucketmap.core;

import java.util.Arrays;

/**
 * Flat storage for one chunk of a table: its primary buckets and the overflow buckets their chains need, no object per
 * bucket or per entry. A bucket of {@value #SLOTS} slots owns {@value #WORDS_PER_BUCKET} words: first its eight tag bytes
 * (slot {@code i} in byte {@code i}), then one word per slot holding the low 32 bits of the slot's key hash and, in the
 * high 32 bits, the handle of its entry in the map's {@link EntrySlab} (where the key and the value are found). A lookup
 * thus reads the tags and the hash it compares from the bucket's words and gets the handle from the word it compared.
 *
 * <p>Buckets are numbered within the chunk: {@code 0 .. primaryBuckets - 1} are the primary buckets (their words in
 * {@code words}), the overflow buckets follow from {@code primaryBuckets} on (their words in {@code overflowWords},
 * which grows by doubling as chains need them). A slot is {@code 8 * bucket + i}. {@code links[b]} is the number of the
 * next overflow bucket of {@code b}'s chain, or 0 (no bucket links to bucket 0, a primary one). Overflow buckets are
 * handed out in increasing numbers and linked only from the tail of a chain to the bucket just handed out, so every link
 * points to a higher number: chains are acyclic and only grow (invariant 3 of {@code docs/design.md}); they go only
 * with the whole chunk.
 *
 * <p>Written only by the map's writer, under its write lock. Readers read it optimistically and validate, so a torn read
 * is harmless: every element is either a complete old or a complete new value, a grown array holds what the old one
 * held, and a walk along links ends (they increase) within the array's bounds or throws.
 */
final class BucketArray {
    static final int SLOTS = 8;
    static final int WORDS_PER_BUCKET = 1 + SLOTS;
    /** Overflow buckets a chunk makes room for at its first overflow: a thirty-second of its primary buckets. */
    private static final int FIRST_OVERFLOW_SHIFT = 5;

    /** The overflow words of every chunk that has no overflow bucket yet: one array for all of them. */
    private static final long[] NO_OVERFLOW = new long[0];

    final int primaryBuckets;
    private final long[] words;
    private long[] overflowWords = NO_OVERFLOW;
    private int[] links;
    /**
     * One bit per primary bucket, set once the bucket's chain has been moved to the next table; null until the first
     * bucket of this chunk is. Only a table being migrated away marks buckets, so the chunks of a table at rest hold no
     * bitmap: a store holds one object fewer per chunk ({@code benchmarks/results/2026-12-07-arena-profile.md},
     * "Objects").
     * Readers see null or the bitmap; a reader racing the first mark is discarded by its validation.
     */
    private long[] evacuated;
    /** Overflow buckets handed out: numbers {@code primaryBuckets .. primaryBuckets + overflowBuckets - 1}. */
    int overflowBuckets;

    BucketArray(int primaryBuckets) {
        this.primaryBuckets = primaryBuckets;
        this.words = new long[primaryBuckets * WORDS_PER_BUCKET];
        this.links = new int[primaryBuckets];
    }

    long tagWord(int bucket) {
        return bucket < primaryBuckets ? words[bucket * WORDS_PER_BUCKET]
                : overflowWords[(bucket - primaryBuckets) * WORDS_PER_BUCKET];
    }

    void setTagWord(int bucket, long word) {
        if (bucket < primaryBuckets) {
            words[bucket * WORDS_PER_BUCKET] = word;
        } else {
            overflowWords[(bucket - primaryBuckets) * WORDS_PER_BUCKET] = word;
        }
    }

    /** The next overflow bucket of {@code bucket}'s chain, or 0 if it is the chain's last. */
    int next(int bucket) {
        return links[bucket];
    }

    /**
     * Hands out a new, empty overflow bucket and links it after {@code tail} (the last bucket of its chain); returns its
     * number. Grows the overflow arrays by doubling (a copy of them, never of the primary buckets). Allocates before it
     * links, so a failure leaves the chain as it was.
     */
    int addOverflow(int tail) {
        int capacity = overflowWords.length / WORDS_PER_BUCKET;
        if (overflowBuckets == capacity) {
            int grown = Math.max(Math.max(1, primaryBuckets >>> FIRST_OVERFLOW_SHIFT), 2 * capacity);
            long[] grownWords = Arrays.copyOf(overflowWords, grown * WORDS_PER_BUCKET);
            int[] grownLinks = Arrays.copyOf(links, primaryBuckets + grown);
            overflowWords = grownWords;
            links = grownLinks;
        }
        int added = primaryBuckets + overflowBuckets++;
        links[tail] = added;
        return added;
    }

    /** Reads the bucket's first and last word: the cache lines a write to it touches. Primary buckets only. */
    long readAhead(int bucket) {
        int first = bucket * WORDS_PER_BUCKET;
        return words[first] + words[first + SLOTS];
    }

    int hashAt(int slot) {
        return (int) slotWord(slot);
    }

    int handleAt(int slot) {
        return (int) (slotWord(slot) >>> 32);
    }

    private long slotWord(int slot) {
        int bucket = slot >>> 3;
        int index = WORDS_PER_BUCKET * bucket + 1 + (slot & 7);
        return bucket < primaryBuckets ? words[index] : overflowWords[index - primaryBuckets * WORDS_PER_BUCKET];
    }

    private void setSlotWord(int slot, long word) {
        int bucket = slot >>> 3;
        int index = WORDS_PER_BUCKET * bucket + 1 + (slot & 7);
        if (bucket < primaryBuckets) {
            words[index] = word;
        } else {
            overflowWords[index - primaryBuckets * WORDS_PER_BUCKET] = word;
        }
    }

    /** Points the slot at its entry's new handle (the slab moved it down to give memory back). */
    void setHandle(int slot, int handle) {
        setSlotWord(slot, slotWordOf(hashAt(slot), handle));
    }

    private static long slotWordOf(int hash32, int handle) {
        return ((long) handle << 32) | (hash32 & 0xFFFF_FFFFL);
    }

    /** Fills a free slot; the tag goes last so that a slot is never tagged occupied with a stale hash or handle. */
    void occupy(int slot, int hash32, int tag, int handle) {
        setSlotWord(slot, slotWordOf(hash32, handle));
        int bucket = slot >>> 3;
        setTagWord(bucket, Tags.withTag(tagWord(bucket), slot & 7, tag));
    }

    /** Frees a slot as DELETED. */
    void release(int slot) {
        int bucket = slot >>> 3;
        setTagWord(bucket, Tags.withTag(tagWord(bucket), slot & 7, Tags.DELETED));
    }

    boolean isEvacuated(int bucket) {
        long[] marks = evacuated;
        return marks != null && (marks[bucket >>> 6] & (1L << bucket)) != 0;
    }

    void markEvacuated(int bucket) {
        if (evacuated == null) {
            evacuated = new long[evacuationWords(primaryBuckets)];
        }
        evacuated[bucket >>> 6] |= 1L << bucket;
    }

    /**
     * Heap bytes of this chunk and its arrays, assuming compressed references and 16-byte array headers; the evacuation
     * bitmap and an empty overflow array counted whether or not this chunk has its own, so that the figure changes only
     * as overflow grows (the table adds and subtracts it as the chunk comes and goes).
     */
    long estimatedBytes() {
        return 32 + align(16 + 8L * words.length) + align(16 + 8L * overflowWords.length) + align(16 + 4L * links.length)
                + align(16 + 8L * evacuationWords(primaryBuckets));
    }

    /** Heap bytes of a chunk of {@code primaryBuckets} buckets before any overflow. */
    static long estimatedBytes(int primaryBuckets) {
        return 32 + align(16 + 8L * WORDS_PER_BUCKET * primaryBuckets) + 16 + align(16 + 4L * primaryBuckets)
                + align(16 + 8L * evacuationWords(primaryBuckets));
    }

    private static int evacuationWords(int primaryBuckets) {
        return (primaryBuckets + 63) >>> 6;
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
