package io.bucketmap.core;

/**
 * The tag bytes of a bucket, eight to a {@code long} word (slot {@code i} in byte {@code i}), and the
 * word-at-a-time ("SWAR") tests on them, so that a lookup inspects all eight slots of a bucket with a
 * handful of arithmetic instructions instead of eight compares.
 *
 * <p>Tag values:
 * <ul>
 *   <li>{@link #EMPTY} (0): never used since the chain was last tidied, and <em>end of chain</em>: every
 *       later slot of the bucket and of its overflow buckets is EMPTY too, so a lookup stops here. Fresh
 *       arrays are all EMPTY for free.</li>
 *   <li>{@link #DELETED} (1): free, but a later slot of the chain may still be occupied; lookups go on.</li>
 *   <li>2..255: occupied; the top byte of the key's hash, moved up by 2 when it falls on a reserved value.</li>
 * </ul>
 */
final class Tags {
    static final int EMPTY = 0;
    static final int DELETED = 1;
    private static final int MIN_OCCUPIED = 2;

    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long SEVEN_BITS = 0x7F7F7F7F7F7F7F7FL;
    private static final long FREE_BITS_CLEARED = 0xFEFEFEFEFEFEFEFEL;

    private Tags() {
    }

    static int tagOf(long hash) {
        int top = (int) (hash >>> 56);
        return top < MIN_OCCUPIED ? top + MIN_OCCUPIED : top;
    }

    /**
     * High bit set in each byte that may equal {@code tag}. Exact for the lowest match; a byte just above a
     * true match can be reported falsely (borrow), which callers rule out by comparing the stored hash.
     */
    static long matches(long word, int tag) {
        return zeroBytes(word ^ (LOW_BITS * tag));
    }

    /** Whether the bucket has an EMPTY slot, i.e. the chain ends in it. Exact. */
    static boolean hasEmpty(long word) {
        return zeroBytes(word) != 0;
    }

    /** High bit set in each EMPTY or DELETED byte; the lowest one is exact, higher ones may be false. */
    static long freeSlots(long word) {
        return zeroBytes(word & FREE_BITS_CLEARED);
    }

    /** High bit set in each occupied byte. Exact (no borrow between bytes). */
    static long occupiedSlots(long word) {
        long kept = word & FREE_BITS_CLEARED;
        return (((kept & SEVEN_BITS) + SEVEN_BITS) | kept) & HIGH_BITS;
    }

    static int slotOfLowest(long highBits) {
        return Long.numberOfTrailingZeros(highBits) >>> 3;
    }

    static int tagAt(long word, int slot) {
        return (int) (word >>> (slot << 3)) & 0xFF;
    }

    static long withTag(long word, int slot, int tag) {
        int shift = slot << 3;
        return (word & ~(0xFFL << shift)) | ((long) tag << shift);
    }

    private static long zeroBytes(long x) {
        return (x - LOW_BITS) & ~x & HIGH_BITS;
    }
}
