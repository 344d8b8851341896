package io.bucketmap.store;

import java.util.Arrays;

/**
 * Scratch for one changelog batch on its way into the map ({@link io.bucketmap.core.BucketMap#writeAll}): the records'
 * keys and values (a null value is a tombstone) and, after the write, each key's value before it. Reused from batch
 * to batch by one restore callback (the restoring thread's), so a batch allocates nothing; {@link #clear} drops the
 * references once a batch is applied, so no restored key or value stays reachable from here.
 */
final class RestoredBatch {
    byte[][] keys = new byte[0][];
    byte[][] values = new byte[0][];
    byte[][] previous = new byte[0][];
    int size;

    /** Empties the batch and makes room for {@code capacity} records. */
    void startBatch(int capacity) {
        clear();
        if (keys.length < capacity) {
            keys = new byte[capacity][];
            values = new byte[capacity][];
            previous = new byte[capacity][];
        }
    }

    void add(byte[] key, byte[] value) {
        keys[size] = key;
        values[size] = value;
        size++;
    }

    /** The records before the first one with a null key (all of them if none): those that can be applied. */
    int applicable() {
        for (int i = 0; i < size; i++) {
            if (keys[i] == null) {
                return i;
            }
        }
        return size;
    }

    void clear() {
        Arrays.fill(keys, 0, size, null);
        Arrays.fill(values, 0, size, null);
        Arrays.fill(previous, 0, size, null);
        size = 0;
    }
}
