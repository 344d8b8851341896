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
     * An ordered bucket-map store that declares the format the DSL asks for ({@code params.dslStoreFormat()}):
     * a {@link TimestampedBucketMapKeyValueStore} for TIMESTAMPED (the DSL's default), a
     * {@link HeadersBucketMapKeyValueStore} from a {@code HeadersBytesStoreSupplier} for HEADERS
     * ({@code dsl.store.format=headers}), a plain one for PLAIN. Kafka's builders then wrap no value-converting
     * adapter around it. On Kafka Streams before 4.3 (no {@code dslStoreFormat()}): timestamped or plain, as
     * {@code params.isTimestamped()} says. O(1); any thread.
     */
    @Override
    public KeyValueBytesStoreSupplier keyValueStore(DslKeyValueParams params) {
        return orderedKeyValueStore(params, false);
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

    /**
     * The ordered store of the format {@code params} asks for, in memory or persistent: the factory of both DSL
     * suppliers. Without {@link KafkaStreamsCompatibility.Feature#DSL_STORE_FORMAT} the params say only whether values
     * are timestamped, and there are no headers stores.
     */
    @SuppressWarnings("deprecation") // isTimestamped() is all a Kafka Streams without dslStoreFormat() offers
    static KeyValueBytesStoreSupplier orderedKeyValueStore(DslKeyValueParams params, boolean persistent) {
        if (!KafkaStreamsCompatibility.Feature.DSL_STORE_FORMAT.isPresent()) {
            ValueFormat format = params.isTimestamped() ? ValueFormat.TIMESTAMPED : ValueFormat.PLAIN;
            return new BucketMapStoreSupplier(params.name(), true, persistent, format);
        }
        return switch (params.dslStoreFormat()) {
            case HEADERS -> new HeadersBucketMapStoreSupplier(params.name(), true, persistent);
            case TIMESTAMPED -> new BucketMapStoreSupplier(params.name(), true, persistent, ValueFormat.TIMESTAMPED);
            case PLAIN -> new BucketMapStoreSupplier(params.name(), true, persistent, ValueFormat.PLAIN);
        };
    }
}
