package io.bucketmap.store;

import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.state.DslKeyValueParams;
import org.apache.kafka.streams.state.DslSessionParams;
import org.apache.kafka.streams.state.DslStoreSuppliers;
import org.apache.kafka.streams.state.DslWindowParams;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.SessionBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;

import java.util.Map;

/**
 * Makes every DSL key-value store a persistent ordered bucket-map store
 * ({@link BucketMapStores#persistentKeyValueStore}): set {@code dsl.store.suppliers.class} to this class. Window and
 * session stores have no bucket-map implementation; they are Kafka's RocksDB ones
 * ({@link BuiltInDslStoreSuppliers.RocksDBDslStoreSuppliers}), so the whole topology keeps its state on disk across
 * restarts. A store given its own supplier through {@code Materialized.as(supplier)} is not affected.
 *
 * <p>Time to live: the settings of {@link BucketMapDslStoreSuppliers} ({@value BucketMapDslStoreSuppliers#TTL_MS_CONFIG},
 * its per-store form and {@value BucketMapDslStoreSuppliers#TTL_CLOCK_CONFIG}) apply here too.
 *
 * <p>Needs Kafka Streams 4.3 or newer: on an older one the stores' suppliers throw
 * {@link UnsupportedOperationException} when Kafka Streams builds the stores (see
 * {@link BucketMapStores#persistentKeyValueStore}).
 *
 * <p>Thread-safe (configured once, then read only); Kafka Streams instantiates it by reflection (public no-argument
 * constructor).
 */
public final class PersistentBucketMapDslStoreSuppliers implements DslStoreSuppliers {
    private final DslStoreSuppliers rocksDb = new BuiltInDslStoreSuppliers.RocksDBDslStoreSuppliers();
    private volatile DslTimeToLive ttl = DslTimeToLive.NONE;

    /**
     * Reads the time to live settings from the application's config, as {@link BucketMapDslStoreSuppliers#configure}.
     *
     * @throws org.apache.kafka.common.config.ConfigException if a setting is malformed, zero or negative
     */
    @Override
    public void configure(Map<String, ?> configs) {
        ttl = DslTimeToLive.parse(configs);
    }

    /**
     * An ordered persistent bucket-map store that declares the format the DSL asks for ({@code params.dslStoreFormat()}):
     * a {@link TimestampedBucketMapKeyValueStore} for TIMESTAMPED (the DSL's default), a
     * {@link HeadersBucketMapKeyValueStore} from a {@code HeadersBytesStoreSupplier} for HEADERS
     * ({@code dsl.store.format=headers}), a plain one for PLAIN. Kafka's builders then wrap no value-converting
     * adapter around it. O(1); any thread.
     */
    @Override
    public KeyValueBytesStoreSupplier keyValueStore(DslKeyValueParams params) {
        return BucketMapDslStoreSuppliers.orderedKeyValueStore(params, true, ttl);
    }

    /** Kafka's RocksDB window store. O(1); any thread. */
    @Override
    public WindowBytesStoreSupplier windowStore(DslWindowParams params) {
        return rocksDb.windowStore(params);
    }

    /** Kafka's RocksDB session store. O(1); any thread. */
    @Override
    public SessionBytesStoreSupplier sessionStore(DslSessionParams params) {
        return rocksDb.sessionStore(params);
    }
}
