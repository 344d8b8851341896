package io.bucketmap.store;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.DslStoreFormat;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.state.DslKeyValueParams;
import org.apache.kafka.streams.state.HeadersBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where a bucket-map store answers differently from Kafka's own store in the same position, each written down in
 * {@code docs/differences-from-kafka.md} (the prefix scans are in {@link PrefixScanEdgeCasesTest}). Kafka's side is
 * pinned too, so that a Kafka release that changes it makes the document visibly out of date.
 */
class DifferencesFromKafkaTest {
    private static final String INPUT = "input";
    private static final QueryConfig NO_EXECUTION_INFO = new QueryConfig(false);

    @Test
    void aDeleteAdvancesThePositionAsKafkasRocksDbStoreDoesWhereKafkasInMemoryStoreDoesNot(@TempDir Path stateDir) {
        Map<String, KeyValueBytesStoreSupplier> stores = Map.of(
                "bucket-map", BucketMapStores.keyValueStore("bucket-map"),
                "kafka-rocksdb", Stores.persistentKeyValueStore("kafka-rocksdb"),
                "kafka-in-memory", Stores.inMemoryKeyValueStore("kafka-in-memory"));
        Topology topology = topology(stores, false, supplier -> Stores.keyValueStoreBuilder(supplier,
                Serdes.String(), Serdes.String()));
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, config(stateDir))) {
            TestInputTopic<String, String> input =
                    driver.createInputTopic(INPUT, new StringSerializer(), new StringSerializer());
            input.pipeInput("k", "v");
            input.pipeInput("k", (String) null);

            Position afterTheDelete = Position.emptyPosition().withComponent(INPUT, 0, 1L);
            assertThat(positionOf(driver, "bucket-map")).isEqualTo(afterTheDelete);
            assertThat(positionOf(driver, "kafka-rocksdb")).isEqualTo(afterTheDelete);
            assertThat(positionOf(driver, "kafka-in-memory"))
                    .isEqualTo(Position.emptyPosition().withComponent(INPUT, 0, 0L));
        }
    }

    @Test
    @RequiresKafkaStreams("4.3")
    void aRangeQueryWithItsBoundsTheWrongWayRoundUnderTheTimestampAdapterIsEmptyWhereKafkasRocksDbStoreThrows(
            @TempDir Path stateDir) {
        Map<String, KeyValueBytesStoreSupplier> stores = Map.of(
                "bucket-map", BucketMapStores.persistentKeyValueStore("bucket-map"),
                "kafka-rocksdb", Stores.persistentKeyValueStore("kafka-rocksdb"));
        Topology topology = topology(stores, true, supplier -> Stores.timestampedKeyValueStoreBuilder(supplier,
                Serdes.String(), Serdes.String()));
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, config(stateDir))) {
            driver.createInputTopic(INPUT, new StringSerializer(), new StringSerializer()).pipeInput("b", "v");
            RangeQuery<String, String> wrongWayRound = RangeQuery.withRange("c", "a");

            QueryResult<KeyValueIterator<String, String>> ours = driver.getAllStateStores().get("bucket-map")
                    .query(wrongWayRound, PositionBound.unbounded(), NO_EXECUTION_INFO);
            assertThat(ours.isSuccess()).isTrue();
            try (KeyValueIterator<String, String> entries = ours.getResult()) {
                assertThat(entries.hasNext()).isFalse();
            }
            assertThatThrownBy(() -> driver.getAllStateStores().get("kafka-rocksdb")
                    .query(wrongWayRound, PositionBound.unbounded(), NO_EXECUTION_INFO))
                    .isInstanceOf(ClassCastException.class);
        }
    }

    @Test
    void aHashOrderStoreUnderCachingAnswersARangeQueryWithAStoreExceptionThatNamesTheFix(@TempDir Path stateDir) {
        Map<String, KeyValueBytesStoreSupplier> stores = Map.of(
                "bucket-map", BucketMapStores.hashOrderKeyValueStore("bucket-map"),
                "kafka-in-memory", Stores.inMemoryKeyValueStore("kafka-in-memory"));
        Topology topology = topology(stores, false, supplier -> Stores.keyValueStoreBuilder(supplier,
                Serdes.String(), Serdes.String()).withCachingEnabled());
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, config(stateDir))) {
            driver.createInputTopic(INPUT, new StringSerializer(), new StringSerializer()).pipeInput("k", "v");

            QueryResult<KeyValueIterator<String, String>> ours = driver.getAllStateStores().get("bucket-map")
                    .query(RangeQuery.withNoBounds(), PositionBound.unbounded(), NO_EXECUTION_INFO);
            assertThat(ours.getFailureReason()).isEqualTo(FailureReason.STORE_EXCEPTION);
            assertThat(ours.getFailureMessage()).contains("caching disabled");
            QueryResult<String> key = driver.getAllStateStores().get("bucket-map")
                    .query(KeyQuery.withKey("k"), PositionBound.unbounded(), NO_EXECUTION_INFO);
            assertThat(key.getResult()).isEqualTo("v");

            QueryResult<KeyValueIterator<String, String>> kafkas = driver.getAllStateStores().get("kafka-in-memory")
                    .query(RangeQuery.withNoBounds(), PositionBound.unbounded(), NO_EXECUTION_INFO);
            assertThat(kafkas.isSuccess()).isTrue();
            kafkas.getResult().close();
        }
    }

    @Test
    @RequiresKafkaStreams("4.3")
    void underTheHeadersFormatTheInMemoryDslSuppliersGiveAHeadersStoreWhereKafkasGiveATimestampedOne() {
        DslKeyValueParams headers = new DslKeyValueParams("s", DslStoreFormat.HEADERS);

        assertThat(new BucketMapDslStoreSuppliers().keyValueStore(headers))
                .isInstanceOf(HeadersBytesStoreSupplier.class);
        assertThat(new BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers().keyValueStore(headers))
                .isNotInstanceOf(HeadersBytesStoreSupplier.class);
        assertThat(new BuiltInDslStoreSuppliers.RocksDBDslStoreSuppliers().keyValueStore(headers))
                .isInstanceOf(HeadersBytesStoreSupplier.class);
    }

    private static Position positionOf(TopologyTestDriver driver, String store) {
        QueryResult<?> result = driver.getAllStateStores().get(store)
                .query(KeyQuery.withKey("k"), PositionBound.unbounded(), NO_EXECUTION_INFO);
        assertThat(result.isSuccess()).as("%s: %s", store, result).isTrue();
        return result.getPosition();
    }

    /**
     * One processor that writes every input record to each store (a null value deletes), with its timestamp if the
     * stores are {@code timestamped}.
     */
    private static Topology topology(Map<String, KeyValueBytesStoreSupplier> stores, boolean timestamped,
                                     Function<KeyValueBytesStoreSupplier, StoreBuilder<?>> builder) {
        Topology topology = new Topology();
        topology.addSource("in", new StringDeserializer(), new StringDeserializer(), INPUT);
        topology.addProcessor("write", () -> new WriteToEach(List.copyOf(stores.keySet()), timestamped), "in");
        stores.values().forEach(supplier -> topology.addStateStore(builder.apply(supplier), "write"));
        return topology;
    }

    private static Properties config(Path stateDir) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "differences-from-kafka");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return config;
    }

    /** Writes each record to every named store; a null value deletes with {@code delete}. */
    private static final class WriteToEach implements Processor<String, String, Void, Void> {
        private final List<String> names;
        private final boolean timestamped;
        private final List<KeyValueStore<String, Object>> stores = new ArrayList<>();

        WriteToEach(List<String> names, boolean timestamped) {
            this.names = names;
            this.timestamped = timestamped;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            names.forEach(name -> stores.add(context.getStateStore(name)));
        }

        @Override
        public void process(Record<String, String> record) {
            for (KeyValueStore<String, Object> store : stores) {
                if (record.value() == null) {
                    store.delete(record.key());
                } else if (timestamped) {
                    store.put(record.key(), ValueAndTimestamp.make(record.value(), record.timestamp()));
                } else {
                    store.put(record.key(), record.value());
                }
            }
        }
    }
}
