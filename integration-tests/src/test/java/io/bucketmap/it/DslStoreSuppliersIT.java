package io.bucketmap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bucketmap.store.BucketMapDslStoreSuppliers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One DSL topology (a KTable aggregation and a KTable-KTable join), run twice side by side on the same input:
 * once with {@code dsl.store.suppliers.class} set to {@link BucketMapDslStoreSuppliers}, once on Kafka's
 * default stores. Both must end with the same tables and the same latest output per key, and both must equal
 * what the input says they should be.
 */
class DslStoreSuppliersIT {

    private static final String ORDERS = "dsl-orders";
    private static final String CUSTOMERS = "dsl-customers";
    /** The topics of one run: the format's name appended, so each format reads only its own input. */
    private static String topic(String name, String format) {
        return name + "-" + format;
    }
    private static final String TOTALS_STORE = "customer-totals";
    private static final String CUSTOMERS_STORE = "customers";
    private static final String NAMED_TOTALS_STORE = "named-totals";
    private static final int PARTITIONS = 2;
    private static final int CUSTOMER_COUNT = 500;
    private static final int ORDER_COUNT = 20_000;

    /** One broker for the class, started before its tests and stopped after them. */
    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    /**
     * Under the DSL's default format (timestamped) and under {@code dsl.store.format=headers}, where Kafka's default
     * stores are RocksDB headers stores and the bucket-map suppliers hand out {@code HeadersBucketMapKeyValueStore}s.
     */
    @ParameterizedTest(name = "dsl.store.format={0}")
    @ValueSource(strings = {"default", "headers"})
    @Timeout(180)
    void anAggregationAndATableJoinOnBucketMapStoresEqualTheSameTopologyOnBuiltInStores(
        String format, @TempDir Path bucketMapStateDir, @TempDir Path builtInStateDir) throws Exception {
        String outBucketMap = topic("dsl-out-bucketmap", format);
        String outBuiltIn = topic("dsl-out-builtin", format);
        cluster.createTopics(PARTITIONS, topic(ORDERS, format), topic(CUSTOMERS, format), outBucketMap, outBuiltIn);
        Input input = new Input(format);
        Random random = new Random(11);
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
            input.createOrdersAndCustomers(producer, random);
        }

        Properties bucketMapProps = StreamsApps.properties(cluster.bootstrapServers(),
            StreamsApps.uniqueApplicationId("dsl-bucketmap"), bucketMapStateDir);
        bucketMapProps.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, BucketMapDslStoreSuppliers.class);
        bucketMapProps.put("dsl.store.format", format);
        // No dsl.store.suppliers.class: Kafka's default, RocksDB, the stores the DSL uses out of the box.
        Properties builtInProps = StreamsApps.properties(cluster.bootstrapServers(),
            StreamsApps.uniqueApplicationId("dsl-builtin"), builtInStateDir);
        builtInProps.put("dsl.store.format", format);
        KafkaStreams bucketMap = new KafkaStreams(topology(format, outBucketMap), bucketMapProps);
        KafkaStreams builtIn = new KafkaStreams(topology(format, outBuiltIn), builtInProps);
        try {
            StreamsApps.startAndAwaitRunning(bucketMap);
            StreamsApps.startAndAwaitRunning(builtIn);
            // Updates, moves between customers, deletes and renames arrive while both applications run.
            try (KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
                input.changeOrdersAndCustomers(producer, random);
            }

            Map<String, String> expectedNamedTotals = input.expectedNamedTotals();
            for (String output : new String[] {outBucketMap, outBuiltIn}) {
                await(output + " has the expected latest value per key").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> latestPerKey(output).equals(expectedNamedTotals));
            }

            assertThat(bucketMapStoreNames(bucketMap))
                .as("stores the DSL built as bucket-map stores (from their metrics)")
                .contains(TOTALS_STORE, CUSTOMERS_STORE, NAMED_TOTALS_STORE);
            assertThat(bucketMapStoreNames(builtIn)).as("bucket-map stores in the built-in run").isEmpty();

            Map<String, Long> expectedTotals = input.expectedTotals();
            assertThat(tableOf(bucketMap, TOTALS_STORE)).isEqualTo(tableOf(builtIn, TOTALS_STORE))
                .isEqualTo(expectedTotals);
            assertThat(tableOf(bucketMap, CUSTOMERS_STORE)).isEqualTo(tableOf(builtIn, CUSTOMERS_STORE))
                .isEqualTo(input.customers);
            assertThat(tableOf(bucketMap, NAMED_TOTALS_STORE)).isEqualTo(tableOf(builtIn, NAMED_TOTALS_STORE))
                .isEqualTo(expectedNamedTotals);
        } finally {
            StreamsApps.closeLeavingGroup(bucketMap);
            StreamsApps.closeLeavingGroup(builtIn);
        }
    }

    /**
     * orders (id &rarr; "customer:amount") re-keyed by customer and summed (adder and subtractor, so updates
     * and deletes of orders correct the totals); joined with customers (id &rarr; name) to "name=total".
     */
    private static Topology topology(String format, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, String> orders = builder.table(topic(ORDERS, format),
            Consumed.with(Serdes.String(), Serdes.String()));
        KTable<String, Long> totals = orders
            .groupBy((id, order) -> KeyValue.pair(customerOf(order), amountOf(order)),
                Grouped.with(Serdes.String(), Serdes.Long()))
            .reduce(Long::sum, (total, removed) -> total - removed,
                Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as(TOTALS_STORE)
                    .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()));
        KTable<String, String> customers = builder.table(topic(CUSTOMERS, format),
            Consumed.with(Serdes.String(), Serdes.String()),
            Materialized.as(CUSTOMERS_STORE));
        totals.join(customers, (total, name) -> name + "=" + total,
                Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as(NAMED_TOTALS_STORE)
                    .withKeySerde(Serdes.String()).withValueSerde(Serdes.String()))
            .toStream()
            .to(output, Produced.with(Serdes.String(), Serdes.String()));
        return builder.build();
    }

    /** The topic read to its end, each key's last value; a tombstone removes the key. */
    private static Map<String, String> latestPerKey(String topic) {
        Map<String, String> latest = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : cluster.readToEnd(topic, IsolationLevel.READ_UNCOMMITTED)) {
            String key = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() == null) {
                latest.remove(key);
            } else {
                latest.put(key, new String(record.value(), StandardCharsets.UTF_8));
            }
        }
        return latest;
    }

    private static <V> Map<String, V> tableOf(KafkaStreams streams, String store) {
        Map<String, V> table = new HashMap<>();
        new StoreQueries<String, V>(streams, store).iqv1All().forEach(entry -> table.put(entry.key, entry.value));
        return table;
    }

    /** The stores that registered the bucket-map store's own metrics (tag {@code bucketmap-state-id}). */
    private static Set<String> bucketMapStoreNames(KafkaStreams streams) {
        return streams.metrics().keySet().stream()
            .map(MetricName::tags)
            .filter(tags -> tags.containsKey("bucketmap-state-id"))
            .map(tags -> tags.get("bucketmap-state-id"))
            .collect(Collectors.toSet());
    }

    private static String customerOf(String order) {
        return order.substring(0, order.indexOf(':'));
    }

    private static long amountOf(String order) {
        return Long.parseLong(order.substring(order.indexOf(':') + 1));
    }

    /** The input as produced, and the tables it implies. */
    private static final class Input {
        final Map<String, String> orders = new HashMap<>();
        final Map<String, String> customers = new HashMap<>();
        /** Customers that ever had an order: the aggregation keeps their total, zero if no order is left. */
        final Set<String> customersWithOrders = new HashSet<>();
        private final String ordersTopic;
        private final String customersTopic;

        Input(String format) {
            this.ordersTopic = topic(ORDERS, format);
            this.customersTopic = topic(CUSTOMERS, format);
        }

        /** Every order, and names for four in five customers (the rest stay out of the inner join). */
        void createOrdersAndCustomers(KafkaProducer<byte[], byte[]> producer, Random random) {
            for (int c = 0; c < CUSTOMER_COUNT; c++) {
                if (c % 5 != 0) {
                    send(producer, customersTopic, customers, customer(c), "name-" + c);
                }
            }
            for (int o = 0; o < ORDER_COUNT; o++) {
                sendOrder(producer, "order-" + o, customer(random.nextInt(CUSTOMER_COUNT)), random);
            }
        }

        /** Amount changes, moves to another customer, order deletes, customer renames and deletes. */
        void changeOrdersAndCustomers(KafkaProducer<byte[], byte[]> producer, Random random) {
            for (int i = 0; i < 6_000; i++) {
                String order = "order-" + random.nextInt(ORDER_COUNT);
                switch (i % 3) {
                    case 0 -> sendOrder(producer, order, customerOf(orders.getOrDefault(order, customer(0) + ":0")),
                        random);
                    case 1 -> sendOrder(producer, order, customer(random.nextInt(CUSTOMER_COUNT)), random);
                    default -> send(producer, ordersTopic, orders, order, null);
                }
                if (i % 100 == 0) {
                    int c = random.nextInt(CUSTOMER_COUNT);
                    send(producer, customersTopic, customers, customer(c), i % 300 == 0 ? null : "renamed-" + c + "-" + i);
                }
            }
        }

        Map<String, Long> expectedTotals() {
            Map<String, Long> totals = new HashMap<>();
            customersWithOrders.forEach(customer -> totals.put(customer, 0L));
            orders.values().forEach(order -> totals.merge(customerOf(order), amountOf(order), Long::sum));
            return totals;
        }

        Map<String, String> expectedNamedTotals() {
            Map<String, String> joined = new HashMap<>();
            expectedTotals().forEach((customer, total) -> {
                String name = customers.get(customer);
                if (name != null) {
                    joined.put(customer, name + "=" + total);
                }
            });
            return joined;
        }

        private void sendOrder(KafkaProducer<byte[], byte[]> producer, String order, String customer, Random random) {
            customersWithOrders.add(customer);
            send(producer, ordersTopic, orders, order, customer + ":" + (1 + random.nextInt(10_000)));
        }

        private static void send(KafkaProducer<byte[], byte[]> producer, String topic, Map<String, String> model,
                                 String key, String value) {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8)));
            if (value == null) {
                model.remove(key);
            } else {
                model.put(key, value);
            }
        }

        private static String customer(int c) {
            return String.format("customer-%03d", c);
        }
    }
}
