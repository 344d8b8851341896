package io.bucketmap.bench;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The keys and values every benchmark uses, the shape of the risk-event example: keys
 * {@code risk-event-0000123456} (21 bytes) and values of 64 to 256 bytes. Both are a pure function of an id,
 * so every contender sees the same data in every run, and each call returns a fresh array, as Kafka's
 * serializers hand one to the store per call.
 *
 * <p>Thread-safe (stateless). Cost: one small allocation and O(length) work per call.
 */
public final class RiskEvents {
    /** Smallest value length in bytes. */
    public static final int MIN_VALUE_BYTES = 64;
    /** Largest value length in bytes. */
    public static final int MAX_VALUE_BYTES = 256;

    private static final byte[] PREFIX = "risk-event-".getBytes(StandardCharsets.US_ASCII);
    private static final int DIGITS = 10;

    private RiskEvents() {
    }

    /**
     * The key of event {@code id}: the prefix and {@code id} in ten zero-padded decimal digits.
     *
     * @throws IllegalArgumentException if {@code id} is negative or has more than ten digits
     */
    public static byte[] key(long id) {
        if (id < 0 || id >= 10_000_000_000L) {
            throw new IllegalArgumentException("event id out of range: " + id);
        }
        byte[] key = new byte[PREFIX.length + DIGITS];
        System.arraycopy(PREFIX, 0, key, 0, PREFIX.length);
        long rest = id;
        for (int i = key.length - 1; i >= PREFIX.length; i--) {
            key[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        return key;
    }

    /** The value of event {@code id}: pseudo-random bytes, its length spread evenly over 64..256. */
    public static byte[] value(long id) {
        SplittableRandom random = new SplittableRandom(id);
        byte[] value = new byte[random.nextInt(MIN_VALUE_BYTES, MAX_VALUE_BYTES + 1)];
        random.nextBytes(value);
        return value;
    }

    /** Heap bytes of a byte array on a 64-bit JVM: a 16-byte header, rounded up to 8 bytes. */
    public static long heapBytes(byte[] array) {
        return (16L + array.length + 7) & ~7L;
    }
}
