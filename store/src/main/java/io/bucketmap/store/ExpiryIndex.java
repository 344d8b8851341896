package io.bucketmap.store;

import java.util.Map;
import java.util.TreeMap;

/**
 * Keys by when they expire, coarsely: deadlines fall into slots of {@code slotWidth} milliseconds, and each slot is a
 * {@link KeyLog} of the keys filed in it. A slot is <em>due</em> once every deadline it can hold has passed; due slots
 * hand out their keys oldest slot first ({@link #pollDue}). Within a slot keys are in filing order, not deadline
 * order: an entry leaves at most one slot width after its deadline, and reads hide it from its deadline on.
 *
 * <p>The index holds no value and no deadline, only keys, and it is never told of a key's update or deletion: the
 * caller files a key when its deadline moves into another slot, and checks each key handed out against the store's
 * current value of it (a key updated since, or deleted, is stale there and skipped). Invariant kept by the caller
 * ({@link ExpiringData}): every entry of the store whose deadline is finite has its key filed in the slot of that
 * deadline, and that slot is not due before the deadline passes. Stale keys leave when their slot comes due, so the
 * index holds at most the keys filed over one time to live and one slot.
 *
 * <p>Why slots and not an ordered set of (deadline, key): filing a key is an append (no search, no node per key, no
 * removal on update), and the index costs a key's bytes plus a byte or two per filing. A key updated all the time is
 * filed once per slot it moves through, at most {@code ttl / slotWidth + 1} times per time to live.
 *
 * <p>Costs: {@link #add} O(key length) plus O(log slots) when the slot differs from the last one filed to;
 * {@link #pollDue} O(key length + log slots). Not thread-safe: the store's writer thread only, except
 * {@link #size}, which any thread may read.
 */
final class ExpiryIndex {
    private final long slotWidth;
    private final TreeMap<Long, KeyLog> slots = new TreeMap<>();
    /** The slot filed to last, and its log: writes close in time file to the same slot. */
    private long lastSlot;
    private KeyLog lastSlotKeys;
    private volatile long size;

    ExpiryIndex(long slotWidth) {
        if (slotWidth < 1) {
            throw new IllegalArgumentException("slotWidth must be positive, got " + slotWidth);
        }
        this.slotWidth = slotWidth;
    }

    /** Files {@code key} (copied) in the slot of {@code deadline}. */
    void add(byte[] key, long deadline) {
        long slot = slotOf(deadline);
        KeyLog keys = lastSlotKeys;
        if (keys == null || slot != lastSlot) {
            keys = slots.computeIfAbsent(slot, ignored -> new KeyLog());
            lastSlot = slot;
            lastSlotKeys = keys;
        }
        keys.append(key);
        size++;
    }

    /** Whether two deadlines fall into the same slot (a key filed for one is filed for the other). */
    boolean sameSlot(long deadline, long otherDeadline) {
        return slotOf(deadline) == slotOf(otherDeadline);
    }

    /**
     * Removes and returns a key of the oldest due slot (every deadline it can hold is at or before {@code now}), or
     * null if no slot is due.
     */
    byte[] pollDue(long now) {
        Map.Entry<Long, KeyLog> oldest = slots.firstEntry();
        while (oldest != null && lastDeadlineOf(oldest.getKey()) <= now) {
            byte[] key = oldest.getValue().poll();
            if (key != null) {
                size--;
                return key;
            }
            slots.pollFirstEntry();
            if (oldest.getValue() == lastSlotKeys) {
                lastSlotKeys = null;
            }
            oldest = slots.firstEntry();
        }
        return null;
    }

    /** The keys filed and not handed out yet, stale ones included. Any thread. */
    long size() {
        return size;
    }

    private long slotOf(long deadline) {
        return Math.floorDiv(deadline, slotWidth);
    }

    /**
     * The largest deadline slot {@code slot} holds: {@code (slot + 1) * slotWidth - 1}, which fits in a long for every
     * slot but the last (whose own start may not: {@code Long.MIN_VALUE} is no multiple of most widths).
     */
    private long lastDeadlineOf(long slot) {
        return slot >= Math.floorDiv(Long.MAX_VALUE, slotWidth) ? Long.MAX_VALUE : (slot + 1) * slotWidth - 1;
    }
}
