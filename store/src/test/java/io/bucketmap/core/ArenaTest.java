package io.bucketmap.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The arena's records, pages and space accounting, on its own and through a map whose entries come and go. */
class ArenaTest {

    private static byte[] filled(int length, int seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void recordsOfEveryLengthHeaderWidthReadBackAsWritten() {
        Arena arena = new Arena(16);
        int[] lengths = {0, 1, 127, 128, 129, 1_000, 16_383, 16_384, 70_000};
        List<int[]> written = new ArrayList<>();
        for (int keyLength : lengths) {
            for (int valueLength : lengths) {
                int address = arena.append(filled(keyLength, keyLength), filled(valueLength, -valueLength));
                written.add(new int[] {address, keyLength, valueLength});
            }
        }
        int[] addresses = new int[written.size()];
        for (int i = 0; i < written.size(); i++) {
            int[] record = written.get(i);
            addresses[i] = record[0];
            assertThat(arena.copyKey(record[0])).isEqualTo(filled(record[1], record[1]));
            assertThat(arena.copyValue(record[0])).isEqualTo(filled(record[2], -record[2]));
            assertThat(arena.valueLength(record[0])).isEqualTo(record[2]);
            assertThat(arena.keyEquals(record[0], filled(record[1], record[1]))).isTrue();
            assertThat(arena.compareKey(record[0], filled(record[1], record[1]))).isZero();
        }
        arena.checkInvariants(addresses, addresses.length, false);
    }

    @Test
    void aShorterValueIsWrittenInPlaceEvenWhenItsLengthTakesOneByteLessAndTheFreedBytesAreDead() {
        Arena arena = new Arena(12);
        byte[] key = text("key");
        int address = arena.append(key, filled(200, 1));
        long before = arena.recordBytes();

        assertThat(arena.overwriteValue(address, filled(100, 2))).isTrue();

        assertThat(arena.copyKey(address)).isEqualTo(key);
        assertThat(arena.copyValue(address)).isEqualTo(filled(100, 2));
        assertThat(arena.recordBytes()).isEqualTo(before - (Arena.extentOf(3, 200) - Arena.extentOf(3, 100)));
        assertThat(arena.overwriteValue(address, filled(101, 3))).as("a longer value moves out").isFalse();
        arena.checkInvariants(new int[] {address}, 1, false);
    }

    @Test
    void aRecordLargerThanAnEighthOfAPageGetsAPageOfItsOwnWhichGoesWithIt() {
        Arena arena = new Arena(10);
        int small = arena.append(text("a"), filled(10, 1));
        int large = arena.append(text("b"), filled(500, 2));
        assertThat(arena.pagesHeld()).isEqualTo(2);
        assertThat(arena.copyValue(large)).isEqualTo(filled(500, 2));
        assertThat(arena.overwriteValue(large, filled(100, 3))).as("less than half of an own page: moves out")
                .isFalse();

        arena.free(large);

        assertThat(arena.pagesHeld()).isEqualTo(1);
        arena.checkInvariants(new int[] {small}, 1, false);
    }

    @Test
    void aSealedPageIsReleasedWithItsLastRecordAndTheAppendPageRefillsFromItsStart() {
        Arena arena = new Arena(9);
        List<Integer> addresses = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            addresses.add(arena.append(text("k" + i), filled(20, i)));
        }
        int pages = arena.pagesHeld();
        assertThat(pages).isGreaterThan(3);
        for (int address : addresses) {
            arena.free(address);
        }

        assertThat(arena.pagesHeld()).as("only the append page is left").isEqualTo(1);
        assertThat(arena.recordBytes()).isZero();
        int again = arena.append(text("k"), filled(20, 1));
        assertThat(arena.offsetOf(again)).isZero();
        arena.checkInvariants(new int[] {again}, 1, false);
    }

    /**
     * A reader on another thread may read a record while the writer overwrites it: garbage lengths must end in an
     * exception (which validation discards), never in an allocation as large as the garbage says.
     */
    @Test
    void aCopyWhoseLengthRunsPastItsPageFailsInsteadOfAllocatingIt() {
        byte[] page = new byte[256];
        Arrays.fill(page, (byte) 0xFF);

        assertThat(Arena.lengths(page, 0) >>> 32).as("a garbage value length").isGreaterThan(page.length);
        assertThatThrownBy(() -> Arena.copyOut(page, 2, Integer.MAX_VALUE)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Arena.copyOut(page, 200, 57)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(Arena.copyOut(page, 200, 56)).hasSize(56);
    }

    /**
     * Mass deletion through a map: a tenth of the keys survive, spread over every page; compaction moves them together
     * (a few per write, then at commit-time advances) until the arena holds little more than their records.
     */
    @Test
    void afterMassDeletionCompactionGivesThePagesBack() {
        BucketMap map = new BucketMap(true, new KeyHasher(1), 12);
        int count = 50_000;
        for (int i = 0; i < count; i++) {
            map.put(text(String.format("key-%06d", i)), filled(40, i));
        }
        long filledPages = map.stats().arenaPages();
        for (int i = 0; i < count; i++) {
            if (i % 10 != 0) {
                map.delete(text(String.format("key-%06d", i)));
            }
        }
        while (map.advanceMigration(64)) {
            map.checkInvariants();
        }
        map.checkInvariants();

        BucketMapStats stats = map.stats();
        assertThat(stats.arenaPages()).isLessThan(filledPages / 5);
        assertThat(stats.arenaBytes()).as("page bytes against live record bytes")
                .isLessThanOrEqualTo(2 * stats.recordBytes() + 4L * 4096);
        for (int i = 0; i < count; i += 10) {
            assertThat(map.get(text(String.format("key-%06d", i)))).isEqualTo(filled(40, i));
        }
    }
}
