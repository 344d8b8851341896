package io.bucketmap.store;

import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import io.bucketmap.store.kafkasuite.AbstractKeyValueStoreTest;

/**
 * Kafka's own key-value store suite on the persistent ordered store, built as {@link BucketMapStoreKafkaSuiteTest}
 * builds the in-memory one. The suite's context gives each test its own state directory, so every test also opens
 * and closes a RocksDB copy.
 */
@KafkaStoreSuite.Copy
@RequiresKafkaStreams("4.3")
class PersistentBucketMapStoreKafkaSuiteTest extends AbstractKeyValueStoreTest {

    @Override
    protected <K, V> KeyValueStore<K, V> createKeyValueStore(StateStoreContext context) {
        return KafkaSuiteStores.persistent(context);
    }
}
