package io.bucketmap.store;

import io.bucketmap.core.BucketMap;
import io.bucketmap.core.BucketMapIterator;

/**
 * The changes made since the last commit, each key once with its latest value or a delete: what the next commit
 * writes to the local copy. Holding the values (references to the arrays the store holds anyway) lets a commit hand
 * the whole set to the background writer in O(1), without reading the store again.
 *
 * <p>Invariant: a key absent here has the same value (or absence) in the store as in the last commit. A key that the
 * last commit did not hold, added since and deleted again, is forgotten: the copy never held it, so there is nothing to
 * write. That keeps the set bounded by the store's size plus the keys deleted that the last commit held, even when the
 * workload inserts and deletes a stream of fresh keys, as timeout eviction does.
 *
 * <p>Cost: a put in a hash-order {@link BucketMap} per change, plus one for the first change of a key the last commit
 * did not hold (and one delete for each when such a key is deleted). Writer thread only; once handed to the copy
 * writer ({@link #entries}), no longer written.
 */
final class PendingChanges {
    /** Marks a delete. Compared by identity. */
    static final byte[] TOMBSTONE = new byte[0];
    private static final byte[] ADDED = new byte[0];

    /** Key to latest value, or {@link #TOMBSTONE}. */
    private final BucketMap latest = BucketMap.hashOrdered();
    /** The keys of {@link #latest} that the last commit did not hold. */
    private final BucketMap addedSinceCommit = BucketMap.hashOrdered();
    private long bytes;

    /**
     * The store now holds {@code value} for {@code key}; {@code mayHaveHadValue} is false only if it certainly held
     * none before (while the copy loads, a key not loaded yet may be in the copy: then it counts as held, and a later
     * delete is written even if the copy turns out not to hold the key, which is harmless).
     */
    void putApplied(byte[] key, byte[] value, boolean mayHaveHadValue) {
        byte[] previous = latest.put(key, value);
        if (previous == null) {
            bytes += key.length + value.length;
            if (!mayHaveHadValue) {
                addedSinceCommit.put(key, ADDED); // first change since the commit, of a key it did not hold
            }
        } else {
            bytes += value.length - previous.length;
        }
    }

    /** The store deleted the value it held for {@code key}. */
    void deleteApplied(byte[] key) {
        if (addedSinceCommit.delete(key) != null) {
            byte[] previous = latest.delete(key);
            bytes -= key.length + previous.length;
            return;
        }
        byte[] previous = latest.put(key, TOMBSTONE);
        bytes -= previous == null ? -key.length : previous.length;
    }

    /** Each changed key once with its value or {@link #TOMBSTONE}, in no particular order. The caller closes it. */
    BucketMapIterator entries() {
        return latest.iterator();
    }

    int size() {
        return latest.size();
    }


    /** Bytes of the keys and values the next commit writes (not counting RocksDB's or the JVM's overhead). */
    long bytes() {
        return bytes;
    }
}
