package com.example.shop;

import io.bucketmap.store.BucketMapDslStoreSuppliers;
import io.bucketmap.store.PersistentBucketMapDslStoreSuppliers;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderCountsTest {

    @Test
    void countsOrdersPerCustomerInABucketMapStoreAndLogsThemToItsChangelog() {
        try (TopologyTestDriver driver = new TopologyTestDriver(OrderCounts.topology(), config())) {
            TestInputTopic<String, String> orders = driver.createInputTopic(
                    "orders", new StringSerializer(), new StringSerializer());
            orders.pipeInput("alice", "o1");
            orders.pipeInput("bob", "o2");
            orders.pipeInput("alice", "o3");

            TestOutputTopic<String, Long> counts = driver.createOutputTopic(
                    "order-counts", new StringDeserializer(), new LongDeserializer());
            assertEquals(List.of(KeyValue.pair("alice", 1L), KeyValue.pair("bob", 1L), KeyValue.pair("alice", 2L)),
                    counts.readKeyValuesToList());
            // the DSL builds a timestamped store
            ValueAndTimestamp<Long> alice = driver.<String, Long>getTimestampedKeyValueStore(OrderCounts.STORE)
                    .get("alice");
            assertEquals(2L, alice.value());
            // changelog topic: <application.id>-<store name>-changelog
            TestOutputTopic<String, Long> changelog = driver.createOutputTopic(
                    "shop-order-counts-changelog", new StringDeserializer(), new LongDeserializer());
            assertEquals(3, changelog.readKeyValuesToList().size());
        }
    }

    @Test
    void theReadmeExampleCountsAndLogsToTheChangelog() { // docs/testing.md, line by line
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "shop");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(OrderCounts.topology(), config)) {
            TestInputTopic<String, String> orders = driver.createInputTopic(
                    "orders", new StringSerializer(), new StringSerializer());
            orders.pipeInput("alice", "o1");
            orders.pipeInput("alice", "o2");

            // the DSL builds timestamped stores: read them with getTimestampedKeyValueStore
            assertEquals(2L, driver.<String, Long>getTimestampedKeyValueStore("order-counts").get("alice").value());
            // changelog topic: <application.id>-<store name>-changelog, values as the serde writes them
            TestOutputTopic<String, Long> changelog = driver.createOutputTopic(
                    "shop-order-counts-changelog", new StringDeserializer(), new LongDeserializer());
            assertEquals(2, changelog.readKeyValuesToList().size());
        }
    }

    @Test
    void theDslStoreSuppliersConfigWorksFromPlainProperties() {
        Properties config = config();
        config.put("dsl.store.suppliers.class", BucketMapDslStoreSuppliers.class.getName());

        try (TopologyTestDriver driver = new TopologyTestDriver(countsOnDslStores(config), config)) {
            driver.createInputTopic("orders", new StringSerializer(), new StringSerializer()).pipeInput("alice", "o1");

            assertEquals(1L, driver.<String, Long>getTimestampedKeyValueStore("counts").get("alice").value());
            // the bucket map's own metrics are tagged bucketmap-state-id
            assertTrue(driver.metrics().keySet().stream()
                    .anyMatch(name -> "counts".equals(name.tags().get("bucketmap-state-id"))));
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "kafka.version", matches = "4\\.([3-9]|\\d\\d)\\..*")
    void thePersistentDslStoreSuppliersCountUnderTheDriverInTheStateDirectory(@TempDir Path stateDir) {
        Properties config = persistentConfig(stateDir);

        try (TopologyTestDriver driver = new TopologyTestDriver(countsOnDslStores(config), config)) {
            TestInputTopic<String, String> orders = driver.createInputTopic(
                    "orders", new StringSerializer(), new StringSerializer());
            orders.pipeInput("alice", "o1");
            orders.pipeInput("alice", "o2");

            assertEquals(2L, driver.<String, Long>getTimestampedKeyValueStore("counts").get("alice").value());
            // the DSL's stores hold timestamped values: the copy's folder names that format
            assertTrue(Files.isDirectory(stateDir.resolve("shop/0_0/bucketmap-rocksdb/counts.timestamped")));
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "kafka.version", matches = "4\\.[0-2]\\..*")
    void thePersistentStoreIsRefusedBeforeKafkaStreams43WithTheVersionItNeeds(@TempDir Path stateDir) {
        Properties config = persistentConfig(stateDir);

        UnsupportedOperationException refusal = assertThrows(UnsupportedOperationException.class,
                () -> new TopologyTestDriver(countsOnDslStores(config), config));
        System.out.println("Refusal on Kafka Streams " + System.getProperty("kafka.version") + ": " + refusal);
        assertTrue(refusal.getMessage().contains("needs Kafka Streams 4.3 or newer"), refusal.getMessage());
        assertTrue(refusal.getMessage().contains("runs Kafka Streams " + System.getProperty("kafka.version")),
                refusal.getMessage());
    }

    private static Properties persistentConfig(Path stateDir) {
        Properties config = config();
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, PersistentBucketMapDslStoreSuppliers.class);
        return config;
    }

    /** A count in a store the DSL store suppliers of {@code config} make. */
    private static Topology countsOnDslStores(Properties config) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("orders", Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey()
                .count(Materialized.as("counts"));
        return builder.build(config);
    }

    static Properties config() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "shop");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return config;
    }
}
