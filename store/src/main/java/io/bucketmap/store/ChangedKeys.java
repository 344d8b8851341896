package io.bucketmap.store;

import io.bucketmap.core.BucketMap;
import io.bucketmap.core.BucketMapIterator;

/**
 * The keys whose value differs, or may differ, from the last commit's: what the next commit must write to the local
 * copy. Each key is remembered once, with whether the last commit held it.
 *
 * <p>Invariant: a key absent here has the same value (or absence) in the map as in the last commit. A key added
 * since the last commit and deleted again is forgotten: the copy never held it, so there is nothing to write.
 * That keeps the set bounded by the store's size plus the keys deleted that the last commit held, even when
 * commits are rare (under {@code exactly_once_v2}, Kafka Streams writes a running task's local state only when it
 * suspends or closes it) and the workload inserts and deletes a stream of fresh keys, as timeout eviction does.
 *
 * <p>Cost: one put-if-absent in a hash-order {@link BucketMap} per change (a delete of a key added since the last
 * commit: one more delete). Writer thread only.
 */
final class ChangedKeys {
    /** Marks a key the last commit did not hold. Compared by identity. */
    private static final byte[] ADDED = new byte[0];
    /** Marks a key the last commit held (with some value). Compared by identity. */
    private static final byte[] CHANGED = new byte[0];

    private BucketMap keys = BucketMap.hashOrdered();

    /**
     * The store now holds a value for {@code key}; {@code mayHaveHadValue} is false only if it certainly held none
     * before (while the copy loads, a key not loaded yet may be in the copy: then it counts as CHANGED, and a later
     * delete is written even if the copy turns out not to hold the key, which is harmless).
     */
    void putApplied(byte[] key, boolean mayHaveHadValue) {
        keys.putIfAbsent(key, mayHaveHadValue ? CHANGED : ADDED);
    }

    /** The store deleted the value it held for {@code key}. */
    void deleteApplied(byte[] key) {
        if (keys.putIfAbsent(key, CHANGED) == ADDED) {
            keys.delete(key);
        }
    }

    /** Each changed key once (as the entries' keys), in no particular order. The caller closes it. */
    BucketMapIterator iterator() {
        return keys.iterator();
    }

    int size() {
        return keys.size();
    }

    /** Forgets every key (after a commit wrote them), releasing the memory they took. */
    void clear() {
        keys = BucketMap.hashOrdered();
    }
}
