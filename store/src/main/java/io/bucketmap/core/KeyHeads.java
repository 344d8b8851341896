package io.bucketmap.core;

import java.util.Arrays;

/**
 * Normalized key heads for a B+-tree node: every key in a node shares the node's first {@code prefixLength}
 * bytes, and the node keeps, per key, the next 4 bytes as a big-endian {@code int} (zero-padded). A binary search
 * then compares {@code int}s held in one array instead of following a reference to each key's bytes, and reads
 * a key only when two heads tie. Four bytes after the shared prefix almost always tell keys apart (consecutive
 * ids differ in their last digits, random ids in their first ones) for half the memory of eight. Unsigned order of heads agrees with unsigned byte order of keys whenever the
 * heads differ (padding with zeros puts a key before every longer key it is a prefix of, or ties).
 *
 * <p>A searched key that does not share the node's prefix lies before or after all the node's keys; one
 * comparison with the prefix says which.
 */
final class KeyHeads {
    private KeyHeads() {
    }

    /** The 4 bytes of {@code key} from {@code offset}, big-endian, zero-padded past its end. */
    static int headOf(byte[] key, int offset) {
        int head = 0;
        int end = Math.min(key.length, offset + 4);
        int shift = 24;
        for (int i = offset; i < end; i++, shift -= 8) {
            head |= (key[i] & 0xFF) << shift;
        }
        return head;
    }

    /** Bytes shared at the start of {@code a} and {@code b}. */
    static int commonPrefix(byte[] a, byte[] b) {
        int mismatch = Arrays.mismatch(a, b);
        return mismatch < 0 ? a.length : mismatch;
    }

    /**
     * Where {@code key} falls relative to a node whose keys all start with the first {@code prefixLength} bytes of
     * {@code prefixSource}: 0 if it shares that prefix, negative if it sorts before every such key, positive if after.
     */
    static int againstPrefix(byte[] key, byte[] prefixSource, int prefixLength) {
        if (prefixLength == 0) {
            return 0;
        }
        int shared = Math.min(key.length, prefixLength);
        int mismatch = Arrays.mismatch(key, 0, shared, prefixSource, 0, shared);
        if (mismatch < 0) {
            return shared == prefixLength ? 0 : -1; // equal so far: shorter than the prefix sorts first
        }
        return (key[mismatch] & 0xFF) - (prefixSource[mismatch] & 0xFF);
    }

    /** First index in {@code [0, count)} whose key is at least ({@code strict}: greater than) {@code key}. */
    static int search(byte[][] keys, int[] heads, int count, int prefixLength, byte[] prefixSource, byte[] key,
                      boolean strict) {
        if (count == 0) {
            return 0;
        }
        int side = againstPrefix(key, prefixSource, prefixLength);
        if (side != 0) {
            return side < 0 ? 0 : count;
        }
        int head = headOf(key, prefixLength);
        int low = 0;
        int high = count;
        while (low < high) {
            int middle = (low + high) >>> 1;
            int order = Integer.compareUnsigned(heads[middle], head);
            if (order == 0) {
                order = Arrays.compareUnsigned(keys[middle], key);
            }
            if (order < 0 || (order == 0 && strict)) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }
}
