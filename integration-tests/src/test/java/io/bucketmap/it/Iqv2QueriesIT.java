package io.bucketmap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bucketmap.store.BucketMapStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ReadOnlyRecord;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.query.TimestampedKeyQuery;
import org.apache.kafka.streams.query.TimestampedKeyWithHeadersQuery;
import org.apache.kafka.streams.query.TimestampedRangeQuery;
import org.apache.kafka.streams.query.TimestampedRangeWithHeadersQuery;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyRecordIterator;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStoreWithHeaders;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.ValueTimestampHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every IQv2 key-value query of Kafka 4.4 through {@code KafkaStreams.query} on the real broker, asked of a
 * bucket-map headers store and of Kafka's own in-memory store fed the same records by the same processor: the
 * timestamped queries (KIP-992), descending ranges (KIP-985), the header-aware queries (KIP-1356), and position
 * bounds after the state was rebuilt from the changelog. Both stores must answer alike, and as the input says.
 */
class Iqv2QueriesIT {

    private static final String INPUT = "iq-input";
    private static final String BUCKET_MAP = "iq-bucketmap";
    private static final String KAFKA_IN_MEMORY = "iq-kafka-in-memory";
    private static final int PARTITIONS = 2;
    private static final int KEYS = 200;
    private static final long BASE_TIME = 1_767_225_600_000L;

    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    @Test
    @Timeout(180)
    void everyKeyValueQueryOfKafka44AnswersAsKafkasInMemoryStoreDoesAndKeepsItsPositionThroughARestore(
        @TempDir Path firstStateDir, @TempDir Path secondStateDir) throws Exception {
        cluster.createTopics(PARTITIONS, INPUT);
        TreeMap<String, String> expected = new TreeMap<>();
        Map<String, String> expectedRows = new TreeMap<>();
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
            for (int i = 0; i < KEYS * 2; i++) {
                String key = key(i % KEYS);
                String value = "v" + i;
                RecordHeaders headers = new RecordHeaders();
                headers.add("seq", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
                producer.send(new ProducerRecord<>(INPUT, null, timestampOf(i), bytes(key), bytes(value), headers));
                expected.put(key, value);
                expectedRows.put(key, value + "@" + timestampOf(i) + " seq=" + i);
            }
        }
        String applicationId = StreamsApps.uniqueApplicationId("iqv2");
        Position positionBeforeRestart;
        KafkaStreams first = new KafkaStreams(topology(), properties(applicationId, firstStateDir));
        try {
            StreamsApps.startAndAwaitRunning(first);
            // every key's last record, not only every key: the second write of a key may still be on its way
            await("both stores hold every key's last record").atMost(Duration.ofSeconds(60))
                .until(() -> rows(first, BUCKET_MAP, PositionBound.unbounded()).equals(expectedRows)
                    && rows(first, KAFKA_IN_MEMORY, PositionBound.unbounded()).equals(expectedRows));
            assertEveryQueryAnswersAsExpected(first, expected, PositionBound.unbounded());
            positionBeforeRestart = query(first, BUCKET_MAP, RangeQuery.withNoBounds(), PositionBound.unbounded())
                .getPosition();
            assertThat(positionBeforeRestart.getTopics()).containsExactly(INPUT);
        } finally {
            StreamsApps.closeLeavingGroup(first);
        }

        // a new instance with an empty state directory: the stores are rebuilt from their changelogs
        KafkaStreams second = new KafkaStreams(topology(), properties(applicationId, secondStateDir));
        try {
            StreamsApps.startAndAwaitRunning(second);
            PositionBound reached = PositionBound.at(positionBeforeRestart);
            await("restored stores reach the position seen before the restart").atMost(Duration.ofSeconds(60))
                .until(() -> query(second, BUCKET_MAP, RangeQuery.withNoBounds(), reached).isSuccess());
            assertEveryQueryAnswersAsExpected(second, expected, reached);

            Position ahead = Position.emptyPosition();
            positionBeforeRestart.getPartitionPositions(INPUT)
                .forEach((partition, offset) -> ahead.withComponent(INPUT, partition, offset + 1_000));
            for (String store : List.of(BUCKET_MAP, KAFKA_IN_MEMORY)) {
                StateQueryResult<ValueAndTimestamp<String>> notYet = second.query(StateQueryRequest.inStore(store)
                    .withQuery(TimestampedKeyQuery.<String, String>withKey(key(0))).withPositionBound(
                        PositionBound.at(ahead)));
                assertThat(notYet.getPartitionResults().values()).as(store).isNotEmpty().allSatisfy(result -> {
                    assertThat(result.isFailure()).isTrue();
                    assertThat(result.getFailureReason()).isEqualTo(FailureReason.NOT_UP_TO_BOUND);
                });
            }
        } finally {
            StreamsApps.closeLeavingGroup(second);
        }
    }

    private static void assertEveryQueryAnswersAsExpected(KafkaStreams streams, TreeMap<String, String> expected,
                                                          PositionBound bound) {
        String lower = key(20);
        String upper = key(60);
        List<String> ascending = new ArrayList<>(expected.subMap(lower, true, upper, true).keySet());
        List<String> descending = new ArrayList<>(expected.subMap(lower, true, upper, true).descendingKeySet());
        for (String store : List.of(BUCKET_MAP, KAFKA_IN_MEMORY)) {
            for (int k : new int[] {0, 7, 150, 199}) {
                String key = key(k);
                ValueAndTimestamp<String> timestamped =
                    single(streams, store, TimestampedKeyQuery.withKey(key), bound);
                assertThat(timestamped.value()).as(store).isEqualTo(expected.get(key));
                assertThat(timestamped.timestamp()).as(store).isEqualTo(timestampOf(k + KEYS));

                ReadOnlyRecord<String, String> withHeaders =
                    single(streams, store, TimestampedKeyWithHeadersQuery.withKey(key), bound);
                assertThat(withHeaders.key()).as(store).isEqualTo(key);
                assertThat(withHeaders.value()).as(store).isEqualTo(expected.get(key));
                assertThat(withHeaders.timestamp()).as(store).isEqualTo(timestampOf(k + KEYS));
                assertThat(new String(withHeaders.headers().lastHeader("seq").value(), StandardCharsets.UTF_8))
                    .as(store).isEqualTo(Integer.toString(k + KEYS));
            }
            assertThat(single(streams, store, TimestampedKeyQuery.withKey("absent"), bound)).as(store).isNull();

            assertThat(keysPerPartition(streams, store,
                TimestampedRangeQuery.<String, String>withRange(lower, upper), bound, kv -> kv.key))
                .as(store + " timestamped range").isEqualTo(ascending);
            assertThat(keysPerPartition(streams, store,
                TimestampedRangeQuery.<String, String>withRange(lower, upper).withDescendingKeys(), bound,
                kv -> kv.key)).as(store + " timestamped range, descending").isEqualTo(descending);
            assertThat(keysPerPartition(streams, store,
                RangeQuery.<String, String>withRange(lower, upper).withDescendingKeys(), bound, kv -> kv.key))
                .as(store + " range, descending").isEqualTo(descending);
            assertThat(keysPerPartition(streams, store,
                RangeQuery.<String, String>withNoBounds().withDescendingKeys(), bound, kv -> kv.key))
                .as(store + " all, descending").isEqualTo(new ArrayList<>(expected.descendingKeySet()));
            assertThat(recordsPerPartition(streams, store,
                TimestampedRangeWithHeadersQuery.<String, String>withRange(lower, upper), bound))
                .as(store + " range with headers").isEqualTo(ascending);
            assertThat(recordsPerPartition(streams, store,
                TimestampedRangeWithHeadersQuery.<String, String>withRange(lower, upper).withDescendingKeys(), bound))
                .as(store + " range with headers, descending").isEqualTo(descending);
        }
        Map<String, String> bucketMapRows = rows(streams, BUCKET_MAP, bound);
        assertThat(bucketMapRows).isEqualTo(rows(streams, KAFKA_IN_MEMORY, bound)).hasSize(KEYS);
    }

    /** The one non-null partition result of a key query (null if no partition has the key). */
    private static <R> R single(KafkaStreams streams, String store, Query<R> query, PositionBound bound) {
        StateQueryResult<R> result = streams.query(StateQueryRequest.inStore(store).withQuery(query)
            .withPositionBound(bound));
        R found = null;
        for (QueryResult<R> partition : result.getPartitionResults().values()) {
            assertThat(partition.isSuccess()).as("%s in %s: %s", query, store, partition).isTrue();
            if (partition.getResult() != null) {
                assertThat(found).as("a second partition holds the key").isNull();
                found = partition.getResult();
            }
        }
        return found;
    }

    /**
     * The keys a range query returns, partition after partition, each partition's keys merged in the query's order:
     * per partition the order must already be the query's, which the merge would hide, so it is checked first.
     */
    private static <T> List<String> keysPerPartition(KafkaStreams streams, String store,
                                                     Query<KeyValueIterator<String, T>> query, PositionBound bound,
                                                     Function<org.apache.kafka.streams.KeyValue<String, T>, String> key) {
        StateQueryResult<KeyValueIterator<String, T>> result =
            streams.query(StateQueryRequest.inStore(store).withQuery(query).withPositionBound(bound));
        List<String> all = new ArrayList<>();
        for (QueryResult<KeyValueIterator<String, T>> partition : result.getPartitionResults().values()) {
            assertThat(partition.isSuccess()).as("%s in %s: %s", query, store, partition).isTrue();
            List<String> keys = new ArrayList<>();
            try (KeyValueIterator<String, T> entries = partition.getResult()) {
                entries.forEachRemaining(kv -> keys.add(key.apply(kv)));
            }
            assertThat(keys).as("%s in %s, one partition", query, store).isSortedAccordingTo(
                descending(query) ? java.util.Comparator.<String>reverseOrder() : java.util.Comparator.naturalOrder());
            all.addAll(keys);
        }
        all.sort(descending(query) ? java.util.Comparator.reverseOrder() : java.util.Comparator.naturalOrder());
        return all;
    }

    /** As {@link #keysPerPartition}, for the header-aware range query; also checks each record's fields. */
    private static List<String> recordsPerPartition(KafkaStreams streams, String store,
                                                    TimestampedRangeWithHeadersQuery<String, String> query,
                                                    PositionBound bound) {
        StateQueryResult<ReadOnlyRecordIterator<String, String>> result =
            streams.query(StateQueryRequest.inStore(store).withQuery(query).withPositionBound(bound));
        List<String> all = new ArrayList<>();
        for (QueryResult<ReadOnlyRecordIterator<String, String>> partition : result.getPartitionResults().values()) {
            assertThat(partition.isSuccess()).as("%s in %s: %s", query, store, partition).isTrue();
            List<String> keys = new ArrayList<>();
            try (ReadOnlyRecordIterator<String, String> records = partition.getResult()) {
                records.forEachRemaining(record -> {
                    int k = Integer.parseInt(record.key().substring(4));
                    assertThat(record.value()).isEqualTo("v" + (k + KEYS));
                    assertThat(record.timestamp()).isEqualTo(timestampOf(k + KEYS));
                    assertThat(new String(record.headers().lastHeader("seq").value(), StandardCharsets.UTF_8))
                        .isEqualTo(Integer.toString(k + KEYS));
                    keys.add(record.key());
                });
            }
            boolean descending = query.resultOrder() == org.apache.kafka.streams.query.ResultOrder.DESCENDING;
            assertThat(keys).isSortedAccordingTo(descending ? java.util.Comparator.<String>reverseOrder()
                : java.util.Comparator.naturalOrder());
            all.addAll(keys);
        }
        boolean descending = query.resultOrder() == org.apache.kafka.streams.query.ResultOrder.DESCENDING;
        all.sort(descending ? java.util.Comparator.reverseOrder() : java.util.Comparator.naturalOrder());
        return all;
    }

    private static boolean descending(Query<?> query) {
        if (query instanceof RangeQuery<?, ?> range) {
            return range.resultOrder() == org.apache.kafka.streams.query.ResultOrder.DESCENDING;
        }
        return ((TimestampedRangeQuery<?, ?>) query).resultOrder()
            == org.apache.kafka.streams.query.ResultOrder.DESCENDING;
    }

    /** Every row as "value@timestamp seq=n", through the headers range query with no bounds. */
    private static Map<String, String> rows(KafkaStreams streams, String store, PositionBound bound) {
        Map<String, String> rows = new TreeMap<>();
        StateQueryResult<ReadOnlyRecordIterator<String, String>> result = streams.query(StateQueryRequest
            .inStore(store).withQuery(TimestampedRangeWithHeadersQuery.<String, String>withNoBounds())
            .withPositionBound(bound));
        result.getPartitionResults().values().forEach(partition -> {
            try (ReadOnlyRecordIterator<String, String> records = partition.getResult()) {
                records.forEachRemaining(record -> rows.put(record.key(), record.value() + "@" + record.timestamp()
                    + " seq=" + new String(record.headers().lastHeader("seq").value(), StandardCharsets.UTF_8)));
            }
        });
        return rows;
    }

    private static <R> StateQueryResult<R> queryAll(KafkaStreams streams, String store, Query<R> query,
                                                    PositionBound bound) {
        return streams.query(StateQueryRequest.inStore(store).withQuery(query).withPositionBound(bound));
    }

    /** One query over every partition, as a single result whose position merges the partitions' positions. */
    private static QueryResult<?> query(KafkaStreams streams, String store, Query<?> query, PositionBound bound) {
        StateQueryResult<?> result = queryAll(streams, store, query, bound);
        boolean success = !result.getPartitionResults().isEmpty()
            && result.getPartitionResults().values().stream().allMatch(QueryResult::isSuccess);
        result.getPartitionResults().values().forEach(partition -> {
            if (partition.isSuccess() && partition.getResult() instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        QueryResult<Void> merged = success ? QueryResult.forResult(null)
            : QueryResult.forFailure(FailureReason.NOT_UP_TO_BOUND, "some partition did not answer");
        merged.setPosition(result.getPosition());
        return merged;
    }

    /** The same processor writes each record, with its timestamp and headers, into both stores. */
    private static Topology topology() {
        Topology topology = new Topology();
        topology.addSource("source", new StringDeserializer(), new StringDeserializer(), INPUT);
        topology.addProcessor("keep", KeepInBoth::new, "source");
        topology.addStateStore(headersStore(BucketMapStores.timestampedKeyValueStoreWithHeaders(BUCKET_MAP)), "keep");
        topology.addStateStore(headersStore(Stores.inMemoryKeyValueStore(KAFKA_IN_MEMORY)), "keep");
        return topology;
    }

    private static org.apache.kafka.streams.state.StoreBuilder<TimestampedKeyValueStoreWithHeaders<String, String>>
        headersStore(KeyValueBytesStoreSupplier supplier) {
        return Stores.timestampedKeyValueStoreWithHeadersBuilder(supplier, Serdes.String(), Serdes.String());
    }

    private static final class KeepInBoth implements Processor<String, String, Void, Void> {
        private TimestampedKeyValueStoreWithHeaders<String, String> bucketMap;
        private TimestampedKeyValueStoreWithHeaders<String, String> kafka;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            bucketMap = context.getStateStore(BUCKET_MAP);
            kafka = context.getStateStore(KAFKA_IN_MEMORY);
        }

        @Override
        public void process(Record<String, String> record) {
            ValueTimestampHeaders<String> row =
                ValueTimestampHeaders.make(record.value(), record.timestamp(), record.headers());
            bucketMap.put(record.key(), row);
            kafka.put(record.key(), row);
        }
    }

    private static Properties properties(String applicationId, Path stateDir) {
        Properties props = StreamsApps.properties(cluster.bootstrapServers(), applicationId, stateDir);
        // position vectors in changelog headers: what lets a restored store report the position it reached
        props.put(StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, true);
        return props;
    }

    private static String key(int k) {
        return String.format("key-%03d", k);
    }

    private static long timestampOf(int sequence) {
        return BASE_TIME + sequence;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
