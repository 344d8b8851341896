package io.bucketmap.store;

import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.state.DslKeyValueParams;
import org.apache.kafka.streams.state.DslSessionParams;
import org.apache.kafka.streams.state.DslStoreSuppliers;
import org.apache.kafka.streams.state.DslWindowParams;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.SessionBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;

/**
 * Makes every DSL key-value store (aggregations, {@code KTable}s, joins' tables) an ordered bucket-map store:
 * set {@code dsl.store.suppliers.class} ({@code StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG}) to this class.
 * Window and session stores have no bucket-map implementation; they are Kafka's in-memory ones
 * ({@link BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers}), so the whole topology stays in memory.
 * A store given its own supplier through {@code Materialized.as(supplier)} is not affected.
 *
 * <p>Stateless and thread-safe; Kafka Streams instantiates it by reflection (public no-argument constructor).
 */
public final class BucketMapDslStoreSuppliers implements DslStoreSuppliers {
    private final DslStoreSuppliers inMemory = new BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers();

    /**
     * An ordered bucket-map store; timestamped DSL values ({@code [8-byte timestamp][value]}) are kept as bytes.
     * O(1); any thread.
     */
    @Override
    public KeyValueBytesStoreSupplier keyValueStore(DslKeyValueParams params) {
        return BucketMapStores.keyValueStore(params.name());
    }

    /** Kafka's in-memory window store. O(1); any thread. */
    @Override
    public WindowBytesStoreSupplier windowStore(DslWindowParams params) {
        return inMemory.windowStore(params);
    }

    /** Kafka's in-memory session store. O(1); any thread. */
    @Override
    public SessionBytesStoreSupplier sessionStore(DslSessionParams params) {
        return inMemory.sessionStore(params);
    }
}
