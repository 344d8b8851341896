package io.bucketmap.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Keys that share one chosen 8-byte word (what a binary serde produces when a field is constant, or what an attacker
 * produces on purpose) and are random elsewhere spread like random keys, and no chosen word makes keys hash alike
 * under every seed: the seed reaches every multiplication of {@link KeyHasher}.
 *
 * <p>The words include those that broke the previous hash: it xor-ed key words with the public constants below, so
 * a key holding one of them as a word zeroed a product and lost the seed.
 */
class KeyHasherSeedProperties {
    /** The constants the unkeyed predecessor mixed key words with (wyhash's defaults). */
    private static final long[] FORMERLY_FATAL_WORDS = {
        0xa0761d6478bd642fL, 0xe7037ed1a0b428dbL, 0x8ebc6af09c88c6e3L, 0x589965cc75374cc3L, 0L, -1L};
    private static final int KEYS = 4_096;
    private static final int BUCKETS = 256;
    /** Chi-square with 255 degrees of freedom: mean 255, standard deviation ~22.6; 6 sigma above the mean. */
    private static final double CHI_SQUARE_LIMIT = 255 + 6 * Math.sqrt(2 * 255);

    /** Ten bytes or more: two free bytes give enough distinct keys around the fixed word. */
    @Property(tries = 60)
    void keysSharingAFixedWordAtAnyOffsetSpreadAcrossBucketsLikeRandomKeys(
            @ForAll @IntRange(min = 10, max = 72) int length,
            @ForAll @IntRange(min = 0, max = 6) int wordChoice,
            @ForAll long randomWord,
            @ForAll long seed) {
        long word = wordChoice < FORMERLY_FATAL_WORDS.length ? FORMERLY_FATAL_WORDS[wordChoice] : randomWord;
        KeyHasher hasher = new KeyHasher(seed);
        Random random = new Random(seed ^ length);
        for (int offset = 0; offset + 8 <= length; offset++) {
            Set<ByteBuffer> keys = new HashSet<>();
            while (keys.size() < KEYS) {
                keys.add(ByteBuffer.wrap(keyWithFixedWord(random, length, offset, word)));
            }
            long[] counts = new long[BUCKETS];
            Set<Long> distinct = new HashSet<>();
            for (ByteBuffer key : keys) {
                long hash = hasher.hash(key.array());
                counts[(int) hash & (BUCKETS - 1)]++;
                distinct.add(hash);
            }
            assertThat(distinct).as("distinct hashes of %d keys, word at offset %d", KEYS, offset)
                    .hasSizeGreaterThan(KEYS - 2);
            assertThat(chiSquare(counts)).as("chi-square over %d buckets, word at offset %d", BUCKETS, offset)
                    .isLessThan(CHI_SQUARE_LIMIT);
        }
    }

    @Property(tries = 60)
    void aKeyWithAFixedWordAtAnyOffsetHashesDifferentlyUnderEverySeed(
            @ForAll @IntRange(min = 8, max = 72) int length,
            @ForAll long randomWord,
            @ForAll long seed) {
        Random random = new Random(seed);
        for (int choice = 0; choice <= FORMERLY_FATAL_WORDS.length; choice++) {
            long word = choice < FORMERLY_FATAL_WORDS.length ? FORMERLY_FATAL_WORDS[choice] : randomWord;
            for (int offset = 0; offset + 8 <= length; offset++) {
                byte[] key = keyWithFixedWord(random, length, offset, word);
                Set<Long> hashes = new HashSet<>();
                for (int i = 0; i < 16; i++) {
                    hashes.add(new KeyHasher(seed + i).hash(key));
                }
                assertThat(hashes).as("hashes of one key under 16 seeds, word %x at offset %d", word, offset)
                        .hasSize(16);
            }
        }
    }

    private static byte[] keyWithFixedWord(Random random, int length, int offset, long word) {
        byte[] key = new byte[length];
        random.nextBytes(key);
        ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).putLong(offset, word);
        return key;
    }

    private static double chiSquare(long[] counts) {
        double expected = (double) KEYS / counts.length;
        double sum = 0;
        for (long count : counts) {
            sum += (count - expected) * (count - expected) / expected;
        }
        return sum;
    }
}
