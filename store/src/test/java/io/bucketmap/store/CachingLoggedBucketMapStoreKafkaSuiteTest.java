package io.bucketmap.store;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import io.bucketmap.store.kafkasuite.AbstractKeyValueStoreTest;

import java.util.Map;

/**
 * Kafka's own key-value store suite on the ordered bucket-map store under the full production stack:
 * Metered, Caching and ChangeLogging layers, as {@code Stores.keyValueStoreBuilder(...).withCachingEnabled()
 * .withLoggingEnabled(...)} builds it for a user.
 */
class CachingLoggedBucketMapStoreKafkaSuiteTest extends AbstractKeyValueStoreTest {

    @Override
    @SuppressWarnings("unchecked")
    protected <K, V> KeyValueStore<K, V> createKeyValueStore(StateStoreContext context) {
        StoreBuilder<KeyValueStore<K, V>> builder = Stores.keyValueStoreBuilder(
                        BucketMapStores.keyValueStore("my-store"),
                        (Serde<K>) context.keySerde(),
                        (Serde<V>) context.valueSerde())
                .withCachingEnabled()
                .withLoggingEnabled(Map.of("retention.ms", "1000"));
        KeyValueStore<K, V> store = builder.build();
        store.init(context, store);
        return store;
    }
}
