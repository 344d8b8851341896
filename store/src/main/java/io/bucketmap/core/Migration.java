package io.bucketmap.core;

/**
 * An incremental move of every entry from one table to the next: growing (to twice the buckets), shrinking
 * (to half) or rebuilding (same size, dropping overflow buckets and deleted slots). While it runs, the key
 * with hash {@code h} lives in the old table if its old bucket {@code from.bucketOf(h)} has not been
 * evacuated yet, and in the new table otherwise; every write first evacuates the bucket it is about to touch,
 * so new entries only ever go to the new table.
 *
 * <p>Progress: a sweep pointer; every bucket below it is evacuated, and the old table's chunks below it are
 * released. Each write evacuates its own bucket (if needed) and spends the rest of its budget of
 * {@link BucketMap#MAX_BUCKETS_MOVED_PER_WRITE} buckets on the sweep, so a migration of {@code n} old buckets ends
 * within {@code n} writes.
 */
final class Migration {
    /** What a migration does to the table size. */
    enum Kind { GROWING, SHRINKING, REBUILDING }

    final Kind kind;
    final BucketTable from;
    /**
     * The hash of the old table when a rebuild changes the seed (only an ordered map's: a hash-order map's iterators
     * walk in hash order, which must not change under them), else null: both tables hash alike.
     */
    final KeyHasher fromHasher;
    int sweep;

    Migration(Kind kind, BucketTable from, KeyHasher fromHasher) {
        this.kind = kind;
        this.from = from;
        this.fromHasher = fromHasher;
    }

    boolean isDone() {
        return sweep >= from.bucketCount();
    }

    /**
     * The table holding the key with this hash: the old one until its bucket is evacuated. Only for a migration that
     * keeps the seed (the hash-order iterator's groups); a reseeding one needs the key (see BucketMap).
     */
    BucketTable homeOf(int hash32, BucketTable to) {
        return from.isEvacuated(from.bucketOf(hash32)) ? to : from;
    }
}
