package io.bucketmap.bench;

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

    /** Releases what the store holds outside the heap (files, native memory). */
    @Override
    void close();
}
