package io.bucketmap.store;

import java.util.Arrays;

/**
 * A batch of writes on its way down a store's chain of {@link StoreData} layers: a changelog batch being restored or
 * the entries of one {@code putAll}. Holds the keys and values (a null value deletes) and, once the batch is written,
 * whether each key may have had a value before its write ({@link #mayHaveHadValue}), which the local copy's change
 * tracking needs. A layer writes the batch in list order, so a key written twice ends with its last value.
 *
 * <p>Reused from batch to batch by its one owner (a restore callback, on the restoring thread), so a restored batch
 * allocates nothing; {@link #clear} drops the references once a batch is written, so no key or value stays reachable
 * from here.
 */
final class EntryBatch {
    /** The record time of an entry whose source gives none: Kafka's {@code ConsumerRecord.NO_TIMESTAMP}. */
    static final long NO_RECORD_TIME = -1;

    byte[][] keys;
    byte[][] values;
    /**
     * Each key's value before its write, filled by a restore only if a layer above asked for it ({@link #keepPrevious}):
     * the map copies a value out of its arena for each one.
     */
    byte[][] previous;
    /** Set by a layer that reads {@link #previous} after the layers below have restored the batch; reset by {@link #clear}. */
    boolean keepPrevious;
    /** Scratch for {@code BucketMap.writeAll}: the length of each key's value before its write, or -1. */
    int[] previousLengths;
    boolean[] mayHaveHadValue;
    /**
     * Each entry's record time: the changelog record's timestamp for a restored batch
     * ({@code ConsumerRecord.NO_TIMESTAMP} where the restoring context gives none); scratch of an expiring store's layer
     * ({@link ExpiringData}) otherwise.
     */
    long[] recordTimes;
    /** The entries to write: those added, or fewer after {@link #cutAtFirstNullKey}. */
    int size;
    /** The entries added since the last {@link #clear}. */
    private int added;

    EntryBatch() {
        this(0);
    }

    EntryBatch(int capacity) {
        keys = new byte[capacity][];
        values = new byte[capacity][];
        previous = new byte[capacity][];
        previousLengths = new int[capacity];
        mayHaveHadValue = new boolean[capacity];
        recordTimes = new long[capacity];
    }

    /** Empties the batch and makes room for {@code capacity} entries. */
    void startBatch(int capacity) {
        clear();
        if (keys.length < capacity) {
            keys = new byte[capacity][];
            values = new byte[capacity][];
            previous = new byte[capacity][];
            previousLengths = new int[capacity];
            mayHaveHadValue = new boolean[capacity];
            recordTimes = new long[capacity];
        }
    }

    /** Adds a write with no record time; a null {@code value} deletes. */
    void add(byte[] key, byte[] value) {
        add(key, value, NO_RECORD_TIME);
    }

    /** Adds a write of record time {@code recordTime}; a null {@code value} deletes. */
    void add(byte[] key, byte[] value, long recordTime) {
        keys[added] = key;
        values[added] = value;
        recordTimes[added] = recordTime;
        size = ++added;
    }

    /** Cuts the batch before its first entry with a null key, which no layer can write. */
    void cutAtFirstNullKey() {
        for (int i = 0; i < added; i++) {
            if (keys[i] == null) {
                size = i;
                return;
            }
        }
    }

    void clear() {
        Arrays.fill(keys, 0, added, null);
        Arrays.fill(values, 0, added, null);
        Arrays.fill(previous, 0, added, null);
        keepPrevious = false;
        size = 0;
        added = 0;
    }
}
