package io.bucketmap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Interactive queries on a running application's key-value store, both APIs: IQv1
 * ({@code KafkaStreams.store}) and IQv2 ({@code KafkaStreams.query} with {@link KeyQuery} and
 * {@link RangeQuery}) over every local partition. Each IQv2 method asserts that every partition answered
 * successfully, so a failed partition cannot pass for an empty one. Thread-safe as {@link KafkaStreams} is.
 */
final class StoreQueries<K, V> {

    private final KafkaStreams streams;
    private final String storeName;

    StoreQueries(KafkaStreams streams, String storeName) {
        this.streams = streams;
        this.storeName = storeName;
    }

    /** IQv1 view over all local partitions; each call looks the store up again (it may move in a rebalance). */
    ReadOnlyKeyValueStore<K, V> iqv1() {
        return streams.store(StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.keyValueStore()));
    }

    /** IQv1 {@code all()} as a list, in the order returned (per partition, then the next partition). */
    List<KeyValue<K, V>> iqv1All() {
        try (KeyValueIterator<K, V> all = iqv1().all()) {
            return drain(all);
        }
    }

    /** IQv1 {@code range(from, to)} as a list, in the order returned. */
    List<KeyValue<K, V>> iqv1Range(K from, K to) {
        try (KeyValueIterator<K, V> range = iqv1().range(from, to)) {
            return drain(range);
        }
    }

    /** IQv2 {@link KeyQuery}: the value from the one partition that has the key, or null if none has it. */
    V iqv2Get(K key) {
        StateQueryResult<V> result =
            streams.query(StateQueryRequest.inStore(storeName).withQuery(KeyQuery.withKey(key)));
        List<V> found = new ArrayList<>();
        for (QueryResult<V> partition : result.getPartitionResults().values()) {
            assertThat(partition.isSuccess()).as("IQv2 key query %s: %s", key, partition).isTrue();
            if (partition.getResult() != null) {
                found.add(partition.getResult());
            }
        }
        assertThat(found).as("partitions holding key %s", key).hasSizeLessThanOrEqualTo(1);
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * IQv2 {@link RangeQuery} over every local partition: partition number to its entries in the order the
     * store returned them. {@code from} and {@code to} null means unbounded.
     */
    Map<Integer, List<KeyValue<K, V>>> iqv2Range(K from, K to) {
        RangeQuery<K, V> query =
            from == null && to == null ? RangeQuery.withNoBounds() : RangeQuery.withRange(from, to);
        StateQueryResult<KeyValueIterator<K, V>> result =
            streams.query(StateQueryRequest.inStore(storeName).withQuery(query));
        Map<Integer, List<KeyValue<K, V>>> byPartition = new LinkedHashMap<>();
        result.getPartitionResults().forEach((partition, partitionResult) -> {
            assertThat(partitionResult.isSuccess()).as("IQv2 range query: %s", partitionResult).isTrue();
            try (KeyValueIterator<K, V> entries = partitionResult.getResult()) {
                byPartition.put(partition, drain(entries));
            }
        });
        return byPartition;
    }

    private static <K, V> List<KeyValue<K, V>> drain(KeyValueIterator<K, V> iterator) {
        List<KeyValue<K, V>> entries = new ArrayList<>();
        iterator.forEachRemaining(entries::add);
        return entries;
    }
}
