package io.bucketmap.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The hash-order iterator's group buffer (see {@link HashOrderIterator}): served only while nothing was written
 * since it was read, or only the entry just returned was deleted, and correct for groups longer than the buffer.
 */
class HashOrderIteratorTest {
    private static final long SEED = 11;

    private static byte[] key(int i) {
        return ("risk-event-" + i).getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static BucketMap mapOf(List<byte[]> keys) {
        BucketMap map = BucketMap.withSeed(false, SEED);
        for (byte[] key : keys) {
            map.put(key, key);
        }
        return map;
    }

    private static List<byte[]> keys(int count) {
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(key(i));
        }
        return keys;
    }

    @Test
    void keysDeletedWhileTheIteratorHoldsTheirGroupAreNotReturned() {
        List<byte[]> keys = keys(10_000);
        BucketMap map = mapOf(keys);
        try (BucketMapIterator iterator = map.iterator()) {
            byte[] first = iterator.next().key();
            for (byte[] key : keys) {
                if (!text(key).equals(text(first))) {
                    map.delete(key);
                }
            }
            assertThat(iterator.hasNext()).as("an entry after every other key was deleted").isFalse();
        }
    }

    @Test
    void aSweepThatDeletesEveryTenthKeyItSeesVisitsEveryKeyExactlyOnce() {
        BucketMap map = mapOf(keys(100_000));
        Set<String> seen = new HashSet<>();
        int deleted = 0;
        try (BucketMapIterator iterator = map.iterator()) {
            while (iterator.hasNext()) {
                BucketMap.Entry entry = iterator.next();
                assertThat(seen.add(text(entry.key()))).as("%s returned twice", text(entry.key())).isTrue();
                assertThat(entry.value()).isEqualTo(entry.key());
                if (seen.size() % 10 == 0) {
                    map.delete(entry.key());
                    deleted++;
                }
            }
        }
        assertThat(seen).hasSize(100_000);
        assertThat(map.size()).isEqualTo(100_000 - deleted);
    }

    /** Keys that share one bucket at every table size up to 4,096 buckets: one group, held by one buffer. */
    private static List<byte[]> oneGroup(int size) {
        KeyHasher hasher = new KeyHasher(SEED);
        List<byte[]> colliding = new ArrayList<>();
        for (int i = 0; colliding.size() < size; i++) {
            if (((int) hasher.hash(key(i)) >>> 20) == 0) {
                colliding.add(key(i));
            }
        }
        return colliding;
    }

    private static List<String> walk(BucketMap map) {
        List<String> order = new ArrayList<>();
        try (BucketMapIterator iterator = map.iterator()) {
            iterator.forEachRemaining(entry -> order.add(text(entry.key())));
        }
        return order;
    }

    /**
     * The buffer survives the caller's delete of the entry just returned, and only that delete: one write that deletes
     * another key of the buffered group sends the iterator back to the table, so the deleted key is not returned.
     */
    @Test
    void onlyTheDeleteOfTheEntryJustReturnedKeepsTheGroupBuffer() {
        BucketMap map = mapOf(oneGroup(8));
        List<String> order = walk(map);
        try (BucketMapIterator iterator = map.iterator()) {
            assertThat(text(iterator.next().key())).isEqualTo(order.get(0));
            map.delete(order.get(0).getBytes(StandardCharsets.US_ASCII)); // the entry just returned: buffer kept
            assertThat(text(iterator.next().key())).isEqualTo(order.get(1));
            map.delete(order.get(2).getBytes(StandardCharsets.US_ASCII)); // the next buffered entry: buffer dropped
            assertThat(text(iterator.next().key())).isEqualTo(order.get(3));
            List<String> rest = new ArrayList<>();
            iterator.forEachRemaining(entry -> rest.add(text(entry.key())));
            assertThat(rest).containsExactlyElementsOf(order.subList(4, order.size()));
        }
    }

    @Test
    void aGroupLongerThanTheBufferIsReturnedWholeAndOnceEvenWhenWrittenMidway() {
        int groupSize = 3 * HashOrderIterator.GROUP_BUFFER_CAPACITY;
        List<byte[]> colliding = oneGroup(groupSize);
        BucketMap map = mapOf(colliding);
        Set<String> seen = new HashSet<>();
        try (BucketMapIterator iterator = map.iterator()) {
            while (iterator.hasNext()) {
                assertThat(seen.add(text(iterator.next().key()))).isTrue();
                if (seen.size() == groupSize / 2) {
                    map.put(colliding.get(0), colliding.get(0));
                }
            }
        }
        assertThat(seen).hasSize(groupSize);
    }

    /** Steps move over empty groups, and groups with nothing in range, several at a time: none of them hides an entry. */
    @Test
    void aWalkOfAThinnedMapAndARangeWalkReturnEveryMatchingKeyOnce() {
        BucketMap map = mapOf(keys(100_000));
        Set<String> survivors = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            if (i % 37 == 0) {
                survivors.add(text(key(i)));
            } else {
                map.delete(key(i));
            }
        }
        List<String> walked = new ArrayList<>();
        try (BucketMapIterator iterator = map.iterator()) {
            iterator.forEachRemaining(entry -> walked.add(text(entry.key())));
        }
        assertThat(walked).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(survivors);

        KeyRange range = KeyRange.withPrefix(key(370));
        List<String> inRange = new ArrayList<>();
        try (BucketMapIterator iterator = map.iterator(range, false)) {
            iterator.forEachRemaining(entry -> inRange.add(text(entry.key())));
        }
        assertThat(inRange).containsExactlyInAnyOrder(
                survivors.stream().filter(k -> k.startsWith(text(key(370)))).toArray(String[]::new));
    }
}
