package io.bucketmap.store;

import java.util.ArrayDeque;

/**
 * A first-in first-out log of keys, copied into byte chunks: each key costs its bytes and a varint of its length, with
 * no object per key, and chunks are dropped as the reader passes them, so memory follows the keys still in the log.
 * Chunks start at {@value #FIRST_CHUNK} bytes and double up to {@value #LARGEST_CHUNK} (a larger key gets a chunk of
 * its own size), so a log of a few keys stays small.
 *
 * <p>Layout of a chunk: entries {@code [varint (length + 1)][key bytes]}, then zero bytes: a 0 where an entry would
 * start ends the chunk (an empty key is written as the varint 1).
 *
 * <p>Costs: {@link #append} O(key length), allocating only when a chunk fills; {@link #poll} O(key length) and the
 * returned array. Not thread-safe: one writer thread uses it.
 */
final class KeyLog {
    static final int FIRST_CHUNK = 64;
    static final int LARGEST_CHUNK = 16 * 1024;

    /** Chunks from the oldest (being read) to the newest (being written). */
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int writeOffset;
    private int readOffset;
    private int nextChunkSize = FIRST_CHUNK;
    private long size;

    /** Appends a copy of {@code key}. */
    void append(byte[] key) {
        int needed = varintSize(key.length + 1) + key.length;
        byte[] chunk = chunks.peekLast();
        if (chunk == null || chunk.length - writeOffset < needed) {
            chunk = new byte[Math.max(nextChunkSize, needed)];
            nextChunkSize = Math.min(LARGEST_CHUNK, nextChunkSize * 2);
            chunks.addLast(chunk);
            writeOffset = 0;
        }
        writeOffset = writeVarint(chunk, writeOffset, key.length + 1);
        System.arraycopy(key, 0, chunk, writeOffset, key.length);
        writeOffset += key.length;
        size++;
    }

    /** Removes and returns the oldest key, or null if the log is empty. */
    byte[] poll() {
        while (size > 0) {
            byte[] chunk = chunks.peekFirst();
            if (readOffset < chunk.length && chunk[readOffset] != 0) {
                int lengthPlusOne = 0;
                int shift = 0;
                byte next;
                do {
                    next = chunk[readOffset++];
                    lengthPlusOne |= (next & 0x7F) << shift;
                    shift += 7;
                } while ((next & 0x80) != 0);
                int length = lengthPlusOne - 1;
                byte[] key = new byte[length];
                System.arraycopy(chunk, readOffset, key, 0, length);
                readOffset += length;
                if (--size == 0) {
                    clear();
                }
                return key;
            }
            chunks.pollFirst();
            readOffset = 0;
        }
        return null;
    }

    /** The number of keys in the log. */
    long size() {
        return size;
    }

    /** Drops every key. */
    void clear() {
        chunks.clear();
        writeOffset = 0;
        readOffset = 0;
        nextChunkSize = FIRST_CHUNK;
        size = 0;
    }

    private static int varintSize(int value) {
        int bytes = 1;
        while ((value & ~0x7F) != 0) {
            value >>>= 7;
            bytes++;
        }
        return bytes;
    }

    private static int writeVarint(byte[] chunk, int offset, int value) {
        while ((value & ~0x7F) != 0) {
            chunk[offset++] = (byte) (value & 0x7F | 0x80);
            value >>>= 7;
        }
        chunk[offset++] = (byte) value;
        return offset;
    }
}
