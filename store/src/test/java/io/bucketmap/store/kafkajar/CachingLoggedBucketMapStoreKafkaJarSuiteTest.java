package io.bucketmap.store.kafkajar;

import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import io.bucketmap.store.KafkaStoreSuite;
import io.bucketmap.store.KafkaSuiteStores;
import org.apache.kafka.streams.state.internals.AbstractKeyValueStoreTest;


/**
 * Kafka's own key-value store suite from Kafka's test jar (the compatibility matrix runs it on Kafka Streams 4.0 to
 * 4.3; the main build runs the same suite from {@code io.bucketmap.store.kafkasuite}, as 4.4 has no test jar) on the ordered bucket-map store under the full production stack:
 * Metered, Caching and ChangeLogging layers, as {@code Stores.keyValueStoreBuilder(...).withCachingEnabled()
 * .withLoggingEnabled(...)} builds it for a user.
 */
@KafkaStoreSuite.TestJar
class CachingLoggedBucketMapStoreKafkaJarSuiteTest extends AbstractKeyValueStoreTest {

    @Override
    protected <K, V> KeyValueStore<K, V> createKeyValueStore(StateStoreContext context) {
        return KafkaSuiteStores.orderedCachedAndLogged(context);
    }
}
