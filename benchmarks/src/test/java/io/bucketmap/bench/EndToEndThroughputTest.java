package io.bucketmap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketmap.eviction.DeadlineTrackerStores;
import io.bucketmap.examples.risk.EvictionVariant;
import io.bucketmap.store.BucketMapStores;
import org.junit.jupiter.api.Test;

/** Which store each of the risk topology's stores is, per contender, in {@link EndToEndThroughput}. */
class EndToEndThroughputTest {
    private static final String DEADLINE_INDEX = DeadlineTrackerStores.deadlineIndexStoreName("risk");

    @Test
    void aHashOrderContenderKeepsItsPendingStoreInHashOrderAndItsDeadlineIndexInTheOrderedStore() {
        var suppliers = EndToEndThroughput.suppliers(Contender.BUCKETMAP_STORE_HASH);

        assertThat(suppliers.apply(EvictionVariant.PENDING_STORE).metricsScope())
                .isEqualTo(BucketMapStores.HASH_ORDER_METRICS_SCOPE);
        assertThat(suppliers.apply(DEADLINE_INDEX).metricsScope()).isEqualTo(BucketMapStores.ORDERED_METRICS_SCOPE);
    }

    @Test
    void anOrderedContenderMakesEveryStore() {
        var suppliers = EndToEndThroughput.suppliers(Contender.ROCKSDB_STORE);

        assertThat(suppliers.apply(EvictionVariant.PENDING_STORE).metricsScope()).isEqualTo("rocksdb");
        assertThat(suppliers.apply(DEADLINE_INDEX).metricsScope()).isEqualTo("rocksdb");
    }

    @Test
    void aBareMapCannotRunTheTopology() {
        assertThatThrownBy(() -> EndToEndThroughput.suppliers(Contender.HASHMAP))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
