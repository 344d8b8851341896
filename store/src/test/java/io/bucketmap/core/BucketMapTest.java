package io.bucketmap.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BucketMapTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static List<String> keysOf(BucketMapIterator iterator) {
        List<String> keys = new ArrayList<>();
        try (iterator) {
            while (iterator.hasNext()) {
                keys.add(text(iterator.next().key()));
            }
        }
        return keys;
    }

    /**
     * The stats' record bytes are exact after any mix of inserts, updates (in place and moved) and deletes: one record
     * per entry, its two length headers, key and value rounded up to the arena's alignment.
     */
    @Test
    void recordBytesStayExactThroughUpdatesAndDeletes() {
        for (boolean ordered : new boolean[] {true, false}) {
            BucketMap map = ordered ? BucketMap.ordered() : BucketMap.hashOrdered();
            TreeMap<String, byte[]> model = new TreeMap<>();
            java.util.Random random = new java.util.Random(5);
            for (int step = 0; step < 10_001; step++) {
                String key = "key-" + random.nextInt(500);
                if (random.nextInt(3) == 0) {
                    map.delete(bytes(key));
                    model.remove(key);
                } else {
                    byte[] value = new byte[random.nextInt(300)];
                    map.put(bytes(key), value);
                    model.put(key, value);
                }
                if (step % 997 == 0 || step == 10_000) {
                    long expected = 0;
                    for (var entry : model.entrySet()) {
                        expected += Arena.extentOf(bytes(entry.getKey()).length, entry.getValue().length);
                    }
                    BucketMapStats stats = map.stats();
                    assertThat(stats.recordBytes()).as("after step %d", step).isEqualTo(expected);
                    assertThat(stats.arenaBytes()).isGreaterThanOrEqualTo(expected);
                    assertThat(stats.estimatedHeapBytes() - stats.structureBytes()).isGreaterThanOrEqualTo(stats.arenaBytes());
                    map.checkInvariants();
                }
            }
        }
    }

    @Test
    void getReturnsWhatPutStoredAndKeysCompareByContent() {
        BucketMap map = BucketMap.ordered();
        map.put(bytes("a"), bytes("1"));
        assertThat(map.get(bytes("a"))).isEqualTo(bytes("1"));
        assertThat(map.get(bytes("b"))).isNull();
    }

    @Test
    void putReturnsThePreviousValueAndUpdatesInPlace() {
        BucketMap map = BucketMap.hashOrdered();
        assertThat(map.put(bytes("k"), bytes("v1"))).isNull();
        assertThat(map.put(bytes("k"), bytes("v2"))).isEqualTo(bytes("v1"));
        assertThat(map.get(bytes("k"))).isEqualTo(bytes("v2"));
        assertThat(map.size()).isEqualTo(1);
    }

    @Test
    void putIfAbsentKeepsAnExistingValue() {
        BucketMap map = BucketMap.ordered();
        assertThat(map.putIfAbsent(bytes("k"), bytes("v1"))).isNull();
        assertThat(map.putIfAbsent(bytes("k"), bytes("v2"))).isEqualTo(bytes("v1"));
        assertThat(map.get(bytes("k"))).isEqualTo(bytes("v1"));
    }

    @Test
    void deleteReturnsTheRemovedValueAndForgetsTheKey() {
        BucketMap map = BucketMap.ordered();
        map.put(bytes("k"), bytes("v"));
        assertThat(map.delete(bytes("k"))).isEqualTo(bytes("v"));
        assertThat(map.delete(bytes("k"))).isNull();
        assertThat(map.get(bytes("k"))).isNull();
        assertThat(map.size()).isZero();
    }

    @Test
    void nullKeysAndValuesAreRejectedWithAClearMessage() {
        BucketMap map = BucketMap.ordered();
        assertThatThrownBy(() -> map.put(null, bytes("v"))).isInstanceOf(NullPointerException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> map.get(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> map.delete(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> map.put(bytes("k"), null)).isInstanceOf(NullPointerException.class).hasMessageContaining("delete");
    }

    @Test
    void aPresizedMapTakesItsExpectedEntriesWithoutMigrating() {
        BucketMap map = BucketMap.hashOrdered(100_000);
        long buckets = map.stats().buckets();
        for (int i = 0; i < 100_000; i++) {
            map.put(bytes("key-" + i), bytes("value-" + i));
        }
        assertThat(map.stats().buckets()).isEqualTo(buckets);
        assertThat(map.stats().migrationsFinished()).isZero();
        assertThat(map.stats().bucketsEvacuated()).isZero();
        assertThat(map.stats().migration()).isEqualTo(BucketMapStats.MigrationState.IDLE);
        for (int i = 0; i < 100_000; i++) {
            assertThat(map.get(bytes("key-" + i))).isEqualTo(bytes("value-" + i));
        }
    }

    @Test
    void aPresizedEmptyMapDoesNotShrinkOnItsFirstWrites() {
        BucketMap map = BucketMap.ordered(1_000_000);
        long buckets = map.stats().buckets();
        for (int i = 0; i < 1_000; i++) {
            map.put(bytes("key-" + i), bytes("value-" + i));
        }
        assertThat(map.stats().buckets()).isEqualTo(buckets).isGreaterThanOrEqualTo(1_000_000 * 2 / 13);
        assertThat(map.stats().migration()).isEqualTo(BucketMapStats.MigrationState.IDLE);
    }

    @Test
    void aMapPresizedForTooManyEntriesShrinksOnceAnEighthOfTheEstimateIsDeleted() {
        BucketMap map = BucketMap.hashOrdered(4_000);
        for (int i = 0; i < 1_000; i++) {
            map.put(bytes("key-" + i), bytes("value-" + i));
        }
        for (int i = 0; i < 499; i++) {
            map.delete(bytes("key-" + i));
        }
        assertThat(map.stats().migration()).as("after 499 deletes").isEqualTo(BucketMapStats.MigrationState.IDLE);
        map.delete(bytes("key-499"));
        assertThat(map.stats().migration()).as("after 500 deletes").isEqualTo(BucketMapStats.MigrationState.SHRINKING);
        for (int i = 500; i < 1_000; i++) {
            assertThat(map.get(bytes("key-" + i))).isEqualTo(bytes("value-" + i));
        }
    }

    @Test
    void aFewDeletesInARestoredTailDoNotShrinkAPresizedTable() {
        BucketMap map = BucketMap.ordered(100_000);
        for (int i = 0; i < 10_000; i++) {
            map.put(bytes("key-" + i), bytes("value-" + i));
        }
        map.put(bytes("key-tail"), bytes("value"));
        map.delete(bytes("key-tail"));

        assertThat(map.stats().migration()).isEqualTo(BucketMapStats.MigrationState.IDLE);
        assertThat(map.stats().migrationsFinished()).isZero();
    }

    @Test
    void aMapPresizedForTooFewEntriesGrowsAsUsual() {
        BucketMap map = BucketMap.hashOrdered(1_000);
        for (int i = 0; i < 100_000; i++) {
            map.put(bytes("key-" + i), bytes("value-" + i));
        }
        assertThat(map.stats().buckets()).isGreaterThanOrEqualTo(100_000 * 2 / 13);
        assertThat(map.size()).isEqualTo(100_000);
        for (int i = 0; i < 100_000; i++) {
            assertThat(map.get(bytes("key-" + i))).isEqualTo(bytes("value-" + i));
        }
    }

    @Test
    void presizeRefusesAMapThatHoldsEntries() {
        BucketMap map = BucketMap.hashOrdered();
        map.put(bytes("key"), bytes("value"));
        assertThatThrownBy(() -> map.presize(10)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> BucketMap.hashOrdered(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMillionKeysGrowAndShrinkBackWithEveryLookupRight() {
        BucketMap map = BucketMap.hashOrdered();
        int count = 1_000_000;
        for (int i = 0; i < count; i++) {
            map.put(bytes("key-" + i), bytes("value-" + i));
        }
        assertThat(map.size()).isEqualTo(count);
        for (int i = 0; i < count; i++) {
            assertThat(map.get(bytes("key-" + i))).isEqualTo(bytes("value-" + i));
        }
        for (int i = 0; i < count; i++) {
            assertThat(map.delete(bytes("key-" + i))).isEqualTo(bytes("value-" + i));
        }
        assertThat(map.size()).isZero();
        assertThat(map.stats().buckets()).isLessThanOrEqualTo(2);
    }

    @Test
    void orderedIterationReturnsKeysInUnsignedByteOrder() {
        BucketMap map = BucketMap.ordered();
        TreeMap<String, String> model = new TreeMap<>();
        for (int i = 0; i < 10_000; i++) {
            String key = String.format("k%05d", (i * 7919) % 10_000);
            map.put(bytes(key), bytes("v"));
            model.put(key, "v");
        }
        assertThat(keysOf(map.iterator())).containsExactlyElementsOf(model.keySet());
        assertThat(keysOf(map.iterator(KeyRange.closed(bytes("k00100"), bytes("k00199")), false)))
                .containsExactlyElementsOf(model.subMap("k00100", true, "k00199", true).keySet());
        assertThat(keysOf(map.iterator(KeyRange.closed(bytes("k00100"), bytes("k00199")), true)))
                .containsExactlyElementsOf(model.subMap("k00100", true, "k00199", true).descendingKeySet());
        assertThat(keysOf(map.iterator(KeyRange.withPrefix(bytes("k0012")), false)))
                .containsExactlyElementsOf(model.subMap("k0012", true, "k0013", false).keySet());
    }

    /**
     * Ranges whose bounds fall inside leaves (present and absent bound keys, prefixes), spanning from part of one leaf
     * to many: an iterator finds where the far bound falls in each leaf once and walks to that position.
     */
    @Test
    void rangesEndWhereTheirBoundsFallInsideLeaves() {
        BucketMap map = BucketMap.ordered();
        TreeMap<String, String> model = new TreeMap<>();
        for (int i = 0; i < 20_000; i += 2) {
            String key = String.format("k%05d", i);
            map.put(bytes(key), bytes("v"));
            model.put(key, "v");
        }
        int[][] bounds = {{0, 0}, {3, 3}, {101, 130}, {100, 356}, {257, 2_049}, {1_001, 19_999}, {19_990, 30_000}};
        for (int[] bound : bounds) {
            String low = String.format("k%05d", bound[0]);
            String high = String.format("k%05d", bound[1]);
            assertThat(keysOf(map.iterator(KeyRange.closed(bytes(low), bytes(high)), false)))
                    .as("%s..%s ascending", low, high)
                    .containsExactlyElementsOf(model.subMap(low, true, high, true).keySet());
            assertThat(keysOf(map.iterator(KeyRange.closed(bytes(low), bytes(high)), true)))
                    .as("%s..%s descending", low, high)
                    .containsExactlyElementsOf(model.subMap(low, true, high, true).descendingKeySet());
        }
        for (String prefix : new String[] {"k0", "k001", "k0123", "k19998", "k2"}) {
            String end = prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
            assertThat(keysOf(map.iterator(KeyRange.withPrefix(bytes(prefix)), false))).as("prefix %s", prefix)
                    .containsExactlyElementsOf(model.subMap(prefix, true, end, false).keySet());
            assertThat(keysOf(map.iterator(KeyRange.withPrefix(bytes(prefix)), true))).as("prefix %s descending", prefix)
                    .containsExactlyElementsOf(model.subMap(prefix, true, end, false).descendingKeySet());
        }
    }

    /** A sweep deleting as it walks removes exactly the keys it deletes, whichever leaf position each stood at. */
    @Test
    void aSweepDeletingEveryThirdKeyLeavesTheOthers() {
        BucketMap map = BucketMap.ordered();
        TreeMap<String, String> model = new TreeMap<>();
        for (int i = 0; i < 5_000; i++) {
            String key = String.format("k%05d", (i * 7919) % 5_000);
            map.put(bytes(key), bytes("v"));
            model.put(key, "v");
        }
        int walked = 0;
        try (BucketMapIterator sweep = map.iterator()) {
            while (sweep.hasNext()) {
                byte[] key = sweep.next().key();
                if (walked++ % 3 == 0) {
                    assertThat(map.delete(key)).isNotNull();
                    model.remove(text(key));
                }
            }
        }
        assertThat(walked).isEqualTo(5_000);
        assertThat(keysOf(map.iterator())).containsExactlyElementsOf(model.keySet());
    }

    @Test
    void unsignedOrderPutsHighBytesLast() {
        BucketMap map = BucketMap.ordered();
        map.put(new byte[] {(byte) 0xFF}, bytes("high"));
        map.put(new byte[] {0x01}, bytes("low"));
        try (BucketMapIterator iterator = map.iterator()) {
            assertThat(iterator.next().key()).containsExactly(0x01);
            assertThat(iterator.next().key()).containsExactly(0xFF);
        }
    }

    @Test
    void hashOrderIterationReturnsEveryKeyOnce() {
        BucketMap map = BucketMap.hashOrdered();
        for (int i = 0; i < 50_000; i++) {
            map.put(bytes("k" + i), bytes("v"));
        }
        List<String> keys = keysOf(map.iterator());
        assertThat(keys).hasSize(50_000).doesNotHaveDuplicates();
    }

    @Test
    void deletingEveryKeyDuringAScanIsSafeWhileTheTableShrinks() {
        for (BucketMap map : List.of(BucketMap.ordered(), BucketMap.hashOrdered())) {
            for (int i = 0; i < 100_000; i++) {
                map.put(bytes("k" + i), bytes("v"));
            }
            int seen = 0;
            try (BucketMapIterator iterator = map.iterator()) {
                while (iterator.hasNext()) {
                    map.delete(iterator.next().key());
                    seen++;
                }
            }
            assertThat(seen).isEqualTo(100_000);
            assertThat(map.size()).isZero();
        }
    }

    /** Deletes of a sparse map move entries to lower handles: an open iterator still sees each survivor once. */
    @Test
    void iteratorsOpenWhileDeletesCompactTheEntriesReturnEverySurvivorOnceWithItsValue() {
        for (BucketMap map : List.of(BucketMap.ordered(), BucketMap.hashOrdered())) {
            int count = 50_000;
            for (int i = 0; i < count; i++) {
                map.put(bytes(String.format("k%06d", i)), bytes("v" + i));
            }
            TreeMap<String, String> survivors = new TreeMap<>();
            List<String> seen = new ArrayList<>();
            try (BucketMapIterator iterator = map.iterator()) {
                for (int i = 0; i < count; i++) {
                    if (i % 20 == 0) {
                        survivors.put(String.format("k%06d", i), "v" + i);
                    } else {
                        map.delete(bytes(String.format("k%06d", i)));
                    }
                    if (i % 100 == 0 && iterator.hasNext()) {
                        BucketMap.Entry entry = iterator.next();
                        seen.add(text(entry.key()) + "=" + text(entry.value()));
                    }
                }
                while (iterator.hasNext()) {
                    BucketMap.Entry entry = iterator.next();
                    seen.add(text(entry.key()) + "=" + text(entry.value()));
                }
            }
            List<String> expected = new ArrayList<>();
            survivors.forEach((key, value) -> expected.add(key + "=" + value));
            assertThat(seen).containsAll(expected).doesNotHaveDuplicates();
            for (var survivor : survivors.entrySet()) {
                assertThat(text(map.get(bytes(survivor.getKey())))).isEqualTo(survivor.getValue());
            }
            assertThat(map.entries.highestLive())
                    .as("entries moved down to give memory back")
                    .isLessThan(2 * map.size() + 2 * EntrySlab.CHUNK);
        }
    }

    @Test
    void anIteratorFailsClearlyAfterCloseAndClosesTwiceHarmlessly() {
        BucketMap map = BucketMap.ordered();
        map.put(bytes("k"), bytes("v"));
        BucketMapIterator iterator = map.iterator();
        iterator.close();
        iterator.close();
        assertThatThrownBy(iterator::hasNext).isInstanceOf(IllegalStateException.class).hasMessageContaining("close");
        assertThat(map.stats().openIterators()).isZero();
    }

    @Test
    void aForgottenIteratorBlocksNeitherGrowthNorShrinking() {
        BucketMap map = BucketMap.ordered();
        for (int i = 0; i < 1_000; i++) {
            map.put(bytes("k" + i), bytes("v"));
        }
        BucketMapIterator forgotten = map.iterator();
        assertThat(forgotten.hasNext()).isTrue();
        long migrationsBefore = map.stats().migrationsFinished();
        for (int i = 1_000; i < 200_000; i++) {
            map.put(bytes("k" + i), bytes("v"));
        }
        for (int i = 0; i < 200_000; i++) {
            map.delete(bytes("k" + i));
        }
        while (map.advanceMigration(1_024)) {
            // finish the last shrink
        }
        BucketMapStats stats = map.stats();
        assertThat(stats.migrationsFinished() - migrationsBefore).isGreaterThan(20);
        assertThat(stats.buckets()).isEqualTo(1);
        assertThat(stats.openIterators()).isEqualTo(1);
        assertThat(forgotten.next().key()).as("the entry it had reached").isEqualTo(bytes("k0"));
        assertThat(forgotten.hasNext()).as("then nothing: the map is empty now").isFalse();
    }

    @Test
    void twoThreadsWritingAtOnceFailLoudlyInsteadOfCorruptingTheMap() throws Exception {
        BucketMap map = BucketMap.hashOrdered();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        Runnable writer = () -> {
            try {
                start.await();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                for (int i = 0; failure.get() == null && System.nanoTime() < deadline; i++) {
                    map.put(bytes(Thread.currentThread().getName() + (i % 100_000)), bytes("v"));
                }
            } catch (Throwable thrown) {
                failure.compareAndSet(null, thrown);
            }
        };
        Thread first = new Thread(writer, "writer-1");
        Thread second = new Thread(writer, "writer-2");
        first.start();
        second.start();
        start.countDown();
        first.join();
        second.join();
        assertThat(failure.get())
                .isInstanceOf(ConcurrentModificationException.class)
                .hasMessageContaining("two threads at once");
    }
}
