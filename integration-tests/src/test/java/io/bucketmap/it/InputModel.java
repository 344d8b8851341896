package io.bucketmap.it;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What a stress test sent to its input topic, as the broker acknowledged it: for each key, the offsets of its records
 * in its partition and which were tombstones; for each value, the offset of the record that carried it. From that,
 * whether an answer a store gave at a position is one the key held at or after that position.
 *
 * <p>Keys are {@code key-0000} to {@code key-<keys-1>}, each in the partition Kafka's default partitioner picks; a
 * value is {@code <key>#<sequence>}, unique per record. Thread-safe: the producer's callback thread adds records
 * (in offset order per partition, as Kafka calls callbacks), query threads check answers.
 */
final class InputModel {
    enum Verdict { VALID, INVALID, NOT_KNOWN_YET }

    private final int partitions;
    private final History[] histories;
    /** Per partition: one past the highest offset acknowledged. */
    private final AtomicLongArray acknowledged;
    private final ConcurrentHashMap<Long, Long> offsetOfSequence = new ConcurrentHashMap<>();

    InputModel(int keys, int partitions) {
        this.partitions = partitions;
        this.histories = new History[keys];
        for (int k = 0; k < keys; k++) {
            histories[k] = new History();
        }
        this.acknowledged = new AtomicLongArray(partitions);
    }

    static String key(int k) {
        return String.format("key-%04d", k);
    }

    static String value(int k, long sequence) {
        return key(k) + "#" + sequence;
    }

    int keys() {
        return histories.length;
    }

    /** The partition of key {@code k}. */
    int partitionOf(int k) {
        return TestCluster.defaultPartition(key(k).getBytes(StandardCharsets.UTF_8), partitions);
    }

    /** The broker acknowledged record {@code sequence} of key {@code k} (a tombstone if so) at {@code offset}. */
    void acknowledged(int k, long sequence, boolean tombstone, int partition, long offset) {
        if (!tombstone) {
            offsetOfSequence.put(sequence, offset);
        }
        histories[k].add(offset, tombstone);
        acknowledged.accumulateAndGet(partition, offset + 1, Math::max);
    }

    /** One past the highest offset acknowledged in {@code partition}. */
    long acknowledgedEnd(int partition) {
        return acknowledged.get(partition);
    }

    /**
     * Whether key {@code k} held {@code value} (null: no value) at some moment at or after {@code position}, the
     * offset in the key's partition up to which the answering store claims to hold every record (-1: none).
     */
    Verdict check(int k, String value, long position) {
        int partition = partitionOf(k);
        if (acknowledged.get(partition) <= position) {
            return Verdict.NOT_KNOWN_YET;
        }
        if (value == null) {
            return histories[k].absentAtOrAfter(position) ? Verdict.VALID : Verdict.INVALID;
        }
        if (!value.startsWith(key(k) + "#")) {
            return Verdict.INVALID;
        }
        Long offset = offsetOfSequence.get(Long.parseLong(value.substring(value.indexOf('#') + 1)));
        if (offset == null) {
            return Verdict.NOT_KNOWN_YET;
        }
        return histories[k].heldAtOrAfter(offset, position) ? Verdict.VALID : Verdict.INVALID;
    }

    /** The offsets of one key's records, ascending, and which are tombstones. */
    private static final class History {
        private long[] offsets = new long[8];
        private boolean[] tombstones = new boolean[8];
        private int size;

        synchronized void add(long offset, boolean tombstone) {
            if (size == offsets.length) {
                offsets = Arrays.copyOf(offsets, size * 2);
                tombstones = Arrays.copyOf(tombstones, size * 2);
            }
            offsets[size] = offset;
            tombstones[size] = tombstone;
            size++;
        }

        /** The record at {@code offset} sets the key until the next one, which is beyond {@code position}. */
        synchronized boolean heldAtOrAfter(long offset, long position) {
            int index = Arrays.binarySearch(offsets, 0, size, offset);
            return index >= 0 && (index == size - 1 || offsets[index + 1] > position);
        }

        /** No record up to {@code position}, or the last one up to it or any later one is a tombstone. */
        synchronized boolean absentAtOrAfter(long position) {
            int last = lastAtOrBefore(position);
            if (last < 0) {
                return true;
            }
            for (int i = last; i < size; i++) {
                if (tombstones[i]) {
                    return true;
                }
            }
            return false;
        }

        private int lastAtOrBefore(long position) {
            int index = Arrays.binarySearch(offsets, 0, size, position);
            return index >= 0 ? index : -index - 2;
        }
    }
}
