package io.bucketmap.core;

/**
 * Iterates an ordered map's keys in unsigned byte order, ascending or descending, through its
 * {@link OrderedKeyIndex}; each value is read at the entry handle beside its key in the leaf, in the same read step
 * (no hash probe).
 *
 * <p>Position: the last key reached. While the index's structure version is unchanged the iterator continues
 * from the leaf it was in (O(1); also when the only change to the leaf was the removal of the key just returned, a
 * punctuator deleting what it walks; a binary search in that leaf if it changed otherwise). After a split, borrow or
 * merge it descends again from the root to the first key after the last one reached (O(log n)). Either way the
 * next key is "the smallest key greater than the last one reached" (the largest smaller one, descending) in the
 * index as it is now: exactly-once for keys present throughout, whatever happened in between.
 */
final class OrderedIterator extends BucketMapIterator {
    private final boolean descending;

    private byte[] cursorKey;
    private OrderedKeyIndex.Leaf leaf;
    private int position;
    private long leafVersion;
    private long structureVersion;

    /**
     * A leaf, at a version, and where the far bound falls in it (see {@link #inRangeLimit}); found by a step, adopted
     * only when that step validated, so that a torn read never vouches for a leaf.
     */
    private OrderedKeyIndex.Leaf inRangeLeaf;
    private long inRangeVersion;
    private int inRangeLimit;
    private OrderedKeyIndex.Leaf stepInRangeLeaf;
    private long stepInRangeVersion;
    private int stepInRangeLimit;

    /** The leaf whose values {@link #readAhead} read last. */
    private OrderedKeyIndex.Leaf readAheadLeaf;

    private OrderedKeyIndex.Leaf stepLeaf;
    private int stepPosition;
    private long stepLeafVersion;
    private long stepStructureVersion;

    OrderedIterator(BucketMap map, KeyRange range, boolean descending) {
        super(map, range);
        this.descending = descending;
    }

    @Override
    void readStep() {
        OrderedKeyIndex index = map.index;
        stepKey = null;
        stepValue = null;
        stepWriteCount = map.writeCount;
        stepStructureVersion = index.structureVersion;
        stepInRangeLeaf = inRangeLeaf;
        stepInRangeVersion = inRangeVersion;
        stepInRangeLimit = inRangeLimit;
        OrderedKeyIndex.Leaf at;
        int atPosition;
        if (cursorKey == null) {
            at = startLeaf(index);
            atPosition = startPosition(at);
        } else if (leaf != null && structureVersion == stepStructureVersion) {
            at = leaf;
            if (at.version == leafVersion) {
                atPosition = descending ? position - 1 : position + 1;
            } else if (index.onlyRemovedSince(at, leafVersion, cursorKey)) {
                atPosition = descending ? position - 1 : position; // the caller deleted the key it was just given
            } else {
                atPosition = descending ? at.lowerBound(cursorKey) - 1 : at.upperBound(cursorKey);
            }
        } else {
            at = index.findLeaf(cursorKey);
            atPosition = descending ? at.lowerBound(cursorKey) - 1 : at.upperBound(cursorKey);
        }
        if (descending) {
            while (atPosition < 0) {
                at = at.prev;
                if (at == null) {
                    return;
                }
                atPosition = at.size - 1;
            }
        } else {
            while (atPosition >= at.size) {
                at = at.next;
                if (at == null) {
                    return;
                }
                atPosition = 0;
            }
        }
        int limit = inRangeLimit(at);
        if (descending ? atPosition <= limit : atPosition >= limit) {
            return;
        }
        if (at != readAheadLeaf) {
            readAhead(at, atPosition, limit);
        }
        int handle = at.handleAt(atPosition);
        stepLeaf = at;
        stepPosition = atPosition;
        stepLeafVersion = at.version;
        stepKey = map.entries.copyKey(handle);
        stepValue = map.entries.copyValue(handle); // the same record: its line is in cache after the key
    }

    /**
     * Where the range's far bound falls in {@code at}: ascending, the first position whose key is beyond the upper bound
     * ({@code at.size} if none); descending, the last position whose key is below the lower bound (-1 if none). Steps
     * in the leaf then compare positions, not keys: comparing a key with the bound reads its array elsewhere in the
     * heap, a cache miss per entry, where one search of the leaf's heads answers for all of them (and a leaf wholly
     * within the bound needs no search: the bound is past the leaf's prefix or last head). Remembered per leaf and
     * version: a leaf that changed is searched again.
     */
    private int inRangeLimit(OrderedKeyIndex.Leaf at) {
        long version = at.version;
        if (at == stepInRangeLeaf && version == stepInRangeVersion) {
            return stepInRangeLimit;
        }
        int limit;
        if (descending) {
            byte[] lower = range.lower();
            limit = lower == null ? -1 : (range.lowerInclusive() ? at.lowerBound(lower) : at.upperBound(lower)) - 1;
        } else {
            byte[] upper = range.upper();
            limit = upper == null ? at.size : range.upperInclusive() ? at.upperBound(upper) : at.lowerBound(upper);
        }
        stepInRangeLeaf = at;
        stepInRangeVersion = version;
        stepInRangeLimit = limit;
        return limit;
    }

    /**
     * Reads the first byte of every record the walk has still to return from {@code at}, up to the range's {@code limit}
     * in it, in one tight loop: those reads do not depend on each other, so their cache misses overlap, where copying
     * each record as it is returned waits for one miss at a time. A hint only: set by steps that may not validate, a
     * wrong one costs a read-ahead missed or repeated, never a wrong answer.
     */
    private void readAhead(OrderedKeyIndex.Leaf at, int atPosition, int limit) {
        int from = descending ? limit + 1 : atPosition;
        int to = descending ? atPosition + 1 : limit;
        long touched = 0;
        for (int i = from; i < to; i++) {
            touched += map.entries.touch(at.handleAt(i));
        }
        readAheadSink += touched;
        readAheadLeaf = at;
    }

    private OrderedKeyIndex.Leaf startLeaf(OrderedKeyIndex index) {
        byte[] bound = descending ? range.upper() : range.lower();
        if (bound == null) {
            return descending ? index.lastLeaf() : index.firstLeaf();
        }
        return index.findLeaf(bound);
    }

    private int startPosition(OrderedKeyIndex.Leaf at) {
        if (descending) {
            byte[] upper = range.upper();
            if (upper == null) {
                return at.size - 1;
            }
            return (range.upperInclusive() ? at.upperBound(upper) : at.lowerBound(upper)) - 1;
        }
        byte[] lower = range.lower();
        if (lower == null) {
            return 0;
        }
        return range.lowerInclusive() ? at.lowerBound(lower) : at.upperBound(lower);
    }

    @Override
    StepResult commitStep() {
        if (stepKey == null) {
            return StepResult.EXHAUSTED;
        }
        cursorKey = stepKey;
        inRangeLeaf = stepInRangeLeaf;
        inRangeVersion = stepInRangeVersion;
        inRangeLimit = stepInRangeLimit;
        leaf = stepLeaf;
        position = stepPosition;
        leafVersion = stepLeafVersion;
        structureVersion = stepStructureVersion;
        return StepResult.FOUND;
    }
}
