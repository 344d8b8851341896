package io.bucketmap.store;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.HeadersBytesStore;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedBytesStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStoreWithHeaders;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.ValueTimestampHeaders;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DSL's value formats on bucket-map stores: a KTable aggregation and a KTable-KTable join, run through
 * {@link TopologyTestDriver} on Kafka's default stores (RocksDB) and on the bucket-map DSL suppliers, with and
 * without {@code dsl.store.format=headers}. Same output records (key, value, timestamp, headers) and the same tables,
 * and the bucket-map stores sit in Kafka's stack without any value-converting adapter or marker wrapper.
 */
@RequiresKafkaStreams("4.3")
class DslStoreFormatTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final String TOTALS = "totals";
    private static final String CUSTOMERS = "customers";
    private static final String NAMED_TOTALS = "named-totals";

    static Stream<Arguments> suppliersAndFormats() {
        return Stream.of(
                Arguments.of(BucketMapDslStoreSuppliers.class, "default", TimestampedBucketMapKeyValueStore.class),
                Arguments.of(BucketMapDslStoreSuppliers.class, "headers", HeadersBucketMapKeyValueStore.class),
                Arguments.of(PersistentBucketMapDslStoreSuppliers.class, "default",
                        TimestampedBucketMapKeyValueStore.class),
                Arguments.of(PersistentBucketMapDslStoreSuppliers.class, "headers",
                        HeadersBucketMapKeyValueStore.class));
    }

    @ParameterizedTest(name = "{0}, dsl.store.format={1}")
    @MethodSource("suppliersAndFormats")
    void anAggregationAndAJoinGiveTheSameRecordsHeadersAndTablesAsKafkasDefaultStores(
            Class<?> suppliers, String format, Class<?> expectedInnermost, @TempDir Path kafkaDir,
            @TempDir Path bucketMapDir) {
        Run kafka = run(config(kafkaDir, format, null));
        Run bucketMap = run(config(bucketMapDir, format, suppliers));

        assertThat(bucketMap.output).hasSameSizeAs(kafka.output).hasSizeGreaterThan(100);
        assertThat(bucketMap.output).containsExactlyElementsOf(kafka.output);
        assertThat(bucketMap.tables).isEqualTo(kafka.tables);
        for (String store : List.of(TOTALS, CUSTOMERS, NAMED_TOTALS)) {
            assertThat(bucketMap.layers.get(store)).as("layers of %s", store)
                    .last().isEqualTo(expectedInnermost);
            assertThat(bucketMap.layers.get(store)).as("layers of %s", store)
                    .noneMatch(layer -> layer.getSimpleName().contains("Adapter")
                            || layer.getSimpleName().contains("Marker"));
        }
    }

    /**
     * The records leave with the headers of the input record that caused them. (The table rows themselves hold empty
     * headers in Kafka 4.4.0's aggregation, source table and join, on Kafka's RocksDB headers stores as on ours: the
     * comparison above covers it.)
     */
    @Test
    void underTheHeadersFormatTheOutputCarriesTheInputHeaders(@TempDir Path dir) {
        Run bucketMap = run(config(dir, "headers", BucketMapDslStoreSuppliers.class));

        assertThat(bucketMap.output).anySatisfy(line -> assertThat(line).contains("headers=[source="));
    }

    static Stream<Arguments> bucketMapAndKafkaSuppliers() {
        return Stream.of(
                Arguments.of(BucketMapStores.timestampedKeyValueStoreWithHeaders("with-headers"),
                        Stores.persistentTimestampedKeyValueStoreWithHeaders("with-headers")),
                Arguments.of(BucketMapStores.persistentTimestampedKeyValueStoreWithHeaders("with-headers"),
                        Stores.persistentTimestampedKeyValueStoreWithHeaders("with-headers")),
                Arguments.of(BucketMapStores.keyValueStore("with-headers"),
                        Stores.inMemoryKeyValueStore("with-headers")),
                // a plain persistent store keeps the value only, behind Kafka's PlainToHeadersStoreAdapter
                Arguments.of(BucketMapStores.persistentKeyValueStore("with-headers"),
                        Stores.persistentKeyValueStore("with-headers")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bucketMapAndKafkaSuppliers")
    void timestampedKeyValueStoreWithHeadersBuilderTakesABucketMapSupplierAndKeepsWhatKafkasEquivalentKeeps(
            KeyValueBytesStoreSupplier bucketMap, KeyValueBytesStoreSupplier kafka, @TempDir Path dir) {
        ValueTimestampHeaders<String> ours = KeepWithHeaders.putThroughHeadersBuilder(bucketMap, dir.resolve("ours"));
        ValueTimestampHeaders<String> theirs = KeepWithHeaders.putThroughHeadersBuilder(kafka, dir.resolve("theirs"));

        assertThat(ours.value()).isEqualTo("value");
        assertThat(ours.timestamp()).isEqualTo(theirs.timestamp());
        assertThat(describe(ours.headers())).isEqualTo(describe(theirs.headers()));
        if (bucketMap.get() instanceof HeadersBytesStore || !bucketMap.get().persistent()) {
            assertThat(ours.timestamp()).isEqualTo(START.toEpochMilli());
            assertThat(describe(ours.headers())).isEqualTo("[h=v]");
        }
    }

    @Test
    void theFormatSuppliersDeclareTheirFormatAndThePlainOnesDeclareNone() {
        assertThat(BucketMapStores.timestampedKeyValueStore("s").get()).isInstanceOf(TimestampedBytesStore.class);
        assertThat(BucketMapStores.persistentTimestampedKeyValueStore("s").get())
                .isInstanceOf(TimestampedBytesStore.class);
        assertThat(BucketMapStores.timestampedKeyValueStoreWithHeaders("s").get())
                .isInstanceOf(HeadersBytesStore.class);
        assertThat(BucketMapStores.persistentTimestampedKeyValueStoreWithHeaders("s").get())
                .isInstanceOf(HeadersBytesStore.class);
        assertThat(BucketMapStores.keyValueStore("s").get())
                .isNotInstanceOf(TimestampedBytesStore.class).isNotInstanceOf(HeadersBytesStore.class);
    }

    /**
     * Puts each record with its timestamp and headers into the headers store. The headers types (Kafka Streams 4.3)
     * stay in this nested class: JUnit reads the signatures of the test class itself on every Kafka Streams of the
     * matrix, before {@link RequiresKafkaStreams} skips it.
     */
    private static final class KeepWithHeaders implements Processor<String, String, Void, Void> {
        private TimestampedKeyValueStoreWithHeaders<String, String> store;

        private static ValueTimestampHeaders<String> putThroughHeadersBuilder(KeyValueBytesStoreSupplier supplier,
                                                                                Path stateDir) {
            Topology topology = new Topology();
            topology.addSource("in", new StringDeserializer(), new StringDeserializer(), "in");
            topology.addProcessor("keep", KeepWithHeaders::new, "in");
            topology.addStateStore(Stores.timestampedKeyValueStoreWithHeadersBuilder(
                    supplier, Serdes.String(), Serdes.String()), "keep");
            try (TopologyTestDriver driver = new TopologyTestDriver(topology, config(stateDir, "default", null))) {
                TestInputTopic<String, String> in = driver.createInputTopic(
                        "in", new StringSerializer(), new StringSerializer());
                Headers headers = new RecordHeaders().add("h", "v".getBytes(StandardCharsets.UTF_8));
                in.pipeInput(new TestRecord<>("k", "value", headers, START));
                return driver.<String, String>getTimestampedKeyValueStoreWithHeaders("with-headers").get("k");
            }
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore("with-headers");
        }

        @Override
        public void process(Record<String, String> record) {
            store.put(record.key(), ValueTimestampHeaders.make(record.value(), record.timestamp(), record.headers()));
        }
    }

    /** What one run produced: the output records, each table's rows, and each store's layers, outermost first. */
    private record Run(List<String> output, Map<String, Map<String, String>> tables,
                       Map<String, List<Class<?>>> layers) {
    }

    /**
     * orders (id &rarr; "customer:amount") summed per customer with adder and subtractor; joined with customers
     * (id &rarr; name). Every input record carries a header naming its topic and sequence number.
     */
    private static Run run(Properties config) {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, String> orders = builder.table("orders", Consumed.with(Serdes.String(), Serdes.String()));
        KTable<String, Long> totals = orders
                .groupBy((id, order) -> KeyValue.pair(order.substring(0, order.indexOf(':')),
                                Long.parseLong(order.substring(order.indexOf(':') + 1))),
                        Grouped.with(Serdes.String(), Serdes.Long()))
                .reduce(Long::sum, (total, removed) -> total - removed,
                        Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as(TOTALS)
                                .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()));
        KTable<String, String> customers = builder.table("customers",
                Consumed.with(Serdes.String(), Serdes.String()),
                Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as(CUSTOMERS)
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.String()));
        totals.join(customers, (total, name) -> name + "=" + total,
                        Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as(NAMED_TOTALS)
                                .withKeySerde(Serdes.String()).withValueSerde(Serdes.String()))
                .toStream()
                .to("out", Produced.with(Serdes.String(), Serdes.String()));

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), config)) {
            TestInputTopic<String, String> ordersIn = driver.createInputTopic(
                    "orders", new StringSerializer(), new StringSerializer());
            TestInputTopic<String, String> customersIn = driver.createInputTopic(
                    "customers", new StringSerializer(), new StringSerializer());
            TestOutputTopic<String, String> out = driver.createOutputTopic(
                    "out", new StringDeserializer(), new StringDeserializer());
            Random random = new Random(7);
            long time = START.toEpochMilli();
            for (int i = 0; i < 400; i++) {
                String customer = "customer-" + random.nextInt(20);
                if (i % 10 == 0) {
                    customersIn.pipeInput(record(customer, i % 30 == 0 && i > 0 ? null : "name-" + i, "customers", i,
                            time += 7));
                }
                String order = "order-" + random.nextInt(60);
                ordersIn.pipeInput(record(order, i % 9 == 0 ? null : customer + ":" + (1 + random.nextInt(100)),
                        "orders", i, time += 3));
            }
            List<String> output = new ArrayList<>();
            out.readRecordsToList().forEach(r -> output.add(r.key() + "->" + r.value() + "@" + r.timestamp()
                    + " headers=" + describe(r.headers())));
            Map<String, Map<String, String>> tables = new LinkedHashMap<>();
            Map<String, List<Class<?>>> layers = new LinkedHashMap<>();
            for (String store : List.of(TOTALS, CUSTOMERS, NAMED_TOTALS)) {
                tables.put(store, rows(driver, store));
                layers.put(store, layersOf(driver.getAllStateStores().get(store)));
            }
            return new Run(output, tables, layers);
        }
    }

    private static TestRecord<String, String> record(String key, String value, String topic, int sequence,
                                                     long timestamp) {
        Headers headers = new RecordHeaders().add("source", (topic + "-" + sequence).getBytes(StandardCharsets.UTF_8));
        return new TestRecord<>(key, value, headers, timestamp);
    }

    /** Each row as "value@timestamp" (and its headers in a headers store), in key order. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> rows(TopologyTestDriver driver, String store) {
        Map<String, String> rows = new LinkedHashMap<>();
        KeyValueStore<Object, Object> table = (KeyValueStore<Object, Object>) driver.getAllStateStores().get(store);
        try (KeyValueIterator<Object, Object> all = table.all()) {
            all.forEachRemaining(kv -> rows.put(String.valueOf(kv.key), describeRow(kv.value)));
        }
        return rows;
    }

    private static String describeRow(Object row) {
        if (row instanceof ValueTimestampHeaders<?> withHeaders) {
            return withHeaders.value() + "@" + withHeaders.timestamp() + " headers=" + describe(withHeaders.headers());
        }
        ValueAndTimestamp<?> timestamped = (ValueAndTimestamp<?>) row;
        return timestamped.value() + "@" + timestamped.timestamp();
    }

    private static List<Class<?>> layersOf(StateStore outer) {
        List<Class<?>> layers = new ArrayList<>();
        StateStore layer = outer;
        while (true) {
            layers.add(layer.getClass());
            if (!(layer instanceof WrappedStateStore<?, ?, ?> wrapper)) {
                return layers;
            }
            layer = wrapper.wrapped();
        }
    }

    private static String describe(Headers headers) {
        List<String> parts = new ArrayList<>();
        headers.forEach(h -> parts.add(h.key() + "=" + (h.value() == null ? "null"
                : new String(h.value(), StandardCharsets.UTF_8))));
        return Arrays.toString(parts.toArray());
    }

    private static Properties config(Path stateDir, String format, Class<?> suppliers) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dsl-store-format");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put("dsl.store.format", format);
        if (suppliers != null) {
            props.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, suppliers);
        }
        return props;
    }
}
