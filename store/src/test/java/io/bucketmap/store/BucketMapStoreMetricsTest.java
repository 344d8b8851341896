package io.bucketmap.store;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The bucket map's internals published as Kafka Streams state-store metrics. */
class BucketMapStoreMetricsTest {
    private static final List<String> NAMES = List.of("num-entries", "num-buckets", "load-factor",
            "num-overflow-buckets", "num-deleted-slots", "growth-in-progress", "buckets-evacuated-total",
            "estimated-heap-bytes", "num-open-map-iterators", "ineffective-rebuilds-total", "reseeds-total");

    private final MockProcessorContext<Object, Object> processorContext = new MockProcessorContext<>();

    @Test
    void initRegistersEveryMetricInTheStateStoreGroupWithTheStoresScopeTags() {
        BucketMapKeyValueStore store = open(BucketMapStores.keyValueStore("counts").get());

        Map<String, MetricName> registered = storeMetrics("bucketmap", "counts");
        assertThat(registered.keySet()).containsExactlyInAnyOrderElementsOf(NAMES);
        for (MetricName name : registered.values()) {
            assertThat(name.group()).isEqualTo("stream-state-metrics");
            assertThat(name.description()).isNotBlank();
            assertThat(name.tags()).containsEntry("task-id", processorContext.taskId().toString())
                    .containsEntry("thread-id", Thread.currentThread().getName())
                    .containsEntry("bucketmap-state-id", "counts");
        }
        store.close();
    }

    @Test
    void metricsReadTheMapsCurrentState() {
        BucketMapKeyValueStore store = open(BucketMapStores.keyValueStore("counts").get());
        for (int i = 0; i < 5_000; i++) {
            store.put(Bytes.wrap(("key-" + i).getBytes(StandardCharsets.UTF_8)), new byte[10]);
        }

        assertThat(value("bucketmap", "counts", "num-entries")).isEqualTo(5_000.0);
        double buckets = value("bucketmap", "counts", "num-buckets");
        assertThat(buckets).isGreaterThan(1.0);
        assertThat(value("bucketmap", "counts", "load-factor")).isEqualTo(5_000.0 / buckets);
        assertThat(value("bucketmap", "counts", "buckets-evacuated-total")).isPositive();
        assertThat(value("bucketmap", "counts", "estimated-heap-bytes")).isGreaterThan(5_000.0 * 26);
        assertThat(value("bucketmap", "counts", "growth-in-progress")).isIn(0.0, 1.0);
        assertThat(value("bucketmap", "counts", "num-overflow-buckets")).isEqualTo(store.stats().overflowBuckets());
        assertThat(value("bucketmap", "counts", "num-deleted-slots")).isEqualTo(store.stats().deletedSlots());

        KeyValueIterator<Bytes, byte[]> iterator = store.all();
        assertThat(value("bucketmap", "counts", "num-open-map-iterators")).isEqualTo(1.0);
        iterator.close();
        assertThat(value("bucketmap", "counts", "num-open-map-iterators")).isZero();
        store.close();
    }

    @Test
    void growthInProgressIsOneWhileTheTableMigrates() {
        BucketMapKeyValueStore store = open(BucketMapStores.keyValueStore("counts").get());
        boolean sawGrowth = false;
        for (int i = 0; i < 10_000 && !sawGrowth; i++) {
            store.put(Bytes.wrap(("key-" + i).getBytes(StandardCharsets.UTF_8)), new byte[1]);
            sawGrowth = value("bucketmap", "counts", "growth-in-progress") == 1.0;
        }

        assertThat(sawGrowth).isTrue();
        store.close();
    }

    @Test
    void theHashOrderStoreReportsInItsOwnScope() {
        BucketMapKeyValueStore store = open(BucketMapStores.hashOrderKeyValueStore("lean").get());

        assertThat(storeMetrics("bucketmap-hash", "lean").keySet()).containsExactlyInAnyOrderElementsOf(NAMES);
        store.close();
    }

    @Test
    void closeRemovesTheMetrics() {
        BucketMapKeyValueStore store = open(BucketMapStores.keyValueStore("counts").get());

        store.close();

        assertThat(storeMetrics("bucketmap", "counts")).isEmpty();
    }

    @Test
    void theMetricsLiveBesideKafkasMeteredLayerMetricsWithoutClashing() {
        KeyValueStore<String, Long> store = Stores.keyValueStoreBuilder(
                        BucketMapStores.keyValueStore("counts"), Serdes.String(), Serdes.Long())
                .withLoggingDisabled()
                .build();
        store.init(processorContext.getStateStoreContext(), store);
        store.put("a", 1L);

        Map<String, MetricName> registered = storeMetrics("bucketmap", "counts");
        assertThat(registered.keySet()).containsAll(NAMES).contains("put-rate", "num-open-iterators");
        assertThat(value("bucketmap", "counts", "num-entries")).isEqualTo(1.0);
        store.close();
    }

    private BucketMapKeyValueStore open(KeyValueStore<Bytes, byte[]> supplied) {
        BucketMapKeyValueStore store = (BucketMapKeyValueStore) supplied;
        store.init(processorContext.getStateStoreContext(), store);
        return store;
    }

    private Map<String, MetricName> storeMetrics(String scope, String storeName) {
        return processorContext.metrics().metrics().keySet().stream()
                .filter(name -> storeName.equals(name.tags().get(scope + "-state-id")))
                .collect(Collectors.toMap(MetricName::name, name -> name));
    }

    private double value(String scope, String storeName, String metric) {
        Optional<? extends Metric> found = processorContext.metrics().metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(metric))
                .filter(e -> storeName.equals(e.getKey().tags().get(scope + "-state-id")))
                .map(Map.Entry::getValue)
                .findFirst();
        assertThat(found).as("metric %s", metric).isPresent();
        return ((Number) found.get().metricValue()).doubleValue();
    }
}
