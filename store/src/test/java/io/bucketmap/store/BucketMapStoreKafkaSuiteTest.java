package io.bucketmap.store;

import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import io.bucketmap.store.kafkasuite.AbstractKeyValueStoreTest;

/**
 * Kafka's own key-value store suite on the ordered bucket-map store, built the way Kafka tests its
 * {@code InMemoryKeyValueStore} ({@code InMemoryKeyValueStoreTest}): {@code Stores.keyValueStoreBuilder} with its
 * defaults, so the suite's typed calls go through the metered layer (serdes) and the change-logging layer (which the
 * suite's driver records) straight to our store, with no cache in between.
 */
@KafkaStoreSuite.Copy
class BucketMapStoreKafkaSuiteTest extends AbstractKeyValueStoreTest {

    @Override
    protected <K, V> KeyValueStore<K, V> createKeyValueStore(StateStoreContext context) {
        return KafkaSuiteStores.ordered(context);
    }
}
