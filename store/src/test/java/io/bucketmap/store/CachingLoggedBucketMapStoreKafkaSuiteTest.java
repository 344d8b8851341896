package io.bucketmap.store;

import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import io.bucketmap.store.kafkasuite.AbstractKeyValueStoreTest;


/**
 * Kafka's own key-value store suite on the ordered bucket-map store under the full production stack:
 * Metered, Caching and ChangeLogging layers, as {@code Stores.keyValueStoreBuilder(...).withCachingEnabled()
 * .withLoggingEnabled(...)} builds it for a user.
 */
@KafkaStoreSuite.Copy
class CachingLoggedBucketMapStoreKafkaSuiteTest extends AbstractKeyValueStoreTest {

    @Override
    protected <K, V> KeyValueStore<K, V> createKeyValueStore(StateStoreContext context) {
        return KafkaSuiteStores.orderedCachedAndLogged(context);
    }
}
