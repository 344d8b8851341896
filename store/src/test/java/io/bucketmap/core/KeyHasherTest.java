package io.bucketmap.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * Keys that look alike to a weak hash (one byte apart, sequential numbers, long shared prefixes) spread evenly:
 * a chi-square test over 1,024 buckets, for the low bits (bucket choice) and the top byte (tags).
 */
class KeyHasherTest {
    private static final int BUCKETS = 1024;
    /** Chi-square with 1,023 degrees of freedom: mean 1,023, standard deviation ~45; 6 sigma above the mean. */
    private static final double CHI_SQUARE_LIMIT = 1023 + 6 * Math.sqrt(2 * 1023);
    private static final int TAGS = 256;
    /** Chi-square with 255 degrees of freedom: mean 255, standard deviation ~22.6; 6 sigma above the mean. */
    private static final double TAG_CHI_SQUARE_LIMIT = 255 + 6 * Math.sqrt(2 * 255);

    private final KeyHasher hasher = new KeyHasher(0x5eed);

    /** A key hashed where it lies inside a larger array (an arena page) hashes as the key on its own. */
    @Test
    void aKeyInsideALargerArrayHashesAsTheKeyAlone() {
        java.util.Random random = new java.util.Random(3);
        for (int length = 0; length <= 70; length++) {
            byte[] key = new byte[length];
            random.nextBytes(key);
            for (int offset : new int[] {0, 1, 7, 13}) {
                byte[] page = new byte[offset + length + 9];
                random.nextBytes(page);
                System.arraycopy(key, 0, page, offset, length);
                assertThat(hasher.hash(page, offset, length)).as("length %d at offset %d", length, offset)
                        .isEqualTo(hasher.hash(key));
            }
        }
    }

    @Test
    void keysDifferingInOneByteSpreadEvenly() {
        List<byte[]> keys = new ArrayList<>();
        byte[] base = "risk-event-0000123456".getBytes(StandardCharsets.US_ASCII);
        for (int position = 0; position < base.length; position++) {
            for (int b = 0; b < 256; b++) {
                byte[] key = base.clone();
                key[position] = (byte) b;
                keys.add(key);
            }
        }
        assertEvenlySpread(keys);
    }

    @Test
    void sequentialNumericKeysSpreadEvenly() {
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            keys.add(String.format("risk-event-%010d", i).getBytes(StandardCharsets.US_ASCII));
        }
        assertEvenlySpread(keys);
        List<byte[]> binary = new ArrayList<>();
        for (long i = 0; i < 100_000; i++) {
            binary.add(ByteBuffer.allocate(8).putLong(i).array());
        }
        assertEvenlySpread(binary);
    }

    @Test
    void keysWithALongSharedPrefixSpreadEvenly() {
        byte[] prefix = new byte[300];
        Arrays.fill(prefix, (byte) 'p');
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            byte[] suffix = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
            byte[] key = Arrays.copyOf(prefix, prefix.length + suffix.length);
            System.arraycopy(suffix, 0, key, prefix.length, suffix.length);
            keys.add(key);
        }
        assertEvenlySpread(keys);
    }

    @Test
    void shortKeysOfEveryLengthUpToThirtyTwoBytesSpreadEvenly() {
        List<byte[]> keys = new ArrayList<>();
        for (int length = 0; length <= 32; length++) {
            int distinct = length >= 2 ? 3_000 : 1 << (8 * length);
            for (int i = 0; i < distinct; i++) {
                byte[] key = new byte[length];
                for (int b = 0; b < Math.min(4, length); b++) {
                    key[length - 1 - b] = (byte) (i >>> (8 * b));
                }
                keys.add(key);
            }
        }
        assertEvenlySpread(keys);
    }

    @Test
    void differentSeedsGiveUnrelatedHashes() {
        KeyHasher other = new KeyHasher(0x5eed + 1);
        byte[] key = "risk-event-0000123456".getBytes(StandardCharsets.US_ASCII);
        assertThat(Long.bitCount(hasher.hash(key) ^ other.hash(key))).isBetween(16, 48);
    }

    private void assertEvenlySpread(List<byte[]> keys) {
        double lowBits = chiSquare(keys, BUCKETS, key -> (int) hasher.hash(key) & (BUCKETS - 1));
        double topByte = chiSquare(keys, TAGS, key -> (int) (hasher.hash(key) >>> 56));
        assertThat(lowBits).as("chi-square of the bucket (low 10 bits) over %d keys", keys.size()).isLessThan(CHI_SQUARE_LIMIT);
        assertThat(topByte).as("chi-square of the tag (top byte) over %d keys", keys.size()).isLessThan(TAG_CHI_SQUARE_LIMIT);
    }

    private static double chiSquare(List<byte[]> keys, int cells, ToIntFunction<byte[]> cellOf) {
        long[] counts = new long[cells];
        for (byte[] key : keys) {
            counts[cellOf.applyAsInt(key)]++;
        }
        double expected = (double) keys.size() / cells;
        double sum = 0;
        for (long count : counts) {
            sum += (count - expected) * (count - expected) / expected;
        }
        return sum;
    }
}
