package io.bucketmap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bucket-map store filled through a real broker, its local state thrown away, and brought back by a new
 * instance from nothing but its changelog topic.
 */
class RestoreIT {

    private static final String STORE = KeyValueApp.STORE;
    private static final int PARTITIONS = 2;
    private static final int DISTINCT_KEYS = 240_000;
    private static final int OVERWRITES = 60_000;
    private static final int DELETES = 30_000;
    private static final int REVIVALS = 3_000;

    /** One broker for the class, started before its tests and stopped after them. */
    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    @Test
    @Timeout(180)
    void aNewInstanceRestoresEveryKeyAndValueFromTheChangelogAndDeletedKeysStayDeleted(@TempDir Path stateDir)
        throws Exception {
        String input = "restore-input";
        cluster.createTopics(PARTITIONS, input);
        String applicationId = StreamsApps.uniqueApplicationId("restore");
        var props = StreamsApps.properties(cluster.bootstrapServers(), applicationId, stateDir);

        NavigableMap<String, String> model = new TreeMap<>();
        Set<String> deleted = new TreeSet<>();
        produceOperations(input, model, deleted);
        assertThat(model).as("live keys at the end").hasSizeGreaterThanOrEqualTo(200_000);

        KafkaStreams first = new KafkaStreams(topology(input), props);
        try {
            StreamsApps.startAndAwaitRunning(first);
            await("input processed and committed").atMost(Duration.ofSeconds(90))
                .until(() -> cluster.consumedToEnd(applicationId, List.of(input)));
        } finally {
            StreamsApps.closeLeavingGroup(first);
        }
        first.cleanUp();
        assertThat(Files.exists(stateDir.resolve(applicationId))).as("local state discarded").isFalse();

        KafkaStreams second = new KafkaStreams(topology(input), props);
        StateUpdateCounter updates = new StateUpdateCounter().listenTo(second);
        try {
            StreamsApps.startAndAwaitRunning(second);
            await("every changelog partition restored").atMost(Duration.ofSeconds(60))
                .until(() -> updates.restoreEnded.size() == PARTITIONS);
            assertThat(updates.restored.get()).as("changelog records restored").isGreaterThanOrEqualTo(model.size());

            StoreQueries<String, String> queries = new StoreQueries<>(second, STORE);
            assertIqv1MatchesModel(queries, model, deleted);
            assertIqv2MatchesModel(queries, model, deleted);
        } finally {
            StreamsApps.closeLeavingGroup(second);
        }
    }

    /**
     * Puts {@value #DISTINCT_KEYS} keys, overwrites {@value #OVERWRITES} of them, deletes {@value #DELETES}
     * (tombstones) and puts {@value #REVIVALS} deleted ones back, in that order; records the outcome in
     * {@code model} and the keys that end deleted in {@code deleted}. A key always goes to the same partition,
     * so each key's operations reach the store in the order produced.
     */
    private static void produceOperations(String topic, Map<String, String> model, Set<String> deleted) {
        Random random = new Random(42);
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
            for (int i = 0; i < DISTINCT_KEYS; i++) {
                put(producer, topic, model, deleted, key(i), "first-" + i);
            }
            for (int i = 0; i < OVERWRITES; i++) {
                int k = random.nextInt(DISTINCT_KEYS);
                put(producer, topic, model, deleted, key(k), "overwrite-" + i + "-of-" + k);
            }
            List<String> deletedInOrder = new ArrayList<>();
            for (int i = 0; i < DELETES; i++) {
                String key = key(random.nextInt(DISTINCT_KEYS));
                producer.send(new ProducerRecord<>(topic, bytes(key), null));
                if (model.remove(key) != null) {
                    deleted.add(key);
                    deletedInOrder.add(key);
                }
            }
            for (int i = 0; i < REVIVALS; i++) {
                put(producer, topic, model, deleted, deletedInOrder.get(i), "revived-" + i);
            }
            producer.flush();
        }
    }

    private static void put(KafkaProducer<byte[], byte[]> producer, String topic, Map<String, String> model,
                            Set<String> deleted, String key, String value) {
        producer.send(new ProducerRecord<>(topic, bytes(key), bytes(value)));
        model.put(key, value);
        deleted.remove(key);
    }

    private static void assertIqv1MatchesModel(StoreQueries<String, String> queries, NavigableMap<String, String> model,
                                               Set<String> deleted) {
        var store = queries.iqv1();
        Map<String, String> mismatches = new HashMap<>();
        model.forEach((key, value) -> {
            String stored = store.get(key);
            if (!value.equals(stored)) {
                mismatches.put(key, stored);
            }
        });
        assertThat(mismatches).as("IQv1 get: keys whose stored value differs from the model").isEmpty();
        assertThat(deleted).as("IQv1 get of deleted keys").allSatisfy(key -> assertThat(store.get(key)).isNull());
        assertThat(store.approximateNumEntries()).isEqualTo(model.size());

        assertThat(toMapWithoutDuplicates(queries.iqv1All())).as("IQv1 all()").isEqualTo(model);
        String from = key(100_000);
        String to = key(119_999);
        assertThat(toMapWithoutDuplicates(queries.iqv1Range(from, to))).as("IQv1 range")
            .isEqualTo(model.subMap(from, true, to, true));
    }

    private static void assertIqv2MatchesModel(StoreQueries<String, String> queries, NavigableMap<String, String> model,
                                               Set<String> deleted) {
        Random random = new Random(7);
        List<String> liveKeys = new ArrayList<>(model.keySet());
        for (int i = 0; i < 2_000; i++) {
            String key = liveKeys.get(random.nextInt(liveKeys.size()));
            assertThat(queries.iqv2Get(key)).as("IQv2 KeyQuery %s", key).isEqualTo(model.get(key));
        }
        deleted.stream().limit(2_000)
            .forEach(key -> assertThat(queries.iqv2Get(key)).as("IQv2 KeyQuery of deleted %s", key).isNull());

        Map<Integer, List<KeyValue<String, String>>> all = queries.iqv2Range(null, null);
        assertThat(all).as("partitions answering").hasSize(PARTITIONS);
        all.values().forEach(RestoreIT::assertAscending);
        assertThat(toMapWithoutDuplicates(all.values().stream().flatMap(List::stream).toList()))
            .as("IQv2 RangeQuery without bounds").isEqualTo(model);

        String from = key(50_000);
        String to = key(50_999);
        Map<Integer, List<KeyValue<String, String>>> range = queries.iqv2Range(from, to);
        range.values().forEach(RestoreIT::assertAscending);
        assertThat(toMapWithoutDuplicates(range.values().stream().flatMap(List::stream).toList()))
            .as("IQv2 RangeQuery [%s, %s]", from, to).isEqualTo(model.subMap(from, true, to, true));
    }

    /** The ordered store returns each partition's keys ascending, as Kafka's in-memory store does. */
    private static void assertAscending(List<KeyValue<String, String>> entries) {
        for (int i = 1; i < entries.size(); i++) {
            assertThat(entries.get(i - 1).key).isLessThan(entries.get(i).key);
        }
    }

    private static Map<String, String> toMapWithoutDuplicates(List<KeyValue<String, String>> entries) {
        Map<String, String> map = new HashMap<>();
        for (KeyValue<String, String> entry : entries) {
            assertThat(entry.value).as("value of %s", entry.key).isNotNull();
            assertThat(map.put(entry.key, entry.value)).as("key %s returned twice", entry.key).isNull();
        }
        return map;
    }

    /** The in-memory bucket-map store under the smallest stateful topology, at-least-once. */
    private static Topology topology(String input) {
        return KeyValueApp.topology(input, KeyValueApp.Kind.BUCKETMAP_IN_MEMORY);
    }

    private static String key(int i) {
        return String.format("key-%07d", i);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
