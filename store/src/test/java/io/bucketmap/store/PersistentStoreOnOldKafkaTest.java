package io.bucketmap.store;

import org.apache.kafka.streams.state.DslKeyValueParams;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On a Kafka Streams without the managed-offset API (before 4.3, see {@link KafkaStreamsCompatibility}) the persistent
 * store refuses to be built, naming the version it needs, and the in-memory store is unaffected. Skipped on 4.3 and
 * newer, where the tests of the persistent store run instead.
 */
@RequiresKafkaStreams(value = "4.0", before = "4.3")
class PersistentStoreOnOldKafkaTest {

    @Test
    void thePersistentSuppliersGetFailsNamingTheVersionItNeedsAndTheVersionFound() {
        KeyValueBytesStoreSupplier supplier = BucketMapStores.persistentKeyValueStore("counts");

        assertThatThrownBy(supplier::get)
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageMatching("The persistent bucket-map store counts needs Kafka Streams 4\\.3 or newer \\(it"
                        + " keeps its changelog offsets through StateStore\\.commit\\(Map\\), added in 4\\.3\\), but"
                        + " this application runs Kafka Streams 4\\.[0-2]\\.[0-9]+\\. Upgrade Kafka Streams to 4\\.3"
                        + " or newer, or use the in-memory BucketMapStores\\.keyValueStore, which runs on 4\\.0 and"
                        + " newer\\.");
    }

    @Test
    void thePersistentDslSuppliersStoreFailsTheSameWay() {
        KeyValueBytesStoreSupplier supplier =
                new PersistentBucketMapDslStoreSuppliers().keyValueStore(new DslKeyValueParams("counts", true));

        assertThatThrownBy(supplier::get).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("needs Kafka Streams 4.3 or newer");
    }

    @Test
    void theInMemoryStoresAreBuiltAsUsual() {
        assertThat(BucketMapStores.keyValueStore("a").get()).isInstanceOf(BucketMapKeyValueStore.class);
        assertThat(BucketMapStores.hashOrderKeyValueStore("b").get()).isInstanceOf(BucketMapKeyValueStore.class);
    }
}
