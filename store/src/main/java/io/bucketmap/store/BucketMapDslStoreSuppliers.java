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
 * Makes every DSL key-value store (aggregations, {@code KTable}s, joins' tables) an ordered bucket-map store:
 * set {@code dsl.store.suppliers.class} ({@code StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG}) to this class.
 * Window and session stores have no bucket-map implementation; they are Kafka's in-memory ones
 * ({@link BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers}), so the whole topology stays in memory.
 * A store given its own supplier through {@code Materialized.as(supplier)} is not affected.
 *
 * <h2>Time to live</h2>
 * {@value #TTL_MS_CONFIG} in the application's config gives every DSL key-value store a time to live in milliseconds
 * ({@link BucketMapStoreSupplier#withTtl(java.time.Duration)}: joins' and foreign-key joins' stores included);
 * {@value #TTL_MS_CONFIG}{@code .<store name>} sets one store's, {@code none} turning it off for that store;
 * {@value #TTL_CLOCK_CONFIG} is {@value #TTL_CLOCK_STREAM_TIME} (the default) or {@value #TTL_CLOCK_WALL_CLOCK}. Such
 * stores refuse Kafka's caching layer: set {@code statestore.cache.max.bytes=0}, or
 * {@code Materialized.withCachingDisabled()} per store. Kafka Streams configures this class with the application's
 * config ({@link #configure}); an instance you create and hand to {@code Materialized.as(DslStoreSuppliers)} reads
 * these settings only if you call {@link #configure} yourself.
 *
 * <p>Thread-safe (configured once, then read only); Kafka Streams instantiates it by reflection (public no-argument
 * constructor).
 */
public final class BucketMapDslStoreSuppliers implements DslStoreSuppliers {
    /** Milliseconds an entry of every DSL key-value store lives after its last write; unset: for ever. */
    public static final String TTL_MS_CONFIG = DslTimeToLive.TTL_MS_CONFIG;
    /** The clock of the time to live: {@value #TTL_CLOCK_STREAM_TIME} (the default) or {@value #TTL_CLOCK_WALL_CLOCK}. */
    public static final String TTL_CLOCK_CONFIG = DslTimeToLive.TTL_CLOCK_CONFIG;
    /** {@value #TTL_CLOCK_CONFIG}: expiry judged by the stores' stream time. */
    public static final String TTL_CLOCK_STREAM_TIME = DslTimeToLive.STREAM_TIME;
    /** {@value #TTL_CLOCK_CONFIG}: expiry judged by the system clock. */
    public static final String TTL_CLOCK_WALL_CLOCK = DslTimeToLive.WALL_CLOCK;

    private final DslStoreSuppliers inMemory = new BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers();
    private volatile DslTimeToLive ttl = DslTimeToLive.NONE;

    /**
     * Reads the time to live settings ({@value #TTL_MS_CONFIG}, {@value #TTL_CLOCK_CONFIG}) from the application's
     * config. O(settings).
     *
     * @throws org.apache.kafka.common.config.ConfigException if a setting is malformed, zero or negative
     */
    @Override
    public void configure(Map<String, ?> configs) {
        ttl = DslTimeToLive.parse(configs);
    }

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
        return orderedKeyValueStore(params, false, ttl);
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
     * The ordered store of the format {@code params} asks for, in memory or persistent, with the time to live
     * {@code ttl} gives its name: the factory of both DSL suppliers. Without
     * {@link KafkaStreamsCompatibility.Feature#DSL_STORE_FORMAT} the params say only whether values are timestamped, and there are no headers stores: the headers supplier is made by its own class, which
     * only a Kafka Streams with {@code HeadersBytesStoreSupplier} loads (a {@code HeadersBucketMapStoreSupplier} stored
     * in a variable of its superclass here would make the verifier load it on every version).
     */
    @SuppressWarnings("deprecation") // isTimestamped() is all a Kafka Streams without dslStoreFormat() offers
    static KeyValueBytesStoreSupplier orderedKeyValueStore(DslKeyValueParams params, boolean persistent,
                                                           DslTimeToLive ttl) {
        BucketMapStoreSupplier supplier;
        if (!KafkaStreamsCompatibility.Feature.DSL_STORE_FORMAT.isPresent()) {
            ValueFormat format = params.isTimestamped() ? ValueFormat.TIMESTAMPED : ValueFormat.PLAIN;
            supplier = new BucketMapStoreSupplier(params.name(), true, persistent, format);
        } else {
            supplier = switch (params.dslStoreFormat()) {
                case HEADERS -> HeadersBucketMapStoreSupplier.ordered(params.name(), persistent);
                case TIMESTAMPED -> new BucketMapStoreSupplier(params.name(), true, persistent, ValueFormat.TIMESTAMPED);
                case PLAIN -> new BucketMapStoreSupplier(params.name(), true, persistent, ValueFormat.PLAIN);
            };
        }
        TimeToLive storeTtl = ttl.forStore(params.name());
        return storeTtl == null ? supplier : supplier.withTimeToLive(storeTtl);
    }
}
