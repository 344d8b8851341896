package io.bucketmap.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The map's defences when keys collide at its seed, exercised with a hash that gives every key the same value (what
 * crafted keys did to the former, unkeyed hash): colliding keys may make one map slower, never loop it, never lose a key.
 * The map's invariants ({@link BucketMap#checkInvariants()}) are checked after every operation.
 */
class CollidingKeysTest {
    private static final int KEYS = 4_000;
    private static final byte[] VALUE = new byte[8];

    /** Every key hashes to the same value, whatever the seed. */
    private static final class CollidingHasher extends KeyHasher {
        CollidingHasher() {
            super(0);
        }

        @Override
        long hash(byte[] bytes, int offset, int length) {
            return 0x5a5a_0000_0000_0007L;
        }
    }

    private static byte[] key(int i) {
        return String.format("colliding-%06d", i).getBytes(StandardCharsets.US_ASCII);
    }

    private static void finishMigration(BucketMap map) {
        while (map.advanceMigration(1024)) {
            map.checkInvariants();
        }
        map.checkInvariants();
    }

    private static void put(BucketMap map, byte[] key, byte[] value) {
        map.put(key, value);
        map.checkInvariants();
    }

    private static void delete(BucketMap map, byte[] key) {
        map.delete(key);
        map.checkInvariants();
    }

    @Test
    void aHashOrderMapOfCollidingKeysRebuildsOnlyWhenItsOverflowHasDoubled() {
        BucketMap map = new BucketMap(false, new CollidingHasher());
        AtomicInteger reports = new AtomicInteger();
        map.whenRebuildLeavesLongChains(reports::incrementAndGet);
        for (int i = 0; i < KEYS; i++) {
            put(map, key(i), VALUE);
        }
        finishMigration(map);
        BucketMapStats loaded = map.stats();
        // Churn that would restart an unhelpful rebuild at once: delete and re-insert keys, a thousand times.
        for (int round = 0; round < 1_000; round++) {
            delete(map, key(round));
            put(map, key(round), VALUE);
        }
        BucketMapStats churned = map.stats();

        assertThat(loaded.ineffectiveRebuilds()).as("rebuilds that left the chain as long").isPositive()
                .isLessThanOrEqualTo(12); // log2(4,000 keys / 8 slots) doublings of the chain, at most
        assertThat(reports.get()).isEqualTo((int) churned.ineffectiveRebuilds());
        assertThat(churned.migrationsFinished() - loaded.migrationsFinished())
                .as("migrations during churn that leaves the chain as long as it was").isLessThanOrEqualTo(1);
        assertThat(churned.reseeds()).as("a hash-order map keeps its hash order").isZero();
        for (int i = 0; i < KEYS; i++) {
            assertThat(map.get(key(i))).as("key %d", i).isEqualTo(VALUE);
        }
    }

    @Test
    void anOrderedMapOfCollidingKeysReseedsOnceAndItsChainsGoAway() {
        BucketMap map = new BucketMap(true, new CollidingHasher());
        List<byte[]> returned = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            put(map, key(i), VALUE);
            if (i % 97 == 0) {
                assertThat(map.get(key(i / 2))).as("key %d while keys move", i / 2).isEqualTo(VALUE);
            }
        }
        finishMigration(map);
        BucketMapStats stats = map.stats();
        try (BucketMapIterator entries = map.iterator()) {
            while (entries.hasNext()) {
                returned.add(entries.next().key());
            }
        }

        assertThat(stats.reseeds()).isEqualTo(1);
        assertThat(stats.overflowBuckets()).as("overflow buckets after the reseed")
                .isLessThan(stats.buckets() / 2);
        assertThat(returned).hasSize(KEYS);
        for (int i = 0; i < KEYS; i++) {
            assertThat(returned.get(i)).isEqualTo(key(i));
            assertThat(map.get(key(i))).as("key %d", i).isEqualTo(VALUE);
        }
    }

    /**
     * A restored batch of colliding keys reseeds an ordered map in its middle: the writes after the reseed hash their keys
     * again instead of using the hashes computed ahead of the batch, so every key stays reachable.
     */
    @Test
    void aBatchWriteThatReseedsMidwayRehashesTheRestOfItsKeys() {
        BucketMap map = new BucketMap(true, new CollidingHasher());
        byte[][] keys = new byte[KEYS][];
        byte[][] values = new byte[KEYS][];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = key(i);
            values[i] = VALUE;
        }

        map.writeAll(keys, values, new byte[KEYS][], KEYS);
        map.checkInvariants();
        finishMigration(map);

        assertThat(map.stats().reseeds()).isEqualTo(1);
        for (int i = 0; i < KEYS; i++) {
            assertThat(map.get(key(i))).as("key %d", i).isEqualTo(VALUE);
        }
    }

    @Test
    void movingAChainOfCollidingEntriesAppendsAtItsTailInsteadOfWalkingItPerEntry() {
        BucketTable from = new BucketTable(0, new EntrySlab());
        BucketTable to = new BucketTable(1, new EntrySlab());
        BucketTable.ChainTail tail = new BucketTable.ChainTail();
        for (int i = 0; i < KEYS; i++) {
            from.insertAbsent(tail, 7, 9, i);
        }

        from.evacuate(0, to, null);

        int chainBuckets = KEYS / BucketArray.SLOTS;
        assertThat(to.overflowBuckets()).isEqualTo(chainBuckets - 1);
        assertThat(to.evacuationChainSteps).as("overflow links followed to move %d entries", KEYS)
                .isLessThanOrEqualTo(chainBuckets);
    }
}
