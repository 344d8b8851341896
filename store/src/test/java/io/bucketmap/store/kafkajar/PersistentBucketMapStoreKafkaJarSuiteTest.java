package io.bucketmap.store.kafkajar;

import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import io.bucketmap.store.KafkaStoreSuite;
import io.bucketmap.store.KafkaSuiteStores;
import io.bucketmap.store.RequiresKafkaStreams;
import org.apache.kafka.streams.state.internals.AbstractKeyValueStoreTest;

/**
 * Kafka's own key-value store suite from Kafka's test jar (the compatibility matrix runs it on Kafka Streams 4.0 to
 * 4.3; the main build runs the same suite from {@code io.bucketmap.store.kafkasuite}, as 4.4 has no test jar) on the persistent ordered store, built as {@code BucketMapStoreKafkaSuiteTest}
 * builds the in-memory one. The suite's context gives each test its own state directory, so every test also opens
 * and closes a RocksDB copy.
 */
@KafkaStoreSuite.TestJar
@RequiresKafkaStreams("4.3")
class PersistentBucketMapStoreKafkaJarSuiteTest extends AbstractKeyValueStoreTest {

    @Override
    protected <K, V> KeyValueStore<K, V> createKeyValueStore(StateStoreContext context) {
        return KafkaSuiteStores.persistent(context);
    }
}
