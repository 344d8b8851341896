package io.bucketmap.store;

import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;

/**
 * Factory for bucket-map state stores, the counterpart of Kafka's {@code Stores}. Swap
 * {@code Stores.inMemoryKeyValueStore("counts")} for {@code BucketMapStores.keyValueStore("counts")} and nothing
 * else changes: the result goes into {@code Stores.keyValueStoreBuilder(...)} or {@code Materialized.as(...)} and
 * gets change-logging (on by default), caching and metering from Kafka Streams as before.
 *
 * <p>Variants: {@link #keyValueStore} (ordered, the drop-in) and {@link #hashOrderKeyValueStore} (no ordered index).
 * A persistent variant, the bucket map over a local RocksDB copy written at each commit, is planned as a further
 * method here. All methods are cheap, thread-safe and fail with {@link NullPointerException} on a null name.
 */
public final class BucketMapStores {
    /** Metrics scope of the ordered store. */
    public static final String ORDERED_METRICS_SCOPE = "bucketmap";
    /** Metrics scope of the hash-order store. */
    public static final String HASH_ORDER_METRICS_SCOPE = "bucketmap-hash";

    private BucketMapStores() {
    }

    /**
     * An ordered, in-memory key-value store: {@code range}, {@code all} and {@code prefixScan} return keys in
     * ascending byte order, the reverse methods in descending order, exactly as {@code Stores.inMemoryKeyValueStore}.
     * Iterators stay exact while the store changes and grows, copy nothing, and never return a null value.
     */
    public static KeyValueBytesStoreSupplier keyValueStore(String name) {
        return new BucketMapStoreSupplier(name, true);
    }

    /**
     * An in-memory key-value store without the ordered index: faster writes and less memory, but every iterator
     * ({@code range}, {@code reverseRange}, {@code all}, {@code reverseAll}, {@code prefixScan}) returns its keys in
     * hash order, and range and prefix scans walk the whole store (O(n)). Still exact: each key present throughout
     * an iteration is returned once, with a non-null value. For code that only uses {@code get}/{@code put} and
     * whole-store scans whose order does not matter (most aggregations, punctuator sweeps).
     *
     * <p><b>Disable caching if you iterate.</b> Kafka's caching layer merges its cache with the store's iterator on
     * the assumption that both are sorted; over a hash-order store that merge returns keys twice and stale values
     * (measured: 392 entries with 28 stale values for 200 keys). {@code get}, {@code put} and {@code delete} are
     * unaffected. Build it with {@code withCachingDisabled()} (the default of {@code Stores.keyValueStoreBuilder}),
     * or {@code Materialized...withCachingDisabled()} in the DSL, wherever the store is iterated.
     */
    public static KeyValueBytesStoreSupplier hashOrderKeyValueStore(String name) {
        return new BucketMapStoreSupplier(name, false);
    }
}
