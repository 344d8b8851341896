package io.bucketmap.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A keyed 64-bit hash of a key's bytes, in the wyhash family (its "protected" mode): each 16-byte block is folded
 * into the state by a 64x64→128-bit multiply whose halves are xor-ed, which carries every input bit into every output
 * bit in two rounds.
 *
 * <h2>Why it is keyed this way</h2>
 * Every multiplication has a secret operand: the secrets are derived from the per-map seed (splitmix64), and each key
 * word enters a product only xor-ed with a secret or with the seeded state: a key word xor-ed with a public constant
 * would zero the product for one chosen word, and every key holding it would hash alike under every seed
 * ({@code docs/design.md}, section 5). Two defences:
 * <ol>
 *   <li>no public constant meets a key word, so nobody who lacks the seed can choose a word that zeroes a product;</li>
 *   <li>{@link #mix} returns {@code lo ^ hi ^ x ^ y}: should a factor still be zero (one key word in 2^64), the other
 *       factor, which carries the state, passes through instead of being lost.</li>
 * </ol>
 * The hash is not cryptographic; it only has to keep an attacker who does not know the seed from building chains.
 *
 * <p>Cost: about one multiply per 16 key bytes plus two, no allocation (the xors of the protected mode cost under a
 * nanosecond per hash: {@code benchmarks/results/2026-11-28-adversarial-keys.md}). Thread-safe (immutable).
 *
 * <p>Not final only so that tests can stand in a colliding hash to exercise the map's defences; production code loads
 * no subclass, so calls stay monomorphic.
 */
class KeyHasher {
    /** splitmix64's increment: consecutive secrets come from seeds this far apart. */
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** The state a hash starts from. */
    private final long initialState;
    /** Meets the first word of every 16-byte block of long keys, and the key length in the last round. */
    private final long blockSecret;
    /** Meets the first word of the last (or only) 16 bytes. */
    private final long tailSecret;

    KeyHasher(long seed) {
        // splitmix64 turns seeds that differ in one bit into unrelated secrets.
        this.initialState = splitmix64(seed + GOLDEN_GAMMA);
        this.blockSecret = splitmix64(seed + 2 * GOLDEN_GAMMA);
        this.tailSecret = splitmix64(seed + 3 * GOLDEN_GAMMA);
    }

    long hash(byte[] key) {
        return hash(key, 0, key.length);
    }

    /** The hash of the {@code length} key bytes of {@code bytes} from {@code offset}: the same as of a copy of them. */
    long hash(byte[] bytes, int offset, int length) {
        long state = initialState;
        long a;
        long b;
        if (length <= 16) {
            if (length >= 4) {
                // Two overlapping 4-byte reads from each end cover every byte of keys of 4..16 bytes.
                int quarter = (length >>> 3) << 2;
                a = (readInt(bytes, offset) << 32) | readInt(bytes, offset + quarter);
                b = (readInt(bytes, offset + length - 4) << 32) | readInt(bytes, offset + length - 4 - quarter);
            } else if (length > 0) {
                a = ((long) (bytes[offset] & 0xFF) << 16) | ((long) (bytes[offset + (length >>> 1)] & 0xFF) << 8)
                        | (bytes[offset + length - 1] & 0xFF);
                b = 0;
            } else {
                a = 0;
                b = 0;
            }
        } else {
            int at = offset;
            int remaining = length;
            while (remaining > 16) {
                state = mix(readLong(bytes, at) ^ blockSecret, readLong(bytes, at + 8) ^ state);
                at += 16;
                remaining -= 16;
            }
            // The last 16 bytes, overlapping the previous block when the length is not a multiple of 16.
            a = readLong(bytes, offset + length - 16);
            b = readLong(bytes, offset + length - 8);
        }
        return mix(blockSecret ^ length, mix(a ^ tailSecret, b ^ state));
    }

    /**
     * wyhash's protected mixing step: the xor of the high and low halves of the unsigned 128-bit product, xor-ed
     * with both factors, so that a zero factor lets the other one through instead of erasing it.
     */
    static long mix(long x, long y) {
        long low = x * y;
        long high = Math.multiplyHigh(x, y) + ((x >> 63) & y) + ((y >> 63) & x);
        return low ^ high ^ x ^ y;
    }

    private static long splitmix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static long readLong(byte[] bytes, int offset) {
        return (long) LONG_LE.get(bytes, offset);
    }

    private static long readInt(byte[] bytes, int offset) {
        return ((int) INT_LE.get(bytes, offset)) & 0xFFFF_FFFFL;
    }
}
