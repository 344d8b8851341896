package io.bucketmap.store;

import org.apache.kafka.streams.state.HeadersBytesStoreSupplier;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Supplies {@link HeadersBucketMapKeyValueStore}s. The {@link HeadersBytesStoreSupplier} marker is what makes the
 * DSL ({@code KeyValueStoreMaterializer}) build a headers store ({@code Stores.timestampedKeyValueStoreWithHeadersBuilder})
 * around a supplier given by {@code dsl.store.suppliers.class} or {@code Materialized.as(supplier)}; without it the
 * DSL builds a timestamped store and record headers do not reach the state. Immutable and thread-safe.
 */
public final class HeadersBucketMapStoreSupplier extends BucketMapStoreSupplier implements HeadersBytesStoreSupplier {
    HeadersBucketMapStoreSupplier(String name, boolean ordered, boolean persistent) {
        this(name, ordered, persistent, null);
    }

    private HeadersBucketMapStoreSupplier(String name, boolean ordered, boolean persistent, Executor background) {
        super(name, ordered, persistent, ValueFormat.HEADERS, background);
    }

    /** As {@link BucketMapStoreSupplier#withBackgroundExecutor}, keeping the headers marker. O(1); any thread. */
    @Override
    public HeadersBucketMapStoreSupplier withBackgroundExecutor(Executor executor) {
        return new HeadersBucketMapStoreSupplier(name(), isOrdered(), isPersistent(),
                Objects.requireNonNull(executor, "executor cannot be null"));
    }
}
