package io.bucketmap.core;

/**
 * A snapshot of a {@link BucketMap}'s internals, taken under its read lock in O(1).
 *
 * @param entries            keys in the map
 * @param buckets            primary buckets of the current table (the new one during a migration)
 * @param overflowBuckets    overflow buckets of the current table and, during a migration, the old one
 * @param deletedSlots       free slots of the current table that lookups must still step over (holes before
 *                           occupied slots); an old table's holes vanish with the migration
 * @param migration          what the table is doing now
 * @param migrationDone      old buckets already swept by the running migration (0 when idle)
 * @param migrationTotal     old buckets the running migration must sweep (0 when idle)
 * @param bucketsEvacuated   buckets moved by all migrations since the map was created
 * @param migrationsFinished growths, shrinks and rebuilds completed since the map was created
 * @param indexNodes         nodes of the ordered key index (0 for a hash-order map)
 * @param structureBytes     tables, index and entry slab, without the arena that holds the keys and values, assuming
 *                           compressed references
 * @param estimatedHeapBytes structure plus the arena's pages: what the map holds on the heap
 * @param openIterators      iterators opened and not yet closed
 * @param ineffectiveRebuilds rebuilds that left as many overflow buckets as started them: keys whose hashes collide
 *                           at the map's seed (chance does not do this; crafted or pathological keys do)
 * @param reseeds            rebuilds that changed the hash seed to break such collisions (ordered maps only)
 * @param recordBytes        bytes of the live entries' records in the arena: keys, values and their length headers,
 *                           each record rounded up to the arena's alignment
 * @param arenaBytes         bytes of the arena's pages; what exceeds {@code recordBytes} is free space in the page being
 *                           filled, space dead records left (reclaimed by compaction) and unused page ends
 * @param arenaPages         pages the arena holds (one heap array each)
 */
public record BucketMapStats(
        long entries,
        long buckets,
        long overflowBuckets,
        long deletedSlots,
        MigrationState migration,
        long migrationDone,
        long migrationTotal,
        long bucketsEvacuated,
        long migrationsFinished,
        long indexNodes,
        long structureBytes,
        long estimatedHeapBytes,
        long openIterators,
        long ineffectiveRebuilds,
        long reseeds,
        long recordBytes,
        long arenaBytes,
        long arenaPages) {

    /** What the table is doing. */
    public enum MigrationState { IDLE, GROWING, SHRINKING, REBUILDING }

    /** Entries per primary bucket of the current table. */
    public double loadFactor() {
        return buckets == 0 ? 0 : (double) entries / buckets;
    }
}
