package io.bucketmap.core;

import java.util.Arrays;

/**
 * Values that a write replaced or deleted, whose sizes the map's byte count still includes. A write that took an old
 * value's length at once would wait on a cache miss for it (the value array lies anywhere in the heap, and neither the
 * write nor Kafka's store layers read a replaced or deleted value otherwise): at 1M entries that miss was an eighth of a
 * delete and a fifth of a punctuator's sweep. Here up to {@value #CAPACITY} of them wait and their lengths are then read
 * together, as independent loads whose misses the processor overlaps.
 *
 * <p>Invariant: the map's exact payload is its running count minus {@link #pendingBytes()}. Costs: at most
 * {@value #CAPACITY} replaced values stay reachable until the next drain (for values of a few hundred bytes, tens of
 * kilobytes). Written by the map's writer under the write lock; {@link #pendingBytes()} is read under the read lock.
 */
final class ReplacedValues {
    static final int CAPACITY = 64;

    private final byte[][] values = new byte[CAPACITY][];
    private int count;

    /**
     * Adds a value the map no longer holds; returns the bytes of the values drained when that filled the buffer (their
     * sizes leave the map's count now), else 0.
     */
    long add(byte[] value) {
        values[count++] = value;
        return count == CAPACITY ? drain() : 0;
    }

    /** Empties the buffer; returns the bytes of the values it held. */
    long drain() {
        long bytes = pendingBytes();
        Arrays.fill(values, 0, count, null);
        count = 0;
        return bytes;
    }

    /** Bytes of the values held, which the map's running count still includes. */
    long pendingBytes() {
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            bytes += BucketMap.arrayBytes(values[i]);
        }
        return bytes;
    }
}
