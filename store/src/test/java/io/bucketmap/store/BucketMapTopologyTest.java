package io.bucketmap.store;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.time.Duration;
import java.time.Instant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bucket-map stores in whole topologies, run by {@link TopologyTestDriver}. */
class BucketMapTopologyTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aDslCountMaterializedWithABucketMapSupplierCountsAndKeepsTimestamps() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("words", Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey()
                .count(Materialized.<String, Long>as(BucketMapStores.keyValueStore("counts"))
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .toStream()
                .to("counts-out", Produced.with(Serdes.String(), Serdes.Long()));

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), config())) {
            TestInputTopic<String, String> words = driver.createInputTopic(
                    "words", new StringSerializer(), new StringSerializer(), START, Duration.ofSeconds(1));
            for (String word : List.of("b", "a", "b", "c", "b")) {
                words.pipeInput(word, word);
            }

            TestOutputTopic<String, Long> out = driver.createOutputTopic(
                    "counts-out", new StringDeserializer(), Serdes.Long().deserializer());
            assertThat(out.readKeyValuesToList()).containsExactly(KeyValue.pair("b", 1L), KeyValue.pair("a", 1L),
                    KeyValue.pair("b", 2L), KeyValue.pair("c", 1L), KeyValue.pair("b", 3L));
            KeyValueStore<String, ValueAndTimestamp<Long>> counts = driver.getTimestampedKeyValueStore("counts");
            assertThat(counts.get("b")).isEqualTo(ValueAndTimestamp.make(3L, START.plusSeconds(4).toEpochMilli()));
            assertThat(drainKeys(driver.<String, Long>getKeyValueStore("counts").all()))
                    .containsExactly("a", "b", "c");
            assertThat(storeIdsInScope(driver, "bucketmap")).containsExactly("counts");
        }
    }

    @Test
    void theDslStoreSuppliersConfigMakesEveryDslKeyValueStoreABucketMapAndKeepsWindowsInMemory() {
        StreamsBuilder builder = new StreamsBuilder();
        var grouped = builder.stream("words", Consumed.with(Serdes.String(), Serdes.String())).groupByKey();
        grouped.count(Materialized.as("counts"));
        grouped.windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMinutes(1))).count(Materialized.as("windowed"));
        Properties config = config();
        config.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, BucketMapDslStoreSuppliers.class);
        config.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        config.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(config), config)) {
            TestInputTopic<String, String> words = driver.createInputTopic(
                    "words", new StringSerializer(), new StringSerializer(), START, Duration.ofSeconds(1));
            words.pipeInput("x", "x");
            words.pipeInput("x", "x");

            assertThat(driver.<String, Long>getKeyValueStore("counts").get("x")).isEqualTo(2L);
            assertThat(storeIdsInScope(driver, "bucketmap")).containsExactly("counts");
            assertThat(storeIdsInScope(driver, "in-memory-window")).containsExactly("windowed");
        }
    }

    @Test
    @RequiresKafkaStreams("4.3")
    void thePersistentDslStoreSuppliersConfigKeepsKeyValueStoresOnDiskBesideKafkasRocksDbWindows(
            @TempDir Path stateDir) {
        StreamsBuilder builder = new StreamsBuilder();
        var grouped = builder.stream("words", Consumed.with(Serdes.String(), Serdes.String())).groupByKey();
        grouped.count(Materialized.as("counts"));
        grouped.windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMinutes(1))).count(Materialized.as("windowed"));
        Properties config = config();
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, PersistentBucketMapDslStoreSuppliers.class);
        config.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        config.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);

        // (the driver wipes its state directory on close, so a restart cannot be shown here: see PersistentRestartIT)
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(config), config)) {
            TestInputTopic<String, String> words = driver.createInputTopic(
                    "words", new StringSerializer(), new StringSerializer(), START, Duration.ofSeconds(1));
            words.pipeInput("x", "x");
            words.pipeInput("x", "x");

            assertThat(driver.<String, Long>getKeyValueStore("counts").get("x")).isEqualTo(2L);
            assertThat(storeIdsInScope(driver, BucketMapStores.PERSISTENT_ORDERED_METRICS_SCOPE))
                    .containsExactly("counts");
            assertThat(storeIdsInScope(driver, "rocksdb-window")).containsExactly("windowed");
            // the DSL asks for timestamped values: the store declares them, and its copy has a folder of that format
            assertThat(stateDir.resolve(Path.of("app", "0_0", RocksDbLocalCopy.DIRECTORY, "counts.timestamped")))
                    .isDirectory();
        }
    }

    @Test
    void theHashOrderStoreServesADslAggregation() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("words", Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey()
                .count(Materialized.<String, Long>as(BucketMapStores.hashOrderKeyValueStore("counts"))
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long())
                        .withCachingDisabled()); // the caching layer's merge needs sorted iterators

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), config())) {
            TestInputTopic<String, String> words = driver.createInputTopic(
                    "words", new StringSerializer(), new StringSerializer(), START, Duration.ofSeconds(1));
            for (int i = 0; i < 200; i++) {
                words.pipeInput("w" + (i % 50), "w");
            }

            KeyValueStore<String, Long> counts = driver.getKeyValueStore("counts");
            List<KeyValue<String, Long>> all = drain(counts.all());
            assertThat(all).hasSize(50).allSatisfy(kv -> assertThat(kv.value).isEqualTo(4L));
            assertThat(storeIdsInScope(driver, "bucketmap-hash")).containsExactly("counts");
        }
    }

    @Test
    void aCachedHashOrderStoreServesGetsButRefusesToIterateWithTheFix() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("words", Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey()
                .count(Materialized.<String, Long>as(BucketMapStores.hashOrderKeyValueStore("counts"))
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long())
                        .withCachingEnabled());

        Properties cached = config();
        cached.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 1_000_000L); // Kafka adds no caching layer at 0
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), cached)) {
            TestInputTopic<String, String> words = driver.createInputTopic(
                    "words", new StringSerializer(), new StringSerializer(), START, Duration.ofSeconds(1));
            words.pipeInput("w", "w");
            words.pipeInput("w", "w");

            KeyValueStore<String, Long> counts = driver.getKeyValueStore("counts");
            assertThat(counts.get("w")).isEqualTo(2L);
            assertThatThrownBy(counts::all)
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("caching disabled");
        }
    }

    @Test
    void aProcessorApiStoreAnswersTypedReadsAndLogsPutsAndTombstonesToItsChangelog() {
        try (TopologyTestDriver driver = new TopologyTestDriver(eventsTopology(), config())) {
            TestInputTopic<String, String> events = driver.createInputTopic(
                    "events", new StringSerializer(), new StringSerializer(), START, Duration.ofSeconds(1));
            events.pipeInput("order-1", "open");
            events.pipeInput("order-2", "open");
            events.pipeInput("order-3", "expired");
            events.pipeInput("user-1", "open");
            events.pipeInput("order-1", "paid");
            events.pipeInput("order-2", "DELETE");
            driver.advanceWallClockTime(Duration.ofSeconds(10));

            KeyValueStore<String, String> store = driver.getKeyValueStore("events");
            assertThat(store.get("order-1")).isEqualTo("paid");
            assertThat(store.get("order-2")).isNull();
            assertThat(store.get("order-3")).isNull();
            assertThat(store.approximateNumEntries()).isEqualTo(2);
            assertThat(drainKeys(store.all())).containsExactly("order-1", "user-1");
            assertThat(drainKeys(store.reverseAll())).containsExactly("user-1", "order-1");
            assertThat(drainKeys(store.range("order-0", "order-9"))).containsExactly("order-1");
            assertThat(drainKeys(store.prefixScan("user", new StringSerializer()))).containsExactly("user-1");

            TestOutputTopic<String, String> changelog = driver.createOutputTopic(
                    "app-events-changelog", new StringDeserializer(), new StringDeserializer());
            assertThat(changelog.readKeyValuesToList()).containsExactly(
                    KeyValue.pair("order-1", "open"),
                    KeyValue.pair("order-2", "open"),
                    KeyValue.pair("order-3", "expired"),
                    KeyValue.pair("user-1", "open"),
                    KeyValue.pair("order-1", "paid"),
                    KeyValue.pair("order-2", null),
                    KeyValue.pair("order-3", null));
        }
    }

    /**
     * Puts each event into the "events" store, deletes on "DELETE", and a wall-clock punctuator scans the store and
     * deletes "expired" entries, through the outer store so the changelog gets the tombstones.
     */
    private static Topology eventsTopology() {
        Topology topology = new Topology();
        topology.addSource("source", new StringDeserializer(), new StringDeserializer(), "events");
        topology.addProcessor("keeper", EventKeeper::new, "source");
        topology.addStateStore(Stores.keyValueStoreBuilder(
                BucketMapStores.keyValueStore("events"), Serdes.String(), Serdes.String()), "keeper");
        return topology;
    }

    private static final class EventKeeper implements Processor<String, String, Void, Void> {
        private KeyValueStore<String, String> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore("events");
            context.schedule(Duration.ofSeconds(10), PunctuationType.WALL_CLOCK_TIME, now -> deleteExpired());
        }

        @Override
        public void process(Record<String, String> record) {
            if ("DELETE".equals(record.value())) {
                store.delete(record.key());
            } else {
                store.put(record.key(), record.value());
            }
        }

        private void deleteExpired() {
            try (KeyValueIterator<String, String> all = store.all()) {
                while (all.hasNext()) {
                    KeyValue<String, String> next = all.next();
                    if ("expired".equals(next.value)) {
                        store.delete(next.key);
                    }
                }
            }
        }
    }

    private static Properties config() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "app");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        return config;
    }

    /** The store names that have metrics tagged {@code <scope>-state-id}: which stores the scope's supplier built. */
    private static Set<String> storeIdsInScope(TopologyTestDriver driver, String scope) {
        return driver.metrics().keySet().stream()
                .map(MetricName::tags)
                .map(tags -> tags.get(scope + "-state-id"))
                .filter(id -> id != null)
                .collect(Collectors.toSet());
    }

    private static <K, V> List<KeyValue<K, V>> drain(KeyValueIterator<K, V> iterator) {
        try (iterator) {
            List<KeyValue<K, V>> entries = new ArrayList<>();
            iterator.forEachRemaining(entries::add);
            return entries;
        }
    }

    private static <K, V> List<K> drainKeys(KeyValueIterator<K, V> iterator) {
        return drain(iterator).stream().map(kv -> kv.key).toList();
    }
}
