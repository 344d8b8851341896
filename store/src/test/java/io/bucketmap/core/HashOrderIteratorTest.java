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
 * since it was read, and correct for groups longer than the buffer.
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

    @Test
    void aGroupLongerThanTheBufferIsReturnedWholeAndOnceEvenWhenWrittenMidway() {
        int groupSize = 3 * HashOrderIterator.GROUP_BUFFER_CAPACITY;
        KeyHasher hasher = new KeyHasher(SEED);
        List<byte[]> colliding = new ArrayList<>();
        for (int i = 0; colliding.size() < groupSize; i++) {
            if ((hasher.hash(key(i)) & 0xFFF) == 0) {
                colliding.add(key(i));
            }
        }
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
