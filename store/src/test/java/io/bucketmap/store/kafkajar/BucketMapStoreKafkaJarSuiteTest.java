package io.bucketmap.store.kafkajar;

import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import io.bucketmap.store.KafkaStoreSuite;
import io.bucketmap.store.KafkaSuiteStores;
import org.apache.kafka.streams.state.internals.AbstractKeyValueStoreTest;

/**
 * Kafka's own key-value store suite from Kafka's test jar (the compatibility matrix runs it on Kafka Streams 4.0 to
 * 4.3; the main build runs the same suite from {@code io.bucketmap.store.kafkasuite}, as 4.4 has no test jar) on the ordered bucket-map store, built the way Kafka tests its
 * {@code InMemoryKeyValueStore} ({@code InMemoryKeyValueStoreTest}): {@code Stores.keyValueStoreBuilder} with its
 * defaults, so the suite's typed calls go through the metered layer (serdes) and the change-logging layer (which the
 * suite's driver records) straight to our store, with no cache in between.
 */
@KafkaStoreSuite.TestJar
class BucketMapStoreKafkaJarSuiteTest extends AbstractKeyValueStoreTest {

    @Override
    protected <K, V> KeyValueStore<K, V> createKeyValueStore(StateStoreContext context) {
        return KafkaSuiteStores.ordered(context);
    }
}
