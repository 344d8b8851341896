package io.bucketmap.store;

import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Stores with a time to live in whole topologies, run by {@link TopologyTestDriver}: a DSL count over a key space that
 * keeps growing stays bounded, interactive queries never see an expired key, and the changelog receives a tombstone
 * for every expired entry the store removes, after the entry's last record, so that compaction drops it and a restore
 * cannot bring it back.
 */
class ExpiringTopologyTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(10);
    private static final long SLOT = TTL.toMillis() / ExpiringData.SLOTS_PER_TTL;

    @Test
    void aDslCountOverAGrowingKeySpaceStaysBoundedAndCountsLiveKeysRight() {
        try (TopologyTestDriver driver = new TopologyTestDriver(countTopology(
                BucketMapStores.keyValueStore("counts").withTtl(TTL)), config())) {
            pipeSessions(driver, 120, 50);

            KeyValueStore<String, Long> counts = driver.getKeyValueStore("counts");
            assertThat(counts.get("s-0-0")).as("a session of the first minute").isNull();
            assertThat(counts.get("s-110-7")).as("its record time is exactly one ttl old").isNull();
            assertThat(counts.get("s-111-7")).isEqualTo(3L);
            assertThat(counts.get("hot")).as("written every minute, it never expires").isEqualTo(121L);
            assertThat(liveKeys(counts)).hasSize(10 * 50 + 1);
            assertThat(entries(driver, "counts"))
                    .as("the store holds the live keys and at most the keys whose index slot is not due yet")
                    .isBetween(501L, 501L + 50);
        }
    }

    @Test
    void interactiveQueriesNeverSeeAnExpiredKey() {
        try (TopologyTestDriver driver = new TopologyTestDriver(countTopology(
                BucketMapStores.keyValueStore("counts").withTtl(TTL)), config())) {
            pipeSessions(driver, 20, 5);
            StateStore store = driver.getAllStateStores().get("counts");
            QueryConfig config = new QueryConfig(false);

            QueryResult<?> expired = store.query(KeyQuery.withKey("s-0-0"), PositionBound.unbounded(), config);
            QueryResult<?> live = store.query(KeyQuery.withKey("s-19-0"), PositionBound.unbounded(), config);
            QueryResult<KeyValueIterator<String, Long>> all = store.query(RangeQuery.<String, Long>withNoBounds(),
                    PositionBound.unbounded(), config);

            assertThat(expired.isSuccess()).isTrue();
            assertThat(expired.getResult()).isNull();
            assertThat(live.getResult()).isNotNull();
            Set<String> returned = new HashSet<>();
            try (KeyValueIterator<String, Long> entries = all.getResult()) {
                entries.forEachRemaining(entry -> returned.add(entry.key));
            }
            assertThat(returned).isEqualTo(liveKeys(driver.getKeyValueStore("counts")).keySet())
                    .hasSize(10 * 5 + 1);
        }
    }

    @Test
    void everyEntryTheStoreRemovedHasATombstoneAsItsLastChangelogRecord() {
        try (TopologyTestDriver driver = new TopologyTestDriver(countTopology(
                BucketMapStores.keyValueStore("counts").withTtl(TTL)), config())) {
            pipeSessions(driver, 60, 20);

            Map<String, Long> compacted = compacted(driver.createOutputTopic("app-counts-changelog",
                    new StringDeserializer(), new LongDeserializer()).readRecordsToList());
            KeyValueStore<String, Long> counts = driver.getKeyValueStore("counts");

            assertThat(compacted.keySet()).as("keys the changelog keeps")
                    .containsAll(liveKeys(counts).keySet())
                    .hasSize((int) entries(driver, "counts"));
            assertThat(compacted).containsAllEntriesOf(liveKeys(counts));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aWriteExpiredOnArrivalIsFollowedByItsTombstoneAtTheNextWrite(boolean plain) {
        try (TopologyTestDriver driver = new TopologyTestDriver(writerTopology(plain), config())) {
            TestInputTopic<String, String> writes = driver.createInputTopic("writes",
                    new StringSerializer(), new StringSerializer());
            writes.pipeInput("now", "x", START.plus(Duration.ofHours(1)));
            writes.pipeInput("late", "y", START);
            assertThat(read(driver, plain).get("late")).isNull();

            writes.pipeInput("next", "z", START.plus(Duration.ofHours(1)));

            List<TestRecord<String, String>> changelog = changelog(driver);
            assertThat(changelog).extracting(TestRecord::key).containsExactly("now", "late", "late", "next");
            assertThat(changelog.get(1).value()).isEqualTo("y");
            assertThat(changelog.get(2).value()).as("the owed tombstone").isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aProcessorApiStoreExpiresByTheRecordTimeOfEachWrite(boolean plain) {
        try (TopologyTestDriver driver = new TopologyTestDriver(writerTopology(plain), config())) {
            TestInputTopic<String, String> writes = driver.createInputTopic("writes",
                    new StringSerializer(), new StringSerializer());
            writes.pipeInput("a", "1", START);
            writes.pipeInput("b", "2", START.plus(TTL).minusMillis(1));
            assertThat(read(driver, plain)).containsOnlyKeys("a", "b");

            writes.pipeInput("c", "3", START.plus(TTL));

            assertThat(read(driver, plain)).containsOnlyKeys("b", "c");
        }
    }

    @Test
    void aTimestampedSupplierUnderThePlainBuilderTakesItsValuesAsPlain() {
        Topology topology = new Topology();
        topology.addSource("source", new StringDeserializer(), new StringDeserializer(), "writes");
        topology.addProcessor("writer", () -> new Processor<String, String, Void, Void>() {
            private KeyValueStore<String, String> store;

            @Override
            public void init(ProcessorContext<Void, Void> context) {
                store = context.getStateStore("writes-store");
            }

            @Override
            public void process(Record<String, String> record) {
                store.put(record.key(), record.value());
            }
        }, "source");
        topology.addStateStore(Stores.keyValueStoreBuilder(
                BucketMapStores.timestampedKeyValueStore("writes-store").withTtl(TTL),
                Serdes.String(), Serdes.String()), "writer");

        try (TopologyTestDriver driver = new TopologyTestDriver(topology, config())) {
            TestInputTopic<String, String> writes = driver.createInputTopic("writes",
                    new StringSerializer(), new StringSerializer());
            // read as a timestamp, "zzzzzzzz" would be a date some 280 million years ahead
            writes.pipeInput("a", "zzzzzzzz and more", START);
            writes.pipeInput("b", "b", START.plusSeconds(1));

            KeyValueStore<String, String> store = driver.getKeyValueStore("writes-store");
            assertThat(store.get("a")).isEqualTo("zzzzzzzz and more");
            writes.pipeInput("c", "c", START.plus(TTL));
            assertThat(store.get("a")).as("expired by the record time of its write").isNull();
        }
    }

    @Test
    void aPlainStoreRemovesExpiredEntriesWithTombstones() {
        try (TopologyTestDriver driver = new TopologyTestDriver(writerTopology(true), config())) {
            TestInputTopic<String, String> writes = driver.createInputTopic("writes",
                    new StringSerializer(), new StringSerializer());
            for (int i = 0; i < 100; i++) {
                writes.pipeInput("old-" + i, "v", START);
            }
            for (int i = 0; i < 60; i++) {
                writes.pipeInput("new-" + i, "v", START.plus(TTL).plusMillis(SLOT));
            }

            Map<String, String> compacted = compacted(changelog(driver));
            assertThat(compacted.keySet()).allMatch(key -> key.startsWith("new-")).hasSize(60);
            assertThat(entries(driver, "writes-store")).isEqualTo(60);
        }
    }

    @Test
    void aWallClockTtlExpiresEntriesWhileTheInputIsIdle() {
        ExpiringStoreTest.MutableClock clock = new ExpiringStoreTest.MutableClock(START);
        Topology topology = countTopology(BucketMapStores.keyValueStore("counts").withTtl(TTL, clock));
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, config(), START)) {
            TestInputTopic<String, String> events = driver.createInputTopic("events",
                    new StringSerializer(), new StringSerializer());
            events.pipeInput("a", "e", START);
            KeyValueStore<String, Long> counts = driver.getKeyValueStore("counts");
            assertThat(counts.get("a")).isEqualTo(1L);

            clock.advance(TTL);

            assertThat(counts.get("a")).isNull();
            events.pipeInput("b", "e", START.plus(TTL));
            events.pipeInput("c", "e", START.plus(TTL).plusMillis(SLOT));
            clock.advance(Duration.ofMillis(SLOT));
            events.pipeInput("d", "e", START.plus(TTL).plusMillis(SLOT));
            assertThat(compacted(driver.createOutputTopic("app-counts-changelog",
                    new StringDeserializer(), new LongDeserializer()).readRecordsToList()))
                    .as("a was removed, with its tombstone").containsOnlyKeys("b", "c", "d");
        }
    }

    @Test
    void dslStoreSuppliersGiveEveryKeyValueStoreTheTtlOfTheAppConfig() {
        Properties config = config();
        config.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, BucketMapDslStoreSuppliers.class);
        config.put(BucketMapDslStoreSuppliers.TTL_MS_CONFIG, Long.toString(TTL.toMillis()));
        config.put(BucketMapDslStoreSuppliers.TTL_MS_CONFIG + ".kept", "none");
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("events", Consumed.with(Serdes.String(), Serdes.String())).groupByKey()
                .count(Materialized.as("counts"));
        builder.stream("other", Consumed.with(Serdes.String(), Serdes.String())).groupByKey()
                .count(Materialized.as("kept"));

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), config)) {
            TestInputTopic<String, String> events = driver.createInputTopic("events",
                    new StringSerializer(), new StringSerializer());
            TestInputTopic<String, String> other = driver.createInputTopic("other",
                    new StringSerializer(), new StringSerializer());
            events.pipeInput("a", "e", START);
            other.pipeInput("a", "e", START);
            events.pipeInput("b", "e", START.plus(TTL));
            other.pipeInput("b", "e", START.plus(TTL));

            assertThat(driver.<String, Long>getKeyValueStore("counts").get("a")).isNull();
            assertThat(driver.<String, Long>getKeyValueStore("kept").get("a")).isEqualTo(1L);
        }
    }

    @Test
    void aMalformedTtlSettingFailsWhenTheTopologyIsBuilt() {
        Properties config = config();
        config.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, BucketMapDslStoreSuppliers.class);
        config.put(BucketMapDslStoreSuppliers.TTL_MS_CONFIG, "0");
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("events", Consumed.with(Serdes.String(), Serdes.String())).groupByKey().count();

        assertThatThrownBy(() -> new TopologyTestDriver(builder.build(), config).close())
                .hasStackTraceContaining("bucketmap.ttl.ms").hasStackTraceContaining("must be positive");
    }

    @Test
    void anUnknownTtlClockFailsWhenTheTopologyIsBuilt() {
        Properties config = config();
        config.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, BucketMapDslStoreSuppliers.class);
        config.put(BucketMapDslStoreSuppliers.TTL_MS_CONFIG, "1000");
        config.put(BucketMapDslStoreSuppliers.TTL_CLOCK_CONFIG, "sundial");
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("events", Consumed.with(Serdes.String(), Serdes.String())).groupByKey().count();

        assertThatThrownBy(() -> new TopologyTestDriver(builder.build(), config).close())
                .hasStackTraceContaining("bucketmap.ttl.clock").hasStackTraceContaining("sundial");
    }

    @Test
    void aStoreWithATtlRefusesKafkasCachingLayerNamingTheFix() {
        Properties config = config();
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 1024 * 1024L);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("events", Consumed.with(Serdes.String(), Serdes.String())).groupByKey()
                .count(Materialized.<String, Long>as(BucketMapStores.keyValueStore("counts").withTtl(TTL)));

        assertThatThrownBy(() -> new TopologyTestDriver(builder.build(), config).close())
                .hasStackTraceContaining("withCachingDisabled()")
                .hasStackTraceContaining("statestore.cache.max.bytes=0");
    }

    @Test
    void anAggregationCountsAfreshAKeyWhoseLastWriteItsInputHasOutlived() {
        try (TopologyTestDriver driver = new TopologyTestDriver(countTopology(
                BucketMapStores.keyValueStore("counts").withTtl(TTL)), config())) {
            TestInputTopic<String, String> events = driver.createInputTopic("events",
                    new StringSerializer(), new StringSerializer());
            KeyValueStore<String, Long> counts = driver.getKeyValueStore("counts");
            events.pipeInput("a", "e", START);
            events.pipeInput("a", "e", START.plus(TTL).minusMillis(1));
            assertThat(counts.get("a")).as("written again within the ttl: counted on").isEqualTo(2L);

            events.pipeInput("a", "e", START.plus(TTL.multipliedBy(2)).minusMillis(1));

            assertThat(counts.get("a")).as("its third event came a ttl after its second").isEqualTo(1L);
        }
    }

    @Test
    void aCachingLayerWithoutACacheIsAccepted() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("events", Consumed.with(Serdes.String(), Serdes.String())).groupByKey()
                .count(Materialized.<String, Long>as(BucketMapStores.keyValueStore("counts").withTtl(TTL)));

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), config())) {
            TestInputTopic<String, String> events = driver.createInputTopic("events",
                    new StringSerializer(), new StringSerializer());
            events.pipeInput("a", "e", START);
            events.pipeInput("a", "e", START.plus(TTL));
            assertThat(driver.<String, Long>getKeyValueStore("counts").get("a")).as("counted afresh").isEqualTo(1L);
        }
    }

    /** Sessions {@code s-<minute>-<i>} of three events each in their minute, and a key "hot" written every minute. */
    private static void pipeSessions(TopologyTestDriver driver, int minutes, int sessionsPerMinute) {
        TestInputTopic<String, String> events = driver.createInputTopic("events",
                new StringSerializer(), new StringSerializer());
        for (int minute = 0; minute <= minutes; minute++) {
            Instant time = START.plus(Duration.ofMinutes(minute));
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < sessionsPerMinute; i++) {
                    events.pipeInput("s-" + minute + "-" + i, "e", time);
                }
            }
            events.pipeInput("hot", "e", time);
        }
    }

    private static Topology countTopology(KeyValueBytesStoreSupplier supplier) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("events", Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey()
                .count(Materialized.<String, Long>as(supplier).withCachingDisabled());
        return builder.build();
    }

    /**
     * A processor that writes each input record's value to a store with a time to live: a plain store
     * ({@code Stores.keyValueStoreBuilder}) or a timestamped one holding the record's timestamp.
     */
    private static Topology writerTopology(boolean plain) {
        Topology topology = new Topology();
        topology.addSource("source", new StringDeserializer(), new StringDeserializer(), "writes");
        StoreBuilder<?> store = plain
                ? Stores.keyValueStoreBuilder(BucketMapStores.keyValueStore("writes-store").withTtl(TTL),
                        Serdes.String(), Serdes.String())
                : Stores.timestampedKeyValueStoreBuilder(
                        BucketMapStores.timestampedKeyValueStore("writes-store").withTtl(TTL),
                        Serdes.String(), Serdes.String());
        topology.addProcessor("writer", () -> new Processor<String, String, Void, Void>() {
            private KeyValueStore<String, String> plainStore;
            private TimestampedKeyValueStore<String, String> timestampedStore;

            @Override
            public void init(ProcessorContext<Void, Void> context) {
                if (plain) {
                    plainStore = context.getStateStore("writes-store");
                } else {
                    timestampedStore = context.getStateStore("writes-store");
                }
            }

            @Override
            public void process(Record<String, String> record) {
                if (plain) {
                    plainStore.put(record.key(), record.value());
                } else {
                    timestampedStore.put(record.key(), ValueAndTimestamp.make(record.value(), record.timestamp()));
                }
            }
        }, "source");
        topology.addStateStore(store, "writer");
        return topology;
    }

    /** What the store of {@link #writerTopology} shows, key to value. */
    private static Map<String, String> read(TopologyTestDriver driver, boolean plain) {
        Map<String, String> entries = new LinkedHashMap<>();
        if (plain) {
            KeyValueStore<String, String> store = driver.getKeyValueStore("writes-store");
            try (KeyValueIterator<String, String> all = store.all()) {
                all.forEachRemaining(entry -> entries.put(entry.key, entry.value));
            }
        } else {
            KeyValueStore<String, ValueAndTimestamp<String>> store = driver.getTimestampedKeyValueStore("writes-store");
            try (KeyValueIterator<String, ValueAndTimestamp<String>> all = store.all()) {
                all.forEachRemaining(entry -> entries.put(entry.key, entry.value.value()));
            }
        }
        return entries;
    }

    private static List<TestRecord<String, String>> changelog(TopologyTestDriver driver) {
        return driver.createOutputTopic("app-writes-store-changelog", new StringDeserializer(),
                new StringDeserializer()).readRecordsToList();
    }

    /** The changelog as compaction leaves it: each key's last record, keys whose last record is a tombstone dropped. */
    private static <V> Map<String, V> compacted(List<TestRecord<String, V>> records) {
        Map<String, V> last = new HashMap<>();
        for (TestRecord<String, V> record : records) {
            if (record.value() == null) {
                last.remove(record.key());
            } else {
                last.put(record.key(), record.value());
            }
        }
        return last;
    }

    private static Map<String, Long> liveKeys(KeyValueStore<String, Long> store) {
        Map<String, Long> live = new HashMap<>();
        try (KeyValueIterator<String, Long> all = store.all()) {
            all.forEachRemaining(entry -> live.put(entry.key, entry.value));
        }
        return live;
    }

    /** The entries the bucket-map store {@code name} holds, expired ones not removed yet included: its metric. */
    private static long entries(TopologyTestDriver driver, String name) {
        return driver.metrics().entrySet().stream()
                .filter(metric -> metric.getKey().name().equals("num-entries"))
                .filter(metric -> metric.getKey().tags().entrySet().stream().anyMatch(
                        tag -> tag.getKey().startsWith("bucketmap") && tag.getValue().equals(name)))
                .map(metric -> ((Number) metric.getValue().metricValue()).longValue())
                .findFirst().orElseThrow(() -> new AssertionError("no bucket-map store " + name));
    }

    private static Properties config() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "app");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        return config;
    }

}
