package io.bucketmap.store;

import org.apache.kafka.streams.state.HeadersBytesStoreSupplier;

/**
 * Supplies {@link HeadersBucketMapKeyValueStore}s. The {@link HeadersBytesStoreSupplier} marker is what makes the
 * DSL ({@code KeyValueStoreMaterializer}) build a headers store ({@code Stores.timestampedKeyValueStoreWithHeadersBuilder})
 * around a supplier given by {@code dsl.store.suppliers.class} or {@code Materialized.as(supplier)}; without it the
 * DSL builds a timestamped store and record headers do not reach the state. Immutable and thread-safe.
 */
public final class HeadersBucketMapStoreSupplier extends BucketMapStoreSupplier implements HeadersBytesStoreSupplier {
    HeadersBucketMapStoreSupplier(String name, boolean ordered, boolean persistent) {
        super(name, ordered, persistent, ValueFormat.HEADERS);
    }
}
