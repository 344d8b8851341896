package io.bucketmap.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class EntrySlabTest {

    private static byte[] bytes(int i) {
        return ByteBuffer.allocate(4).putInt(i).array();
    }

    @Test
    void handlesAreDenseAndAnInsertReusesTheLowestFreeHandle() {
        EntrySlab slab = new EntrySlab();
        for (int i = 0; i < 10; i++) {
            assertThat(slab.add(bytes(i), bytes(-i))).isEqualTo(i);
        }
        slab.remove(7);
        slab.remove(3);

        assertThat(slab.add(bytes(100), bytes(-100))).isEqualTo(3);
        assertThat(slab.add(bytes(101), bytes(-101))).isEqualTo(7);
        assertThat(slab.add(bytes(102), bytes(-102))).isEqualTo(10);
        assertThat(slab.copyKey(3)).isEqualTo(bytes(100));
        assertThat(slab.copyValue(7)).isEqualTo(bytes(-101));
        assertThat(slab.size()).isEqualTo(11);
    }

    @Test
    void removingTheTopEntriesReleasesTheirChunks() {
        EntrySlab slab = new EntrySlab();
        long empty = slab.estimatedBytes();
        int count = 5 * EntrySlab.CHUNK;
        for (int i = 0; i < count; i++) {
            slab.add(bytes(i), bytes(i));
        }
        long full = slab.estimatedBytes();
        for (int i = count - 1; i >= EntrySlab.CHUNK; i--) {
            slab.remove(i);
        }

        assertThat(slab.highestLive()).isEqualTo(EntrySlab.CHUNK - 1);
        assertThat(slab.estimatedBytes() - empty).isLessThan((full - empty) / 4);
    }

    @Test
    void aSparseSlabMovesItsHighestEntryIntoTheLowestFreeHandle() {
        EntrySlab slab = new EntrySlab();
        int count = 4 * EntrySlab.CHUNK;
        for (int i = 0; i < count; i++) {
            slab.add(bytes(i), bytes(-i));
        }
        for (int i = 0; i < count - 10; i++) {
            slab.remove(i);
        }
        assertThat(slab.isSparse()).isTrue();

        int top = slab.highestLive();
        int moved = slab.moveDown(top);

        assertThat(moved).isZero();
        assertThat(slab.copyKey(0)).isEqualTo(bytes(top));
        assertThat(slab.copyValue(0)).isEqualTo(bytes(-top));
        assertThat(slab.highestLive()).isEqualTo(top - 1);
        assertThat(slab.size()).isEqualTo(10);
    }
}
