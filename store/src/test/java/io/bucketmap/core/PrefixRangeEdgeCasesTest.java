package io.bucketmap.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prefix ranges at the edges of the byte alphabet, on the ordered and the hash-order map: the empty prefix, a prefix of
 * 0xFF bytes only (no array follows every key that starts with it, so the range is open above) and one that ends in
 * 0xFF (the next prefix carries into the byte before, and a shorter key such as {@code 62} falls between the bounds
 * without starting with {@code 61 FF}). A prefix range holds exactly the keys that start with the prefix.
 */
class PrefixRangeEdgeCasesTest {
    private static final HexFormat HEX = HexFormat.of();
    /** Keys around each edge: the empty key, keys that are prefixes of others, keys of 0x00 and 0xFF bytes. */
    private static final List<String> KEYS = List.of("", "00", "61", "61ff", "61ff00", "61ffff", "62", "6200", "ff",
            "ffff", "ffff01", "ffffff");

    @ParameterizedTest(name = "ordered={0}")
    @ValueSource(booleans = {true, false})
    void theEmptyPrefixHoldsEveryKey(boolean ordered) {
        assertPrefixRangeHoldsExactlyTheKeysStartingWith("", ordered);
    }

    @ParameterizedTest(name = "ordered={0}")
    @ValueSource(booleans = {true, false})
    void aPrefixOfOnly0xFfBytesHoldsTheKeysStartingWithItAndIsOpenAbove(boolean ordered) {
        assertPrefixRangeHoldsExactlyTheKeysStartingWith("ff", ordered);
        assertPrefixRangeHoldsExactlyTheKeysStartingWith("ffff", ordered);
        assertPrefixRangeHoldsExactlyTheKeysStartingWith("ffffff", ordered);
    }

    @ParameterizedTest(name = "ordered={0}")
    @ValueSource(booleans = {true, false})
    void aPrefixEndingIn0xFfHoldsNoShorterKeyThatSortsBeforeItsNextPrefix(boolean ordered) {
        assertPrefixRangeHoldsExactlyTheKeysStartingWith("61ff", ordered);
        assertPrefixRangeHoldsExactlyTheKeysStartingWith("61ffff", ordered);
    }

    private static void assertPrefixRangeHoldsExactlyTheKeysStartingWith(String hexPrefix, boolean ordered) {
        BucketMap map = ordered ? BucketMap.ordered() : BucketMap.hashOrdered();
        for (String key : KEYS) {
            map.put(HEX.parseHex(key), HEX.parseHex(key));
        }
        KeyRange range = KeyRange.withPrefix(HEX.parseHex(hexPrefix));
        List<String> expected = KEYS.stream().filter(key -> key.startsWith(hexPrefix)).toList();

        List<String> ascending = keysOf(map.iterator(range, false));
        List<String> descending = keysOf(map.iterator(range, true));

        if (ordered) {
            assertThat(ascending).as("prefix %s", hexPrefix).containsExactlyElementsOf(expected);
            assertThat(descending).as("prefix %s descending", hexPrefix).containsExactlyElementsOf(reversed(expected));
        } else {
            assertThat(ascending).as("prefix %s", hexPrefix).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(descending).as("prefix %s descending", hexPrefix).containsExactlyInAnyOrderElementsOf(expected);
        }
        for (String key : KEYS) {
            assertThat(range.contains(HEX.parseHex(key))).as("prefix %s contains %s", hexPrefix, key)
                    .isEqualTo(key.startsWith(hexPrefix));
        }
    }

    private static List<String> keysOf(BucketMapIterator iterator) {
        List<String> keys = new ArrayList<>();
        try (iterator) {
            iterator.forEachRemaining(entry -> keys.add(HEX.formatHex(entry.key())));
        }
        return keys;
    }

    private static List<String> reversed(List<String> keys) {
        List<String> reversed = new ArrayList<>(keys);
        Collections.reverse(reversed);
        return reversed;
    }
}
