package io.bucketmap.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** No write ever pays for the whole table: migrations move a bounded number of buckets per write. */
class BoundedWorkTest {

    private static byte[] key(int i) {
        return String.format("risk-event-%010d", i).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void noWriteMovesMoreThanTheBoundWhileGrowingToTwoMillionAndShrinkingToZero() {
        BucketMap map = BucketMap.hashOrdered();
        byte[] value = new byte[8];
        int count = 2_000_000;
        for (int i = 0; i < count; i++) {
            map.put(key(i), value);
        }
        BucketMapStats grown = map.stats();
        assertThat(grown.buckets()).isGreaterThanOrEqualTo(count / 7);
        for (int i = 0; i < count; i++) {
            map.delete(key(i));
        }
        BucketMapStats shrunk = map.stats();

        assertThat(map.mostBucketsMovedByOneWrite)
                .as("most buckets moved by one write")
                .isPositive()
                .isLessThanOrEqualTo(BucketMap.MAX_BUCKETS_MOVED_PER_WRITE);
        assertThat(grown.migrationsFinished()).as("growths").isGreaterThanOrEqualTo(18);
        assertThat(shrunk.migrationsFinished() - grown.migrationsFinished()).as("shrinks").isGreaterThanOrEqualTo(10);
        assertThat(shrunk.entries()).isZero();
    }

    @Test
    void memoryReturnsAfterMassDeletion() {
        BucketMap churned = BucketMap.ordered();
        BucketMap fresh = BucketMap.ordered();
        byte[] value = new byte[8];
        int count = 1_000_000;
        for (int i = 0; i < count; i++) {
            churned.put(key(i), value);
        }
        for (int i = 0; i < count; i++) {
            if (i % 100 != 0) {
                churned.delete(key(i));
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
        byte[] value = new byte[8];
        for (int i = 0; i < 100_000; i++) {
            map.put(key(i), value);
        }
        // Replace the key population while keeping the size steady: holes appear in every chain.
        for (int round = 1; round <= 10; round++) {
            for (int i = 0; i < 100_000; i += 2) {
                map.delete(key((round - 1) * 1_000_000 + i));
                map.put(key(round * 1_000_000 + i), value);
            }
        }
        BucketMapStats stats = map.stats();
        assertThat(stats.deletedSlots()).isLessThanOrEqualTo(3 * stats.buckets());
        assertThat(stats.entries()).isEqualTo(100_000);
    }

    @Test
    void advancingAMigrationWithoutWritesFinishesTheShrinkAndHandsTheOldTableBack() {
        BucketMap map = BucketMap.ordered();
        byte[] value = new byte[8];
        for (int i = 0; i < 200_000; i++) {
            map.put(key(i), value);
        }
        int i = 0;
        while (map.stats().migration() != BucketMapStats.MigrationState.SHRINKING) {
            map.delete(key(i++));
        }
        long heldWhileShrinking = map.stats().structureBytes();

        int calls = 0;
        while (map.advanceMigration(1_000)) {
            calls++;
        }

        BucketMapStats idle = map.stats();
        assertThat(idle.migration()).isEqualTo(BucketMapStats.MigrationState.IDLE);
        assertThat(calls).isPositive();
        assertThat(idle.structureBytes()).isLessThan(heldWhileShrinking);
        for (int k = i; k < 200_000; k++) {
            assertThat(map.get(key(k))).isSameAs(value);
        }
        assertThat(map.advanceMigration(1_000)).isFalse();
    }

    @Test
    void deletingAbsentKeysAllocatesNoBuckets() {
        BucketMap map = BucketMap.hashOrdered();
        long empty = map.stats().structureBytes();
        for (int i = 0; i < 1_000; i++) {
            assertThat(map.delete(key(i))).isNull();
        }
        assertThat(map.stats().structureBytes()).isEqualTo(empty);
        map.put(key(0), new byte[8]);
        assertThat(map.stats().structureBytes()).isGreaterThan(empty);
    }
}
