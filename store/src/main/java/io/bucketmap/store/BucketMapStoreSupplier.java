package io.bucketmap.store;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Supplies {@link BucketMapKeyValueStore}s, ordered or hash-order, in-memory or persistent, plain, timestamped or
 * with headers, to Kafka Streams' store builders ({@code Stores.keyValueStoreBuilder}, {@code Materialized.as}, the
 * timestamped and headers builders), which wrap them in the metering, caching and change-logging layers. Obtain one
 * from {@link BucketMapStores}. Immutable and thread-safe; {@link #get()} costs one empty map.
 */
public sealed class BucketMapStoreSupplier implements KeyValueBytesStoreSupplier permits HeadersBucketMapStoreSupplier {
    private final String name;
    private final boolean ordered;
    private final boolean persistent;
    private final ValueFormat format;
    /** Where persistent stores load and write their local copy; null for the shared default. */
    private final Executor background;

    BucketMapStoreSupplier(String name, boolean ordered, boolean persistent) {
        this(name, ordered, persistent, ValueFormat.PLAIN);
    }

    BucketMapStoreSupplier(String name, boolean ordered, boolean persistent, ValueFormat format) {
        this(name, ordered, persistent, format, null);
    }

    BucketMapStoreSupplier(String name, boolean ordered, boolean persistent, ValueFormat format, Executor background) {
        this.name = Objects.requireNonNull(name, "name cannot be null");
        this.ordered = ordered;
        this.persistent = persistent;
        this.format = Objects.requireNonNull(format, "format cannot be null");
        this.background = background;
    }

    /**
     * This supplier with persistent stores doing their background work on {@code executor}: loading the local copy
     * into the map after a restart (a task that runs until the copy is loaded, and a read-ahead task beside it when the
     * executor has a thread for it) and writing each commit's changes to the copy (one task per commit, one at a time
     * per store). Without it they share one pool of daemon threads that exist only while there is work. The executor
     * must not run tasks on the calling thread (a commit would then wait for its RocksDB write); it may be
     * single-threaded. A refused task fails the store's task with {@code TaskCorruptedException} (Kafka Streams then
     * restores it from the changelog). In-memory stores have no background work and ignore it. O(1); any thread.
     *
     * @param executor where the stores' background work runs
     * @return a supplier equal to this one but for the executor
     * @throws NullPointerException if {@code executor} is null
     */
    public BucketMapStoreSupplier withBackgroundExecutor(Executor executor) {
        return new BucketMapStoreSupplier(name, ordered, persistent, format,
                Objects.requireNonNull(executor, "executor cannot be null"));
    }

    /** The stores' name. O(1); any thread. */
    @Override
    public String name() {
        return name;
    }

    /**
     * A new, empty, not yet initialised store of the supplier's format ({@link BucketMapKeyValueStore},
     * {@link TimestampedBucketMapKeyValueStore} or {@link HeadersBucketMapKeyValueStore}); Kafka Streams calls this
     * once per task. O(1): one empty map.
     *
     * @throws UnsupportedOperationException for a persistent store on a Kafka Streams older than 4.3, which lacks
     *         the managed-offset API its local copy depends on; the message names the version found and the fix
     */
    @Override
    public KeyValueStore<Bytes, byte[]> get() {
        if (persistent) {
            KafkaStreamsCompatibility.requirePersistentStore(name);
        }
        LocalCopy.Factory copy = persistent
                ? RocksDbLocalCopy.factory(background != null ? background : SharedBackgroundExecutor.get())
                : LocalCopy.Factory.IN_MEMORY;
        return switch (format) {
            case PLAIN -> new BucketMapKeyValueStore(name, ordered, metricsScope(), copy);
            case TIMESTAMPED -> new TimestampedBucketMapKeyValueStore(name, ordered, metricsScope(), copy);
            case HEADERS -> new HeadersBucketMapKeyValueStore(name, ordered, metricsScope(), copy);
        };
    }

    /**
     * The {@code <scope>-state-id} tag of the store's metrics, Kafka's metered layer's and the bucket map's alike:
     * {@value BucketMapStores#ORDERED_METRICS_SCOPE}, {@value BucketMapStores#HASH_ORDER_METRICS_SCOPE},
     * {@value BucketMapStores#PERSISTENT_ORDERED_METRICS_SCOPE} or {@value BucketMapStores#PERSISTENT_HASH_ORDER_METRICS_SCOPE}.
     * O(1); any thread.
     */
    @Override
    public String metricsScope() {
        if (persistent) {
            return ordered ? BucketMapStores.PERSISTENT_ORDERED_METRICS_SCOPE
                    : BucketMapStores.PERSISTENT_HASH_ORDER_METRICS_SCOPE;
        }
        return ordered ? BucketMapStores.ORDERED_METRICS_SCOPE : BucketMapStores.HASH_ORDER_METRICS_SCOPE;
    }

    /**
     * Whether the supplied stores iterate in key order. O(1), any thread.
     *
     * @return false for the hash-order variants
     */
    public boolean isOrdered() {
        return ordered;
    }

    /**
     * Whether the supplied stores keep a local copy that survives a restart. O(1), any thread.
     *
     * @return true for the persistent variants
     */
    public boolean isPersistent() {
        return persistent;
    }

    /**
     * The value format the supplied stores declare. O(1); any thread.
     *
     * @return PLAIN, TIMESTAMPED or HEADERS
     */
    public ValueFormat format() {
        return format;
    }

    /** Name, order, persistence and format, for logs. O(1); any thread. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "{name=" + name + ", ordered=" + ordered + ", persistent=" + persistent
                + ", format=" + format + "}";
    }
}
