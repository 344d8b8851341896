package io.bucketmap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kafka 4.4's transactional state stores ({@code enable.transactional.statestores=true}, KIP-892) under
 * {@code exactly_once_v2}: a child JVM applying input to one store is killed (SIGKILL) while it processes, with a
 * transaction open; a new instance on the same state directory must end with exactly the input, each key once.
 *
 * <p>Compared: the in-memory bucket-map store, which keeps nothing on disk and restores its whole changelog (read
 * committed) as Kafka's in-memory store does, and Kafka's RocksDB store, which in 4.4 keeps its uncommitted writes
 * in a transaction buffer, so the crash no longer makes Kafka Streams wipe its state: it restores only the changelog
 * after its last commit. The restored record counts are printed as {@code TXCRASH} lines.
 */
class TransactionalStoresCrashIT {
    private static final int KEYS = 100_000;
    private static final int TAIL = 30_000;

    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    @ParameterizedTest
    @EnumSource(value = KeyValueApp.Kind.class, names = {"BUCKETMAP_IN_MEMORY", "KAFKA_ROCKSDB"})
    @Timeout(300)
    void afterACrashUnderExactlyOnceWithTransactionalStoresTheStoreEqualsTheCommittedInput(
        KeyValueApp.Kind kind, @TempDir Path stateDir, @TempDir Path logs) throws Exception {
        String input = "txcrash-input-" + kind.name().toLowerCase().replace('_', '-');
        cluster.createTopics(1, input);
        String applicationId = StreamsApps.uniqueApplicationId("txcrash-" + kind.name().toLowerCase());
        Map<String, String> model = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
            for (int i = 0; i < KEYS; i++) {
                send(producer, input, model, key(i), "first-" + i);
            }
        }

        try (ChildJvm child = ChildJvm.start(KeyValueApp.class, logs.resolve("child.log"),
            cluster.bootstrapServers(), applicationId, stateDir.toString(), input, kind.name(), "true")) {
            child.awaitOutputLine("STATE RUNNING", StreamsApps.STARTUP_LIMIT);
            await("first input processed and committed by the child").atMost(Duration.ofSeconds(120))
                .until(() -> cluster.consumedToEnd(applicationId, List.of(input)));
            // updates and deletes arrive; the child is killed while it processes them, mid-transaction
            try (KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
                for (int i = 0; i < TAIL; i++) {
                    send(producer, input, model, key(i * 3 % KEYS), i % 10 == 0 ? null : "tail-" + i);
                }
            }
            await("the child has written part of the tail to its changelog").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> cluster.readToEnd(changelog(applicationId), IsolationLevel.READ_UNCOMMITTED).size() > KEYS);
            child.kill();
        }
        int uncommittedAtCrash = cluster.readToEnd(changelog(applicationId), IsolationLevel.READ_UNCOMMITTED).size();

        KafkaStreams restarted = new KafkaStreams(KeyValueApp.topology(input, kind),
            KeyValueApp.properties(cluster.bootstrapServers(), applicationId, stateDir, true));
        StateUpdateCounter updates = new StateUpdateCounter().listenTo(restarted);
        try {
            StreamsApps.startAndAwaitRunning(restarted);
            await("input processed and committed after the restart").atMost(Duration.ofSeconds(120))
                .until(() -> cluster.consumedToEnd(applicationId, List.of(input)));
            Map<String, String> stored = new HashMap<>();
            ReadOnlyKeyValueStore<String, String> store = restarted.store(StoreQueryParameters.fromNameAndType(
                KeyValueApp.STORE, QueryableStoreTypes.<String, String>keyValueStore()));
            await("the store equals the input").atMost(Duration.ofSeconds(30)).until(() -> {
                stored.clear();
                try (KeyValueIterator<String, String> all = store.all()) {
                    all.forEachRemaining(entry -> assertThat(stored.put(entry.key, entry.value))
                        .as("key %s returned twice", entry.key).isNull());
                }
                return stored.equals(model);
            });
        } finally {
            StreamsApps.closeLeavingGroup(restarted);
        }
        System.out.printf("TXCRASH store=%s keys=%d changelog_records_at_crash=%d restored_records=%d%n", kind, KEYS,
            uncommittedAtCrash, updates.restored.get());
        switch (kind) {
            case BUCKETMAP_IN_MEMORY -> assertThat(updates.restored.get())
                .as("in memory: the whole committed changelog").isGreaterThanOrEqualTo(KEYS);
            case KAFKA_ROCKSDB -> assertThat(updates.restored.get())
                .as("RocksDB with transactional stores: no wipe, only what followed its last commit")
                .isLessThan(KEYS);
            default -> throw new IllegalArgumentException(kind.name());
        }
    }

    private static String changelog(String applicationId) {
        return applicationId + "-" + KeyValueApp.STORE + "-changelog";
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

    private static String key(int i) {
        return String.format("key-%07d", i);
    }
}
