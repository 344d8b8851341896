package io.bucketmap.examples.risk.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketmap.eviction.DeadlineTrackerStores;
import io.bucketmap.examples.risk.EvictionVariant;
import io.bucketmap.store.BucketMapStoreSupplier;
import io.bucketmap.store.BucketMapStores;
import java.util.function.Function;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.junit.jupiter.api.Test;

class ExampleStoreTest {

    private static final String DEADLINE_INDEX = DeadlineTrackerStores.deadlineIndexStoreName("risk");

    @Test
    void onTheBucketMapTheDeadlineIndexVariantKeepsItsPendingStoreInHashOrderAndItsIndexOrdered() {
        Function<String, KeyValueBytesStoreSupplier> suppliers = ExampleStore.BUCKETMAP.suppliers(EvictionVariant.DEADLINE_INDEX);

        assertThat(isOrdered(suppliers.apply(EvictionVariant.PENDING_STORE))).isFalse();
        assertThat(isOrdered(suppliers.apply(DEADLINE_INDEX))).isTrue();
        assertThat(ExampleStore.BUCKETMAP.pendingStore(EvictionVariant.DEADLINE_INDEX).metricsScope())
            .isEqualTo(BucketMapStores.HASH_ORDER_METRICS_SCOPE);
        assertThat(ExampleStore.BUCKETMAP.describe(EvictionVariant.DEADLINE_INDEX)).isEqualTo(
            "BucketMapStores.hashOrderKeyValueStore (pending store), BucketMapStores.keyValueStore (deadline index)");
    }

    @Test
    void theScanVariantSweepsAnOrderedPendingStore() {
        KeyValueBytesStoreSupplier pending = ExampleStore.BUCKETMAP_PERSISTENT.suppliers(EvictionVariant.STORE_SCAN)
            .apply(EvictionVariant.PENDING_STORE);

        assertThat(isOrdered(pending)).isTrue();
        assertThat(((BucketMapStoreSupplier) pending).isPersistent()).isTrue();
        assertThat(ExampleStore.BUCKETMAP_PERSISTENT.describe(EvictionVariant.STORE_SCAN))
            .isEqualTo("BucketMapStores.persistentKeyValueStore");
    }

    @Test
    void kafkasStoresAreTheSameKindForEveryStore() {
        for (EvictionVariant variant : EvictionVariant.values()) {
            assertThat(ExampleStore.IN_MEMORY.suppliers(variant).apply(EvictionVariant.PENDING_STORE).metricsScope())
                .isEqualTo("in-memory");
            assertThat(ExampleStore.IN_MEMORY.pendingStore(variant).metricsScope()).isNull();
        }
    }

    private static boolean isOrdered(KeyValueBytesStoreSupplier supplier) {
        return ((BucketMapStoreSupplier) supplier).isOrdered();
    }
}
