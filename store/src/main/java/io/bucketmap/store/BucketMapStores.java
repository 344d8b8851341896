package io.bucketmap.store;

import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;

/**
 * Factory for bucket-map state stores, the counterpart of Kafka's {@code Stores}. Swap
 * {@code Stores.inMemoryKeyValueStore("counts")} for {@code BucketMapStores.keyValueStore("counts")} and nothing
 * else changes: the result goes into {@code Stores.keyValueStoreBuilder(...)} or {@code Materialized.as(...)} and
 * gets change-logging (on by default), caching and metering from Kafka Streams as before.
 *
 * <p>Variants: {@link #keyValueStore} (ordered, the drop-in) and {@link #hashOrderKeyValueStore} (no ordered index),
 * both in memory; {@link #persistentKeyValueStore} and {@link #persistentHashOrderKeyValueStore}, the same stores
 * over a local RocksDB copy written at each commit, so a restart restores only the changelog's tail. All methods are
 * cheap, thread-safe and fail with {@link NullPointerException} on a null name.
 *
 * <h2>Which one</h2>
 * In memory when the changelog replays fast enough at start-up for you (small state, or standbys that take over
 * without replaying); persistent when a restart must not replay the whole changelog: large state, a single instance,
 * or {@code exactly_once_v2} after a crash (where Kafka's own RocksDB store wipes and replays everything). Both keep
 * every entry on the heap; the persistent one adds a disk copy and the cost of writing the changed entries at commit.
 * For state larger than the heap, use Kafka's {@code Stores.persistentKeyValueStore}. Kafka Streams 4.4 with
 * {@code enable.transactional.statestores=true} no longer wipes Kafka's RocksDB store after a crash under
 * {@code exactly_once_v2} either: it restores only the changelog after its last commit.
 *
 * <h2>Transactional state stores (Kafka Streams 4.4)</h2>
 * Under {@code enable.transactional.statestores=true} the stores behave as Kafka's {@code InMemoryKeyValueStore}:
 * the stream thread and {@code READ_UNCOMMITTED} readers (the default) see every write; {@code READ_COMMITTED}
 * readers see the last commit; {@code approximateNumUncommittedBytes()} reports the bytes written since it (in
 * memory) or those the next commit writes to the local copy (persistent). On a Kafka Streams before 4.4 the setting
 * reads as off. See the README's "Kafka Streams 4.4" section for each store under each setting.
 *
 * <h2>Kafka Streams versions</h2>
 * The in-memory stores, plain and timestamped, run on Kafka Streams 4.0 and newer; the persistent stores and the
 * stores of values with headers need 4.3 or newer, and on an older one fail when they are built, with
 * {@link UnsupportedOperationException} naming the version found and the version needed.
 */
public final class BucketMapStores {
    /** Metrics scope of the ordered store. */
    public static final String ORDERED_METRICS_SCOPE = "bucketmap";
    /** Metrics scope of the hash-order store. */
    public static final String HASH_ORDER_METRICS_SCOPE = "bucketmap-hash";
    /** Metrics scope of the persistent ordered store. */
    public static final String PERSISTENT_ORDERED_METRICS_SCOPE = "bucketmap-persistent";
    /** Metrics scope of the persistent hash-order store. */
    public static final String PERSISTENT_HASH_ORDER_METRICS_SCOPE = "bucketmap-hash-persistent";

    private BucketMapStores() {
    }

    /**
     * An ordered, in-memory key-value store: {@code range}, {@code all} and {@code prefixScan} return keys in
     * ascending byte order, the reverse methods in descending order, exactly as {@code Stores.inMemoryKeyValueStore}.
     * Iterators stay exact while the store changes and grows, copy nothing, and never return a null value. Runs on
     * Kafka Streams 4.0 and newer.
     *
     * @param name the store's name, as Kafka Streams' own factories take it (the changelog topic is
     *             {@code <application.id>-<name>-changelog})
     * @return a supplier of ordered in-memory stores
     */
    public static KeyValueBytesStoreSupplier keyValueStore(String name) {
        return new BucketMapStoreSupplier(name, true, false);
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
     *
     * @param name the store's name
     * @return a supplier of hash-order in-memory stores
     */
    public static KeyValueBytesStoreSupplier hashOrderKeyValueStore(String name) {
        return new BucketMapStoreSupplier(name, false, false);
    }

    /**
     * {@link #keyValueStore}, persistent: every read and write is served by the in-memory bucket map as there, and a
     * local RocksDB copy in the task's state directory is brought up to date at each commit, with the changelog
     * offsets, in one atomic write. On start-up the store opens at once, Kafka Streams restores only the changelog
     * records after the copy's offset, and the copy is loaded into the map in the background once that restoration
     * is over, while the task processes: until the load ends, reads of keys not loaded yet are answered by RocksDB
     * point reads, and iterators (range, all, prefix scans) wait for the load. The copy never holds uncommitted
     * data, so after a crash under {@code exactly_once_v2} the task keeps its local state (no wipe, no full
     * replay). RocksDB options come from {@code rocksdb.config.setter}, as for Kafka's stores; by default RocksDB
     * keeps only a 4 MB block cache and up to 32 MB of memtables in memory.
     *
     * <p>When the copy is written: Kafka Streams commits a store's local state after each commit under
     * at-least-once, and, under {@code exactly_once_v2}, while restoring, on standbys, and when it suspends or closes
     * an active task (a rebalance, a clean shutdown), not after each transaction. After a crash the restore starts
     * from the last of those.
     *
     * <p>Needs Kafka Streams 4.3 or newer (the managed-offset API of {@code StateStore}): on an older Kafka Streams the
     * supplier's {@code get()} throws {@link UnsupportedOperationException} naming the version found.
     *
     * @param name the store's name; the local copy lives in
     *             {@code <state.dir>/<application.id>/<task>/bucketmap-rocksdb/<name>}
     * @return a supplier of persistent ordered stores
     */
    public static KeyValueBytesStoreSupplier persistentKeyValueStore(String name) {
        return new BucketMapStoreSupplier(name, true, true);
    }

    /**
     * {@link #hashOrderKeyValueStore}, persistent as {@link #persistentKeyValueStore} is (Kafka Streams 4.3 or newer).
     *
     * @param name the store's name
     * @return a supplier of persistent hash-order stores
     */
    public static KeyValueBytesStoreSupplier persistentHashOrderKeyValueStore(String name) {
        return new BucketMapStoreSupplier(name, false, true);
    }

    /**
     * {@link #keyValueStore} declaring timestamped values ({@code TimestampedBytesStore}), the counterpart of
     * {@code Stores.persistentTimestampedKeyValueStore} for {@code Stores.timestampedKeyValueStoreBuilder}: the
     * builder uses the store as it is, no wrapper converts values. Runs on Kafka Streams 4.0 and newer. O(1); any
     * thread.
     *
     * @param name the store's name (also its changelog topic's, and its metrics' tag)
     * @return a supplier of in-memory ordered stores of timestamped values
     */
    public static KeyValueBytesStoreSupplier timestampedKeyValueStore(String name) {
        return new BucketMapStoreSupplier(name, true, false, ValueFormat.TIMESTAMPED);
    }

    /**
     * {@link #keyValueStore} declaring values with headers ({@code HeadersBytesStore}, and a
     * {@code HeadersBytesStoreSupplier}), the counterpart of {@code Stores.persistentTimestampedKeyValueStoreWithHeaders}
     * for {@code Stores.timestampedKeyValueStoreWithHeadersBuilder} and for the DSL under {@code dsl.store.format}
     * {@code HEADERS}. O(1); any thread.
     *
     * @param name the store's name (also its changelog topic's, and its metrics' tag)
     * @return a supplier of in-memory ordered stores of values with headers
     * @throws UnsupportedOperationException on a Kafka Streams older than 4.3, which has no headers stores; the
     *         message names the version found
     */
    public static KeyValueBytesStoreSupplier timestampedKeyValueStoreWithHeaders(String name) {
        KafkaStreamsCompatibility.requireHeadersStore(name);
        return new HeadersBucketMapStoreSupplier(name, true, false);
    }

    /**
     * {@link #persistentKeyValueStore} declaring timestamped values, as {@link #timestampedKeyValueStore} does. O(1);
     * any thread.
     *
     * @param name the store's name (also its changelog topic's, its local copy's folder's, and its metrics' tag)
     * @return a supplier of persistent ordered stores of timestamped values
     */
    public static KeyValueBytesStoreSupplier persistentTimestampedKeyValueStore(String name) {
        return new BucketMapStoreSupplier(name, true, true, ValueFormat.TIMESTAMPED);
    }

    /**
     * {@link #persistentKeyValueStore} declaring values with headers, as {@link #timestampedKeyValueStoreWithHeaders}
     * does. O(1); any thread.
     *
     * @param name the store's name (also its changelog topic's, its local copy's folder's, and its metrics' tag)
     * @return a supplier of persistent ordered stores of values with headers
     * @throws UnsupportedOperationException on a Kafka Streams older than 4.3, which has no headers stores; the
     *         message names the version found
     */
    public static KeyValueBytesStoreSupplier persistentTimestampedKeyValueStoreWithHeaders(String name) {
        KafkaStreamsCompatibility.requireHeadersStore(name);
        return new HeadersBucketMapStoreSupplier(name, true, true);
    }
}
