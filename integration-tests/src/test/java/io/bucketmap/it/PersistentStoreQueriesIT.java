package io.bucketmap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bucketmap.store.BucketMapStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.ResultOrder;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.query.TimestampedKeyQuery;
import org.apache.kafka.streams.query.TimestampedRangeQuery;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24 on the real broker: IQv2 through {@code KafkaStreams.query} (and IQv1 through {@code KafkaStreams.store})
 * on the persistent bucket-map stores in the positions where Kafka's builders put an adapter around them, each beside
 * Kafka's own store in the same position, fed the same records over two partitions. The reported combination first: a
 * DSL {@code count()} materialized on {@code BucketMapStores.persistentKeyValueStore} (behind Kafka's timestamp
 * adapter, whose range queries failed with a ClassCastException); then the hash-order persistent store there, a
 * persistent headers store under {@code Stores.timestampedKeyValueStoreBuilder} (the same adapter) and under
 * {@code Materialized.as} (the headers builder, no adapter). Every answer must equal Kafka's store's.
 */
class PersistentStoreQueriesIT {

    private static final String INPUT = "orders";
    private static final int PARTITIONS = 2;
    private static final int CUSTOMERS = 60;
    private static final int ORDERS = 500;
    private static final String LOWER = "customer-010";
    private static final String UPPER = "customer-030";

    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    /** Our store's name and Kafka's store's name, for each position. */
    private static final Map<String, String> PAIRS = new LinkedHashMap<>(Map.of(
        "bm-order-counts", "kafka-order-counts",
        "bm-hash-order-counts", "kafka-hash-order-counts",
        "bm-headers-counts", "kafka-headers-counts",
        "bm-headers-latest", "kafka-headers-latest"));

    @Test
    @Timeout(180)
    void everyQueryOnThePersistentStoresBehindKafkasAdaptersAnswersAsKafkasOwnStoreDoes(@TempDir Path stateDir)
        throws Exception {
        cluster.createTopics(PARTITIONS, INPUT);
        TreeMap<String, Object> counts = new TreeMap<>();
        TreeMap<String, Object> latest = new TreeMap<>();
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
            for (int i = 0; i < ORDERS; i++) {
                String customer = String.format("customer-%03d", (i * 7) % CUSTOMERS);
                producer.send(new ProducerRecord<>(INPUT, null, 1_767_225_600_000L + i, bytes(customer),
                    bytes("order-" + i), new RecordHeaders().add("seq", bytes(Integer.toString(i)))));
                counts.merge(customer, 1L, (count, one) -> (Long) count + 1);
                latest.put(customer, "order-" + i);
            }
        }
        KafkaStreams streams = new KafkaStreams(topology(),
            StreamsApps.properties(cluster.bootstrapServers(), StreamsApps.uniqueApplicationId("persistent-iq"),
                stateDir));
        try {
            StreamsApps.startAndAwaitRunning(streams);
            Map<String, List<String>> expectedRows = new LinkedHashMap<>();
            PAIRS.forEach((ours, kafkas) -> {
                List<String> rows = rowsOf(ours.endsWith("latest") ? latest : counts);
                expectedRows.put(ours, rows);
                expectedRows.put(kafkas, rows);
            });
            // each store holds every order once its cache reached it at a commit; the answers are stable from then on
            await("every store holds every order").atMost(Duration.ofSeconds(90)).ignoreExceptions()
                .until(() -> expectedRows.entrySet().stream()
                    .allMatch(store -> rows(streams, store.getKey()).equals(store.getValue())));

            for (Map.Entry<String, String> pair : PAIRS.entrySet()) {
                assertThat(answers(streams, pair.getKey())).as("%s beside %s", pair.getKey(), pair.getValue())
                    .isEqualTo(answers(streams, pair.getValue()));
            }
        } finally {
            StreamsApps.closeLeavingGroup(streams);
        }
    }

    /**
     * Counts per customer, materialized on each persistent supplier (the DSL's timestamp adapter for the plain ones,
     * the headers builder for the headers one), and the latest order per customer with its timestamp, kept by a
     * processor in a headers store under the timestamped builder (the timestamp adapter again).
     */
    private static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.timestampedKeyValueStoreBuilder(
            BucketMapStores.persistentTimestampedKeyValueStoreWithHeaders("bm-headers-latest"),
            Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.timestampedKeyValueStoreBuilder(
            Stores.persistentTimestampedKeyValueStoreWithHeaders("kafka-headers-latest"),
            Serdes.String(), Serdes.String()));
        KStream<String, String> orders = builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.String()));
        orders.process(KeepLatest::new, "bm-headers-latest", "kafka-headers-latest");
        KGroupedStream<String, String> byCustomer = orders.groupByKey();
        byCustomer.count(counted(BucketMapStores.persistentKeyValueStore("bm-order-counts")));
        byCustomer.count(counted(Stores.persistentKeyValueStore("kafka-order-counts")));
        byCustomer.count(counted(BucketMapStores.persistentHashOrderKeyValueStore("bm-hash-order-counts"))
            .withCachingDisabled());
        byCustomer.count(counted(Stores.persistentKeyValueStore("kafka-hash-order-counts")).withCachingDisabled());
        byCustomer.count(counted(BucketMapStores.persistentTimestampedKeyValueStoreWithHeaders("bm-headers-counts")));
        byCustomer.count(counted(Stores.persistentTimestampedKeyValueStoreWithHeaders("kafka-headers-counts")));
        return builder.build();
    }

    private static Materialized<String, Long, KeyValueStore<Bytes, byte[]>> counted(
        KeyValueBytesStoreSupplier supplier) {
        return Materialized.<String, Long>as(supplier).withKeySerde(Serdes.String()).withValueSerde(Serdes.Long());
    }

    /** Every answer of one store, by question: IQv2 key, range and timestamped queries over all partitions, IQv1. */
    private static Map<String, Object> answers(KafkaStreams streams, String store) {
        Map<String, Object> answers = new LinkedHashMap<>();
        answers.put("RangeQuery all", keyValues(streams, store, RangeQuery.withNoBounds()));
        answers.put("RangeQuery all descending", keyValues(streams, store, RangeQuery.<String, Object>withNoBounds()
            .withDescendingKeys()));
        answers.put("RangeQuery [lower, upper]", keyValues(streams, store, RangeQuery.withRange(LOWER, UPPER)));
        answers.put("RangeQuery [lower, upper] descending", keyValues(streams, store,
            RangeQuery.withRange(LOWER, UPPER).withDescendingKeys()));
        answers.put("TimestampedRangeQuery all", keyValues(streams, store, TimestampedRangeQuery.withNoBounds()));
        answers.put("TimestampedRangeQuery [lower, upper] descending", keyValues(streams, store,
            TimestampedRangeQuery.withRange(LOWER, UPPER).withDescendingKeys()));
        for (String key : List.of("customer-000", "customer-059", "absent")) {
            answers.put("KeyQuery " + key, single(streams, store, KeyQuery.withKey(key)));
            answers.put("TimestampedKeyQuery " + key, single(streams, store, TimestampedKeyQuery.withKey(key)));
        }
        ReadOnlyKeyValueStore<String, Object> iqv1 = streams.store(
            StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
        // IQv1 walks the partitions one after the other: a hash-order store's answers are compared as sets
        boolean hashOrder = store.contains("hash-order");
        answers.put("IQv1 range [lower, upper]", inOrder(drain(iqv1.range(LOWER, UPPER)), hashOrder));
        answers.put("IQv1 reverseAll", inOrder(drain(iqv1.reverseAll()), hashOrder));
        return answers;
    }

    /**
     * The entries a range query returns from every partition, merged in the query's order; each partition's entries
     * are checked to come in that order first, as the merge would hide it (a hash-order store's are not checked).
     */
    private static <V> List<String> keyValues(KafkaStreams streams, String store,
                                              Query<KeyValueIterator<String, V>> query) {
        StateQueryResult<KeyValueIterator<String, V>> result =
            streams.query(StateQueryRequest.inStore(store).withQuery(query));
        Comparator<String> order = isDescending(query) ? Comparator.reverseOrder() : Comparator.naturalOrder();
        List<String> all = new ArrayList<>();
        assertThat(result.getPartitionResults()).as("%s in %s", query, store).hasSize(PARTITIONS);
        for (QueryResult<KeyValueIterator<String, V>> partition : result.getPartitionResults().values()) {
            assertThat(partition.isSuccess()).as("%s in %s: %s", query, store, partition).isTrue();
            List<String> entries = drain(partition.getResult());
            if (!store.contains("hash-order")) {
                assertThat(entries).as("%s in %s, one partition", query, store).isSortedAccordingTo(order);
            }
            all.addAll(entries);
        }
        all.sort(order);
        return all;
    }

    private static boolean isDescending(Query<?> query) {
        ResultOrder order = query instanceof RangeQuery<?, ?> range ? range.resultOrder()
            : ((TimestampedRangeQuery<?, ?>) query).resultOrder();
        return order == ResultOrder.DESCENDING;
    }

    /** The one non-null answer of a key query over all partitions, as text, or "null". */
    private static <R> String single(KafkaStreams streams, String store, Query<R> query) {
        StateQueryResult<R> result = streams.query(StateQueryRequest.inStore(store).withQuery(query));
        String found = "null";
        for (QueryResult<R> partition : result.getPartitionResults().values()) {
            assertThat(partition.isSuccess()).as("%s in %s: %s", query, store, partition).isTrue();
            if (partition.getResult() != null) {
                found = describe(partition.getResult());
            }
        }
        return found;
    }

    /** Every row of a store, as "key=value", through an unbounded range query. */
    private static List<String> rows(KafkaStreams streams, String store) {
        return keyValues(streams, store, RangeQuery.<String, Object>withNoBounds());
    }

    private static List<String> inOrder(List<String> entries, boolean sorted) {
        if (sorted) {
            entries.sort(Comparator.naturalOrder());
        }
        return entries;
    }

    private static <K, V> List<String> drain(KeyValueIterator<K, V> iterator) {
        List<String> entries = new ArrayList<>();
        try (iterator) {
            iterator.forEachRemaining(entry -> entries.add(entry.key + "=" + describe(entry.value)));
        }
        return entries;
    }

    private static String describe(Object value) {
        if (value instanceof ValueAndTimestamp<?> timestamped) {
            return timestamped.value() + "@" + timestamped.timestamp();
        }
        return String.valueOf(value);
    }

    private static List<String> rowsOf(TreeMap<String, Object> table) {
        List<String> rows = new ArrayList<>();
        table.forEach((key, value) -> rows.add(key + "=" + value));
        return rows;
    }

    /** Keeps each customer's latest order with its timestamp in both headers stores. */
    private static final class KeepLatest implements Processor<String, String, Void, Void> {
        private TimestampedKeyValueStore<String, String> bucketMap;
        private TimestampedKeyValueStore<String, String> kafka;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            bucketMap = context.getStateStore("bm-headers-latest");
            kafka = context.getStateStore("kafka-headers-latest");
        }

        @Override
        public void process(Record<String, String> record) {
            ValueAndTimestamp<String> latest = ValueAndTimestamp.make(record.value(), record.timestamp());
            bucketMap.put(record.key(), latest);
            kafka.put(record.key(), latest);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
