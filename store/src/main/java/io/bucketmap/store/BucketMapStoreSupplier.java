package io.bucketmap.store;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.DslStoreFormat;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.Objects;

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
    private final DslStoreFormat format;

    BucketMapStoreSupplier(String name, boolean ordered, boolean persistent) {
        this(name, ordered, persistent, DslStoreFormat.PLAIN);
    }

    BucketMapStoreSupplier(String name, boolean ordered, boolean persistent, DslStoreFormat format) {
        this.name = Objects.requireNonNull(name, "name cannot be null");
        this.ordered = ordered;
        this.persistent = persistent;
        this.format = Objects.requireNonNull(format, "format cannot be null");
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * A new, empty, not yet initialised store of the supplier's format ({@link BucketMapKeyValueStore},
     * {@link TimestampedBucketMapKeyValueStore} or {@link HeadersBucketMapKeyValueStore}); Kafka Streams calls this
     * once per task.
     */
    @Override
    public KeyValueStore<Bytes, byte[]> get() {
        LocalCopy.Factory copy = persistent ? RocksDbLocalCopy.FACTORY : LocalCopy.Factory.IN_MEMORY;
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
     */
    @Override
    public String metricsScope() {
        if (persistent) {
            return ordered ? BucketMapStores.PERSISTENT_ORDERED_METRICS_SCOPE
                    : BucketMapStores.PERSISTENT_HASH_ORDER_METRICS_SCOPE;
        }
        return ordered ? BucketMapStores.ORDERED_METRICS_SCOPE : BucketMapStores.HASH_ORDER_METRICS_SCOPE;
    }

    /** Whether the supplied stores iterate in key order. */
    public boolean isOrdered() {
        return ordered;
    }

    /** Whether the supplied stores keep a local copy that survives a restart. */
    public boolean isPersistent() {
        return persistent;
    }

    /** The value format the supplied stores declare. */
    public DslStoreFormat format() {
        return format;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{name=" + name + ", ordered=" + ordered + ", persistent=" + persistent
                + ", format=" + format + "}";
    }
}
