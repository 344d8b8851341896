package io.bucketmap.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
 * comparison with the prefix says which (from the node's inline copy of the prefix, see {@link #againstPrefix}).
 */
final class KeyHeads {
    /** Prefix bytes a node keeps in its own fields, three longs: enough for the shared part of typical ids. */
    static final int INLINE_PREFIX_BYTES = 24;

    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private KeyHeads() {
    }

    /** The 4 bytes of {@code key} from {@code offset}, big-endian, zero-padded past its end. */
    static int headOf(byte[] key, int offset) {
        return headOf(key, 0, key.length, offset);
    }

    /**
     * The 4 bytes from {@code offset} of the key of {@code keyLength} bytes that starts at {@code keyStart} in
     * {@code bytes} (an arena page), big-endian, zero-padded past the key's end.
     */
    static int headOf(byte[] bytes, int keyStart, int keyLength, int offset) {
        int head = 0;
        int end = keyStart + Math.min(keyLength, offset + 4);
        int shift = 24;
        for (int i = keyStart + offset; i < end; i++, shift -= 8) {
            head |= (bytes[i] & 0xFF) << shift;
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
     * {@code prefixSource}, whose first {@value #INLINE_PREFIX_BYTES} bytes are also in {@code word0..word2}
     * ({@link #prefixWord}): 0 if it shares that prefix, negative if it sorts before every such key, positive if
     * after. Reads {@code prefixSource} only for a prefix longer than the inline words.
     */
    static int againstPrefix(byte[] key, long word0, long word1, long word2, byte[] prefixSource, int prefixLength) {
        int inline = Math.min(prefixLength, INLINE_PREFIX_BYTES);
        for (int offset = 0; offset < inline; offset += Long.BYTES) {
            long word = offset == 0 ? word0 : offset == Long.BYTES ? word1 : word2;
            int wanted = Math.min(Long.BYTES, inline - offset);
            int available = Math.max(0, Math.min(wanted, key.length - offset));
            long keyWord = wordOf(key, offset, available);
            long prefixPart = word & topBytes(available);
            if (keyWord != prefixPart) {
                return Long.compareUnsigned(keyWord, prefixPart) < 0 ? -1 : 1;
            }
            if (available < wanted) {
                return -1; // the key ends inside the prefix: shorter sorts first
            }
        }
        if (prefixLength <= INLINE_PREFIX_BYTES) {
            return 0;
        }
        int shared = Math.min(key.length, prefixLength);
        int mismatch = Arrays.mismatch(key, INLINE_PREFIX_BYTES, shared, prefixSource, INLINE_PREFIX_BYTES, shared);
        if (mismatch < 0) {
            return shared == prefixLength ? 0 : -1; // equal so far: shorter than the prefix sorts first
        }
        int at = INLINE_PREFIX_BYTES + mismatch;
        return (key[at] & 0xFF) - (prefixSource[at] & 0xFF);
    }

    /** Inline word {@code index} (0..2) of a node's prefix: its bytes {@code 8 index ..} big-endian, zero-padded. */
    static long prefixWord(byte[] prefixSource, int prefixLength, int index) {
        return prefixWord(prefixSource, 0, prefixLength, index);
    }

    /** {@link #prefixWord(byte[], int, int)} of a prefix that starts at {@code start} in {@code bytes}. */
    static long prefixWord(byte[] bytes, int start, int prefixLength, int index) {
        int offset = index * Long.BYTES;
        int count = Math.min(Long.BYTES, Math.min(prefixLength, INLINE_PREFIX_BYTES) - offset);
        return count <= 0 ? 0 : wordOf(bytes, start + offset, count);
    }

    /** {@code count} (0..8) bytes of {@code bytes} from {@code offset}, big-endian in the top of a long. */
    private static long wordOf(byte[] bytes, int offset, int count) {
        if (count == Long.BYTES) {
            return (long) LONG_BE.get(bytes, offset);
        }
        if (count > 0 && bytes.length - offset >= Long.BYTES) {
            return (long) LONG_BE.get(bytes, offset) & topBytes(count);
        }
        long word = 0;
        for (int i = 0; i < count; i++) {
            word |= (long) (bytes[offset + i] & 0xFF) << (56 - 8 * i);
        }
        return word;
    }

    /** A mask of the top {@code count} (0..8) bytes of a long. */
    private static long topBytes(int count) {
        return count == 0 ? 0 : -1L << (64 - 8 * count);
    }
}
