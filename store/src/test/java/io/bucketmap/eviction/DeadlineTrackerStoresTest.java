package io.bucketmap.eviction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketmap.store.BucketMapStores;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.junit.jupiter.api.Test;

class DeadlineTrackerStoresTest {

    @Test
    void theStoresAreNamedAfterTheTrackerPendingStoreFirst() {
        List<StoreBuilder<KeyValueStore<Bytes, byte[]>>> builders = DeadlineTrackerStores.bucketMapStoreBuilders("risk");

        assertThat(builders).extracting(StoreBuilder::name).containsExactly("risk-pending", "risk-deadlines");
        assertThat(builders).allSatisfy(builder -> assertThat(builder.loggingEnabled()).isTrue());
    }

    @Test
    void bucketMapStoreBuildersKeepPendingEntriesInHashOrderAndTheIndexInKeyOrder() {
        TrackerStores stores = new TrackerStores(DeadlineTrackerStores.bucketMapStoreBuilders("t"));
        List<Bytes> ascending = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            Bytes key = Bytes.wrap(String.format("id-%04d", i).getBytes(StandardCharsets.US_ASCII));
            ascending.add(key);
            stores.pending.put(key, new byte[1]);
            stores.rawIndex.put(key, new byte[1]);
        }

        assertThat(keysOf(stores.rawIndex)).isEqualTo(ascending);
        assertThat(keysOf(stores.pending)).hasSameElementsAs(ascending).isNotEqualTo(ascending);
    }

    @Test
    void aHashOrderDeadlineIndexIsRefusedWhenTheStoresAreBuilt() {
        assertThatThrownBy(() -> DeadlineTrackerStores.storeBuilders("t", BucketMapStores::hashOrderKeyValueStore))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("t-deadlines")
            .hasMessageContaining("must be an ordered store");
        assertThatThrownBy(() -> DeadlineTrackerStores.storeBuilders("t", BucketMapStores::keyValueStore,
            BucketMapStores::persistentHashOrderKeyValueStore))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("must be an ordered store");
    }

    @Test
    void anyPendingStoreIsAcceptedBesideAnOrderedIndex() {
        assertThat(DeadlineTrackerStores.storeBuilders("t", BucketMapStores::persistentHashOrderKeyValueStore,
            BucketMapStores::persistentKeyValueStore)).extracting(StoreBuilder::name)
            .containsExactly("t-pending", "t-deadlines");
    }

    private static List<Bytes> keysOf(KeyValueStore<Bytes, byte[]> store) {
        List<Bytes> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            all.forEachRemaining((KeyValue<Bytes, byte[]> entry) -> keys.add(entry.key));
        }
        return keys;
    }
}
