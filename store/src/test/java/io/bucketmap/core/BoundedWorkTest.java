package io.bucketmap.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * No write ever pays for the whole table: migrations move a bounded number of buckets per write. The map's invariants
 * ({@link BucketMap#checkInvariants()}, O(entries)) are checked after every operation of the small maps; on the large ones
 * after the first thousand operations, at every power-of-two operation and whenever a migration starts or ends (after
 * every one of millions of writes, the checks would cost the square of the map's size).
 */
class BoundedWorkTest {

    private static byte[] key(int i) {
        return String.format("risk-event-%010d", i).getBytes(StandardCharsets.US_ASCII);
    }

    /** Runs the writes of one test, checking the map's invariants on the schedule the class comment gives. */
    private static final class CheckedWrites {
        private final BucketMap map;
        private final boolean everyOperation;
        private long operations;
        private BucketMapStats.MigrationState lastState = BucketMapStats.MigrationState.IDLE;
        /** Buckets evacuated by all writes before this one. */
        private long evacuatedBefore;
        /** The most buckets one write moved. */
        long mostBucketsMovedByOneWrite;

        CheckedWrites(BucketMap map, boolean everyOperation) {
            this.map = map;
            this.everyOperation = everyOperation;
        }

        void put(byte[] key, byte[] value) {
            map.put(key, value);
            afterWrite();
        }

        byte[] delete(byte[] key) {
            byte[] previous = map.delete(key);
            afterWrite();
            return previous;
        }

        private void afterWrite() {
            BucketMapStats stats = map.stats();
            mostBucketsMovedByOneWrite = Math.max(mostBucketsMovedByOneWrite, stats.bucketsEvacuated() - evacuatedBefore);
            evacuatedBefore = stats.bucketsEvacuated();
            operations++;
            boolean stateChanged = stats.migration() != lastState;
            lastState = stats.migration();
            if (everyOperation || operations <= 1_000 || Long.bitCount(operations) == 1 || stateChanged) {
                map.checkInvariants();
            }
        }
    }

    @Test
    void noWriteMovesMoreThanTheBoundWhileGrowingToTwoMillionAndShrinkingToZero() {
        BucketMap map = BucketMap.hashOrdered();
        CheckedWrites writes = new CheckedWrites(map, false);
        byte[] value = new byte[8];
        int count = 2_000_000;
        for (int i = 0; i < count; i++) {
            writes.put(key(i), value);
        }
        BucketMapStats grown = map.stats();
        assertThat(grown.buckets()).isGreaterThanOrEqualTo(count / 7);
        for (int i = 0; i < count; i++) {
            writes.delete(key(i));
        }
        BucketMapStats shrunk = map.stats();

        assertThat(writes.mostBucketsMovedByOneWrite)
                .as("most buckets moved by one write")
                .isPositive()
                .isLessThanOrEqualTo(BucketMap.MAX_BUCKETS_MOVED_PER_WRITE);
        assertThat(grown.migrationsFinished()).as("growths").isGreaterThanOrEqualTo(18);
        assertThat(shrunk.migrationsFinished() - grown.migrationsFinished()).as("shrinks").isGreaterThanOrEqualTo(10);
        assertThat(shrunk.entries()).isZero();
    }

    @Test
    void everyWriteKeepsTheInvariantsWhileAnOrderedMapGrowsToFiveThousandAndShrinksToZero() {
        BucketMap map = BucketMap.ordered();
        CheckedWrites writes = new CheckedWrites(map, true);
        byte[] value = new byte[8];
        int count = 5_000;
        for (int i = 0; i < count; i++) {
            writes.put(key((i * 7_919) % count), value);
        }
        for (int i = 0; i < count; i++) {
            assertThat(writes.delete(key((i * 104_729) % count))).isEqualTo(value);
        }

        assertThat(writes.mostBucketsMovedByOneWrite).isPositive()
                .isLessThanOrEqualTo(BucketMap.MAX_BUCKETS_MOVED_PER_WRITE);
        assertThat(map.stats().migrationsFinished()).as("growths and shrinks").isGreaterThanOrEqualTo(15);
    }

    @Test
    void memoryReturnsAfterMassDeletion() {
        BucketMap churned = BucketMap.ordered();
        BucketMap fresh = BucketMap.ordered();
        CheckedWrites writes = new CheckedWrites(churned, false);
        byte[] value = new byte[8];
        int count = 1_000_000;
        for (int i = 0; i < count; i++) {
            writes.put(key(i), value);
        }
        for (int i = 0; i < count; i++) {
            if (i % 100 != 0) {
                writes.delete(key(i));
            } else {
                fresh.put(key(i), value);
            }
        }
        BucketMapStats afterDeletion = churned.stats();
        BucketMapStats survivorsOnly = fresh.stats();

        assertThat(afterDeletion.entries()).isEqualTo(survivorsOnly.entries()).isEqualTo(count / 100);
        assertThat(afterDeletion.structureBytes())
                .as("tables and index after deleting 99%% vs a map that only held the survivors (%s vs %s)",
                        afterDeletion, survivorsOnly)
                .isLessThanOrEqualTo(4 * survivorsOnly.structureBytes());
    }

    @Test
    void manyDeletesAndReinsertsInPlaceTriggerARebuildThatClearsDeletedSlots() {
        BucketMap map = BucketMap.hashOrdered();
        CheckedWrites writes = new CheckedWrites(map, false);
        byte[] value = new byte[8];
        for (int i = 0; i < 100_000; i++) {
            writes.put(key(i), value);
        }
        // Replace the key population while keeping the size steady: holes appear in every chain.
        for (int round = 1; round <= 10; round++) {
            for (int i = 0; i < 100_000; i += 2) {
                writes.delete(key((round - 1) * 1_000_000 + i));
                writes.put(key(round * 1_000_000 + i), value);
            }
        }
        BucketMapStats stats = map.stats();
        assertThat(stats.deletedSlots()).isLessThanOrEqualTo(3 * stats.buckets());
        assertThat(stats.entries()).isEqualTo(100_000);
    }

    @Test
    void advancingAMigrationWithoutWritesFinishesTheShrinkAndHandsTheOldTableBack() {
        BucketMap map = BucketMap.ordered();
        CheckedWrites writes = new CheckedWrites(map, false);
        byte[] value = new byte[8];
        for (int i = 0; i < 200_000; i++) {
            writes.put(key(i), value);
        }
        int i = 0;
        while (map.stats().migration() != BucketMapStats.MigrationState.SHRINKING) {
            writes.delete(key(i++));
        }
        long heldWhileShrinking = map.stats().structureBytes();

        int calls = 0;
        while (map.advanceMigration(1_000)) {
            map.checkInvariants();
            calls++;
        }
        map.checkInvariants();

        BucketMapStats idle = map.stats();
        assertThat(idle.migration()).isEqualTo(BucketMapStats.MigrationState.IDLE);
        assertThat(calls).isPositive();
        assertThat(idle.structureBytes()).isLessThan(heldWhileShrinking);
        for (int k = i; k < 200_000; k++) {
            assertThat(map.get(key(k))).isEqualTo(value);
        }
        assertThat(map.advanceMigration(1_000)).isFalse();
    }

    @Test
    void deletingAbsentKeysAllocatesNoBuckets() {
        BucketMap map = BucketMap.hashOrdered();
        CheckedWrites writes = new CheckedWrites(map, true);
        long empty = map.stats().structureBytes();
        for (int i = 0; i < 1_000; i++) {
            assertThat(writes.delete(key(i))).isNull();
        }
        assertThat(map.stats().structureBytes()).isEqualTo(empty);
        writes.put(key(0), new byte[8]);
        assertThat(map.stats().structureBytes()).isGreaterThan(empty);
    }
}
