package io.bucketmap.bench;

import java.util.function.BiConsumer;

/**
 * The operations every contender is measured on, in the shape Kafka's store stack uses them: serialized
 * key and value arrays in, the stored value out. Adapters convert to what each contender takes (for Kafka's
 * stores and {@code HashMap}, a {@code Bytes} wrapper per call, as {@code MeteredKeyValueStore} makes one).
 *
 * <p>Not thread-safe: one benchmark thread uses a store.
 */
public interface BenchStore extends AutoCloseable {
    /** The value of {@code key}, or null. */
    byte[] get(byte[] key);

    /** Maps {@code key} to {@code value}; the store keeps both arrays. */
    void put(byte[] key, byte[] value);

    /** Removes {@code key}; returns its value or null. */
    byte[] delete(byte[] key);

    /**
     * A punctuator's sweep: walks every entry once, in the store's iteration order, reads each value
     * ({@link ConsumedValues}), and deletes every {@code everyNth} entry it sees (the {@code everyNth}-th, the
     * {@code 2 * everyNth}-th, ..) while the walk goes on, handing each deleted key and value to {@code deleted}.
     *
     * @return the number of entries walked, the deleted ones included
     */
    int scanDeleting(int everyNth, BiConsumer<byte[], byte[]> deleted);

    /**
     * Walks the entries with keys from {@code from} to {@code to}, both inclusive, in unsigned byte order, reading each
     * value ({@link ConsumedValues}).
     *
     * @return the number of entries walked
     * @throws UnsupportedOperationException if the contender has no key ranges ({@code HashMap})
     */
    int range(byte[] from, byte[] to);

    /**
     * Walks the entries whose keys start with {@code prefix}, reading each value.
     *
     * @return the number of entries walked
     * @throws UnsupportedOperationException if the contender has no key ranges ({@code HashMap})
     */
    int prefixScan(byte[] prefix);

    /** Releases what the store holds outside the heap (files, native memory). */
    @Override
    void close();
}
