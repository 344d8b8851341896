package io.bucketmap.store;

import io.bucketmap.core.BucketMap;
import io.bucketmap.core.BucketMapIterator;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The changes made since the last commit, each key once with its latest value or a delete: what the next commit
 * writes to the local copy. Holding copies of the values (in the maps' arenas) lets a commit hand the whole set to the
 * background writer in O(1), without reading the store again.
 *
 * <p>Invariant: a key absent here has the same value (or absence) in the store as in the last commit; a key is in at
 * most one of {@link #written} and {@link #deleted}. A key that the last commit did not hold, added since and deleted
 * again, is forgotten: the copy never held it, so there is nothing to write. That keeps the set bounded by the store's
 * size plus the keys deleted that the last commit held, even when the workload inserts and deletes a stream of fresh
 * keys, as timeout eviction does.
 *
 * <p>Cost: a write to a hash-order {@link BucketMap} or two per change, plus one for the first change of a key the last
 * commit did not hold (and one delete for each when such a key is deleted). Writer thread only; once handed to the copy
 * writer ({@link #entries}), no longer written.
 */
final class PendingChanges {
    /** The value {@link #entries} gives a deleted key. Compared by identity: no map hands out this array. */
    static final byte[] TOMBSTONE = new byte[0];
    private static final byte[] MARK = new byte[0];

    /** Key to latest value, for the keys written since the last commit and not deleted after. */
    private final BucketMap written = BucketMap.hashOrdered();
    /** The keys deleted since the last commit that it may have held (values: empty). */
    private final BucketMap deleted = BucketMap.hashOrdered();
    /** The keys of {@link #written} that the last commit did not hold. */
    private final BucketMap addedSinceCommit = BucketMap.hashOrdered();
    private long bytes;

    /**
     * The store now holds {@code value} for {@code key}; {@code mayHaveHadValue} is false only if it certainly held
     * none before (while the copy loads, a key not loaded yet may be in the copy: then it counts as held, and a later
     * delete is written even if the copy turns out not to hold the key, which is harmless).
     */
    void putApplied(byte[] key, byte[] value, boolean mayHaveHadValue) {
        int previousLength = written.set(key, value);
        if (previousLength >= 0) {
            bytes += value.length - previousLength;
        } else if (deleted.remove(key) >= 0) {
            bytes += value.length; // its key is counted already, with the delete it replaces
        } else {
            bytes += key.length + value.length;
            if (!mayHaveHadValue) {
                addedSinceCommit.set(key, MARK); // first change since the commit, of a key it did not hold
            }
        }
    }

    /** The store deleted the value it held for {@code key}. */
    void deleteApplied(byte[] key) {
        int previousLength = written.remove(key);
        if (addedSinceCommit.remove(key) >= 0) {
            bytes -= key.length + previousLength;
            return;
        }
        boolean deletedBefore = deleted.set(key, MARK) >= 0;
        if (previousLength >= 0) {
            bytes -= previousLength; // its key stays counted, for the delete
        } else if (!deletedBefore) {
            bytes += key.length;
        }
    }

    /**
     * Each changed key once with its value, or {@link #TOMBSTONE} (that very array) for a deleted key, in no particular
     * order. Not thread-safe; the caller closes it.
     */
    Changes entries() {
        return new Changes(written.iterator(), deleted.iterator());
    }

    int size() {
        return written.size() + deleted.size();
    }

    /** Bytes of the keys and values the next commit writes (not counting RocksDB's or the JVM's overhead). */
    long bytes() {
        return bytes;
    }

    /** The written keys with their values, then the deleted keys with {@link #TOMBSTONE}. */
    static final class Changes implements Iterator<BucketMap.Entry>, AutoCloseable {
        private final BucketMapIterator written;
        private final BucketMapIterator deleted;

        private Changes(BucketMapIterator written, BucketMapIterator deleted) {
            this.written = written;
            this.deleted = deleted;
        }

        @Override
        public boolean hasNext() {
            return written.hasNext() || deleted.hasNext();
        }

        @Override
        public BucketMap.Entry next() {
            if (written.hasNext()) {
                return written.next();
            }
            if (deleted.hasNext()) {
                return new BucketMap.Entry(deleted.next().key(), TOMBSTONE);
            }
            throw new NoSuchElementException("no more changes");
        }

        @Override
        public void close() {
            written.close();
            deleted.close();
        }
    }
}
