package io.bucketmap.core;

import java.util.Arrays;

/**
 * A range of keys in unsigned lexicographic byte order (the order of Kafka's {@code Bytes}): an optional
 * lower and an optional upper bound, each inclusive or exclusive. Immutable; the bound arrays are not copied
 * and must not be changed while the range is in use.
 */
public final class KeyRange {
    private static final KeyRange ALL = new KeyRange(null, true, null, true);

    private final byte[] lower;
    private final boolean lowerInclusive;
    private final byte[] upper;
    private final boolean upperInclusive;

    private KeyRange(byte[] lower, boolean lowerInclusive, byte[] upper, boolean upperInclusive) {
        this.lower = lower;
        this.lowerInclusive = lowerInclusive;
        this.upper = upper;
        this.upperInclusive = upperInclusive;
    }

    /** Every key. */
    public static KeyRange all() {
        return ALL;
    }

    /** Keys from {@code from} to {@code to}, both inclusive; a null bound is open (Kafka's {@code range}). */
    public static KeyRange closed(byte[] from, byte[] to) {
        return new KeyRange(from, true, to, true);
    }

    /** Keys that start with {@code prefix}: {@code [prefix, prefix + 1)}, open above if the prefix is all 0xFF. */
    public static KeyRange withPrefix(byte[] prefix) {
        return new KeyRange(prefix, true, nextPrefix(prefix), false);
    }

    byte[] lower() {
        return lower;
    }

    boolean lowerInclusive() {
        return lowerInclusive;
    }

    byte[] upper() {
        return upper;
    }

    boolean upperInclusive() {
        return upperInclusive;
    }

    /** Whether {@code key} lies in the range. */
    public boolean contains(byte[] key) {
        return !isBelow(key) && !isAbove(key);
    }

    /** Whether the key held in {@code bytes[from, to)} (an arena page) lies in the range. */
    boolean contains(byte[] bytes, int from, int to) {
        if (lower != null) {
            int order = Arrays.compareUnsigned(bytes, from, to, lower, 0, lower.length);
            if (lowerInclusive ? order < 0 : order <= 0) {
                return false;
            }
        }
        if (upper != null) {
            int order = Arrays.compareUnsigned(bytes, from, to, upper, 0, upper.length);
            return upperInclusive ? order <= 0 : order < 0;
        }
        return true;
    }

    /** Whether {@code key} lies before the lower bound. */
    boolean isBelow(byte[] key) {
        if (lower == null) {
            return false;
        }
        int order = Arrays.compareUnsigned(key, lower);
        return lowerInclusive ? order < 0 : order <= 0;
    }

    /** Whether {@code key} lies after the upper bound. */
    boolean isAbove(byte[] key) {
        if (upper == null) {
            return false;
        }
        int order = Arrays.compareUnsigned(key, upper);
        return upperInclusive ? order > 0 : order >= 0;
    }

    /** Whether no key can lie in the range (the lower bound is above the upper one). */
    public boolean isEmpty() {
        if (lower == null || upper == null) {
            return false;
        }
        int order = Arrays.compareUnsigned(lower, upper);
        return order > 0 || (order == 0 && !(lowerInclusive && upperInclusive));
    }

    /** The smallest array greater than every array starting with {@code prefix}, or null if there is none. */
    private static byte[] nextPrefix(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] next = Arrays.copyOf(prefix, i + 1);
                next[i]++;
                return next;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return (lower == null ? "(-inf" : (lowerInclusive ? "[" : "(") + Arrays.toString(lower)) + ", "
                + (upper == null ? "+inf)" : Arrays.toString(upper) + (upperInclusive ? "]" : ")"));
    }
}
