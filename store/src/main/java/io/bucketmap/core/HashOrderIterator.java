package io.bucketmap.core;

import java.util.Arrays;

/**
 * Iterates in <em>bit-reversed hash order</em>: entries sorted by the bit-reversal of the low 32 bits of their
 * key's hash, ties broken by the key bytes. That order does not depend on the table size, which is why it
 * survives growth, shrinking and rebuilds with a cursor of O(1) size (the order Redis' SCAN walks, made exact):
 *
 * <p>With {@code G} "group bits" (the larger of the old and new table's bucket bits), the entries whose
 * reversed hash starts with the {@code G}-bit prefix {@code p} are exactly those whose hash ends with
 * {@code j = reverse(p)}: one bucket chain of the larger table, or the part of one chain of the smaller table
 * whose hashes end in {@code j}. {@link Migration#homeOf} says which table holds them. A step reads that one
 * group and returns its smallest entry after the cursor; if there is none, the cursor moves to the start of
 * prefix {@code p + 1}. Because positions are absolute, a table that doubled or halved between two steps is
 * read at its new granularity from the same cursor: nothing is skipped, nothing repeated.
 */
final class HashOrderIterator extends BucketMapIterator {
    private static final long POSITION_END = 1L << 32;

    /** Reversed hash of the last entry reached, or the start of the next group when {@link #cursorKey} is null. */
    private long cursorPosition;
    /** Key of the last entry reached; null means "at or after {@link #cursorPosition}". */
    private byte[] cursorKey;

    private long stepPosition;
    private long stepNextGroup;

    HashOrderIterator(BucketMap map, KeyRange range) {
        super(map, range);
    }

    @Override
    void readStep() {
        BucketTable current = map.table;
        Migration migration = map.migration;
        int groupBits = migration == null ? current.log2Buckets : Math.max(migration.from.log2Buckets, current.log2Buckets);
        long prefix = cursorPosition >>> (32 - groupBits);
        int group = groupBits == 0 ? 0 : Integer.reverse((int) prefix) >>> (32 - groupBits);
        int groupMask = (int) ((1L << groupBits) - 1);
        BucketTable home = migration == null ? current : migration.homeOf(group, current);

        stepKey = null;
        stepValue = null;
        stepNextGroup = (prefix + 1) << (32 - groupBits);
        stepWriteCount = map.writeCount;
        int bucket = group & home.bucketMask;
        BucketArray head = home.chunkOf(bucket);
        if (head == null) {
            return;
        }
        int headLocal = home.localOf(bucket);
        for (BucketArray array = head, next; array != null; array = next) {
            int local = array == head ? headLocal : 0;
            long word = array.tagWord(local);
            for (long occupied = Tags.occupiedSlots(word); occupied != 0; occupied &= occupied - 1) {
                int slot = (local << 3) + Tags.slotOfLowest(occupied);
                int hash32 = array.hashAt(slot);
                if ((hash32 & groupMask) != group) {
                    continue;
                }
                long position = Integer.reverse(hash32) & 0xFFFF_FFFFL;
                byte[] key = array.keyAt(slot);
                if (isAfterCursor(position, key) && range.contains(key)
                        && (stepKey == null || isBefore(position, key, stepPosition, stepKey))) {
                    stepPosition = position;
                    stepKey = key;
                    stepValue = array.valueAt(slot);
                }
            }
            next = Tags.hasEmpty(word) ? null : array.overflow[local];
        }
    }

    @Override
    StepResult commitStep() {
        if (stepKey != null) {
            cursorPosition = stepPosition;
            cursorKey = stepKey;
            return StepResult.FOUND;
        }
        cursorPosition = stepNextGroup;
        cursorKey = null;
        return cursorPosition >= POSITION_END ? StepResult.EXHAUSTED : StepResult.CONTINUE;
    }

    private boolean isAfterCursor(long position, byte[] key) {
        if (cursorKey == null) {
            return position >= cursorPosition;
        }
        return position > cursorPosition || (position == cursorPosition && Arrays.compareUnsigned(key, cursorKey) > 0);
    }

    private static boolean isBefore(long position, byte[] key, long otherPosition, byte[] otherKey) {
        return position < otherPosition || (position == otherPosition && Arrays.compareUnsigned(key, otherKey) < 0);
    }
}
