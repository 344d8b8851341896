package io.bucketmap.core;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@link BucketMap#checkInvariants()} passes on a healthy map and catches each kind of corruption it is there to catch:
 * every test below breaks one structure behind the map's back and expects the check to name it.
 */
class InvariantCheckTest {
    /** The maps' hash seed: a test hashes keys as the map does to find their slots. */
    private static final long SEED = 42;

    private static byte[] key(int i) {
        return String.format("key-%06d", i).getBytes(StandardCharsets.US_ASCII);
    }

    private static BucketMap filled(boolean ordered, int entries) {
        BucketMap map = BucketMap.withSeed(ordered, SEED);
        for (int i = 0; i < entries; i++) {
            map.put(key(i), ("value-" + i).getBytes(StandardCharsets.US_ASCII));
        }
        while (map.advanceMigration(1_024)) {
            map.checkInvariants();
        }
        return map;
    }

    /** The table slot that holds {@code key}. */
    private static SlotProbe slotOf(BucketMap map, byte[] key) {
        SlotProbe probe = new SlotProbe();
        long hash = new KeyHasher(SEED).hash(key);
        map.table.locate(key, (int) hash, Tags.tagOf(hash), probe);
        return probe;
    }

    @Test
    void aHealthyMapPassesThroughGrowthShrinkingAndIteration() {
        for (boolean ordered : new boolean[] {true, false}) {
            BucketMap map = filled(ordered, 20_000);
            for (int i = 0; i < 19_000; i++) {
                map.delete(key(i));
            }
            assertThatCode(map::checkInvariants).doesNotThrowAnyException();
        }
    }

    @Test
    void aSlotWhoseStoredHashIsNotItsKeysIsCaught() {
        BucketMap map = filled(false, 1_000);
        SlotProbe probe = slotOf(map, key(7));
        int handle = probe.foundArray.handleAt(probe.foundSlot);
        probe.foundArray.occupy(probe.foundSlot, probe.foundArray.hashAt(probe.foundSlot) ^ 1,
                Tags.tagAt(probe.foundArray.tagWord(probe.foundSlot >>> 3), probe.foundSlot & 7), handle);

        assertThatThrownBy(map::checkInvariants).isInstanceOf(InvariantViolation.class).hasMessageContaining("hashes to");
    }

    @Test
    void aSlotThatRefersToAFreedEntryIsCaught() {
        BucketMap map = filled(false, 1_000);
        SlotProbe probe = slotOf(map, key(7));
        map.entries.remove(probe.foundArray.handleAt(probe.foundSlot));

        assertThatThrownBy(map::checkInvariants).isInstanceOf(InvariantViolation.class)
                .hasMessageContaining("holds no entry");
    }

    @Test
    void aDeletedSlotLeftAtTheEndOfAChainIsCaught() {
        BucketMap map = filled(false, 1_000);
        SlotProbe probe = slotOf(map, key(7));
        BucketArray array = probe.foundArray;
        int bucket = probe.foundSlot >>> 3;
        long word = array.tagWord(bucket);
        int lastOccupied = 63 - Long.numberOfLeadingZeros(Tags.occupiedSlots(word)) >>> 3;
        array.setTagWord(bucket, Tags.withTag(word, lastOccupied, Tags.DELETED));

        assertThatThrownBy(map::checkInvariants).isInstanceOf(InvariantViolation.class)
                .hasMessageContaining("DELETED");
    }

    @Test
    void aBucketMarkedEvacuatedOutsideAMigrationIsCaught() {
        BucketMap map = filled(false, 1_000);
        map.table.chunkOf(0).markEvacuated(0);

        assertThatThrownBy(map::checkInvariants).isInstanceOf(InvariantViolation.class)
                .hasMessageContaining("evacuated");
    }

    @Test
    void anIndexHeadThatDisagreesWithItsKeyIsCaught() {
        BucketMap map = filled(true, 1_000);
        OrderedKeyIndex.Leaf leaf = map.index.firstLeaf();
        leaf.slots[0] ^= 1;

        assertThatThrownBy(map::checkInvariants).isInstanceOf(InvariantViolation.class).hasMessageContaining("head");
    }

    @Test
    void anIndexLeafPointingAtAnotherEntrysHandleIsCaught() {
        BucketMap map = filled(true, 1_000);
        OrderedKeyIndex.Leaf leaf = map.index.firstLeaf();
        leaf.setHandle(0, leaf.handleAt(1));

        assertThatThrownBy(map::checkInvariants).isInstanceOf(InvariantViolation.class);
    }
}
