package io.bucketmap.store;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.Objects;

/**
 * Supplies in-memory {@link BucketMapKeyValueStore}s, ordered or hash-order, to Kafka Streams' store builders
 * ({@code Stores.keyValueStoreBuilder}, {@code Materialized.as}), which wrap them in the metering, caching and
 * change-logging layers. Obtain one from {@link BucketMapStores}. Immutable and thread-safe; {@link #get()} costs
 * one empty map.
 */
public final class BucketMapStoreSupplier implements KeyValueBytesStoreSupplier {
    private final String name;
    private final boolean ordered;

    BucketMapStoreSupplier(String name, boolean ordered) {
        this.name = Objects.requireNonNull(name, "name cannot be null");
        this.ordered = ordered;
    }

    @Override
    public String name() {
        return name;
    }

    /** A new, empty, not yet initialised store; Kafka Streams calls this once per task. */
    @Override
    public KeyValueStore<Bytes, byte[]> get() {
        return new BucketMapKeyValueStore(name, ordered, metricsScope());
    }

    /**
     * {@value BucketMapStores#ORDERED_METRICS_SCOPE} for the ordered store and
     * {@value BucketMapStores#HASH_ORDER_METRICS_SCOPE} for the hash-order one: the {@code <scope>-state-id} tag of
     * the store's metrics, Kafka's metered layer's and the bucket map's alike.
     */
    @Override
    public String metricsScope() {
        return ordered ? BucketMapStores.ORDERED_METRICS_SCOPE : BucketMapStores.HASH_ORDER_METRICS_SCOPE;
    }

    /** Whether the supplied stores iterate in key order. */
    public boolean isOrdered() {
        return ordered;
    }

    @Override
    public String toString() {
        return "BucketMapStoreSupplier{name=" + name + ", ordered=" + ordered + "}";
    }
}
