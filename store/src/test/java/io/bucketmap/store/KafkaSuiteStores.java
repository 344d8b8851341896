package io.bucketmap.store;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;

/**
 * The stores that Kafka's own key-value store suite ({@code AbstractKeyValueStoreTest}) runs on, built the way Kafka
 * tests its {@code InMemoryKeyValueStore}: {@code Stores.keyValueStoreBuilder} with its defaults, so the suite's typed
 * calls go through the metered layer (serdes) and the change-logging layer (which the suite's driver records) to our
 * store. One place for both copies of the suite that run it: the one under {@code kafkasuite} (compiled against the
 * project's Kafka, 4.4, which has no published test jar) and Kafka's own test jar (4.0 to 4.3, in the compatibility
 * matrix; classes under {@code kafkajar}).
 */
public final class KafkaSuiteStores {
    private KafkaSuiteStores() {
    }

    /** The ordered in-memory store, with no cache in between. */
    public static <K, V> KeyValueStore<K, V> ordered(StateStoreContext context) {
        return initialised(builder(BucketMapStores.keyValueStore("my-store"), context), context);
    }

    /** The ordered in-memory store under Kafka's caching layer, with logging on. */
    public static <K, V> KeyValueStore<K, V> orderedCachedAndLogged(StateStoreContext context) {
        StoreBuilder<KeyValueStore<K, V>> builder = KafkaSuiteStores.<K, V>builder(BucketMapStores.keyValueStore("my-store"),
                context).withCachingEnabled().withLoggingEnabled(Map.of("retention.ms", "1000"));
        return initialised(builder, context);
    }

    /** The ordered persistent store (Kafka Streams 4.3 and newer). */
    public static <K, V> KeyValueStore<K, V> persistent(StateStoreContext context) {
        return initialised(builder(BucketMapStores.persistentKeyValueStore("my-store"), context), context);
    }

    @SuppressWarnings("unchecked")
    private static <K, V> StoreBuilder<KeyValueStore<K, V>> builder(KeyValueBytesStoreSupplier supplier,
                                                                    StateStoreContext context) {
        return Stores.keyValueStoreBuilder(supplier, (Serde<K>) context.keySerde(), (Serde<V>) context.valueSerde());
    }

    private static <K, V> KeyValueStore<K, V> initialised(StoreBuilder<KeyValueStore<K, V>> builder,
                                                          StateStoreContext context) {
        KeyValueStore<K, V> store = builder.build();
        store.init(context, store);
        return store;
    }
}
