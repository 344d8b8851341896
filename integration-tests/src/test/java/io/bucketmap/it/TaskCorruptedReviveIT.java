package io.bucketmap.it;

import io.bucketmap.store.BucketMapStores;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real revive path: under {@code exactly_once_v2}, a task that reports itself corrupted is closed dirty, its
 * directory wiped, and its stores initialised again ({@code TaskManager.closeDirtyAndRevive}); the persistent store
 * must then report no committed offset, so that Kafka Streams restores the whole changelog, and the state must equal
 * the committed input.
 *
 * <p>What this does not pin down: in the runs seen here (Kafka Streams 4.3.1), the rebalance that Kafka Streams enforces
 * after an active task's corruption under {@code exactly_once_v2} replaced the revived task with a new one, with new
 * store objects, before it was initialised, so the re-initialisation of the SAME store objects (where a store that kept
 * its previous open's offsets lost data) did not happen, and this test also passed on that store. That path is pinned
 * down by {@code StoreLifecycleTest} in the store module, which re-initialises one store object after a wipe.
 */
class TaskCorruptedReviveIT {
    private static final String STORE = "revive-store";
    private static final String CORRUPTING_KEY = "corrupt-once";
    /** How many times the processor threw; it throws on the first sight of {@link #CORRUPTING_KEY} only. */
    private static final AtomicInteger CORRUPTIONS = new AtomicInteger();

    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    @Test
    @Timeout(180)
    void aPersistentStoreRevivedAfterCorruptionHoldsEveryCommittedRecord(@TempDir Path stateDir) throws Exception {
        String input = "revive-input";
        cluster.createTopics(1, input);
        String applicationId = StreamsApps.uniqueApplicationId("revive");
        Properties props = KeyValueApp.properties(cluster.bootstrapServers(), applicationId, stateDir);
        Map<String, String> model = new TreeMap<>();

        // 1. the first records, processed and committed; a clean close writes the copy with the changelog offset
        produce(input, model, 0, 2_000);
        KafkaStreams first = new KafkaStreams(topology(input), props);
        try {
            StreamsApps.startAndAwaitRunning(first);
            await("first records processed").atMost(Duration.ofSeconds(60))
                .until(() -> cluster.consumedToEnd(applicationId, List.of(input)));
        } finally {
            StreamsApps.closeLeavingGroup(first);
        }

        // 2. a restart opens the copy at that offset (and commits it again when its restoration completes); then the
        //    last record of a batch makes the task report itself corrupted
        KafkaStreams second = new KafkaStreams(topology(input), props);
        try {
            StreamsApps.startAndAwaitRunning(second);
            produce(input, model, 2_000, 3_000);
            try (KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
                producer.send(new ProducerRecord<>(input, bytes(CORRUPTING_KEY), bytes("x")));
            }
            model.put(CORRUPTING_KEY, "x");
            await("the task reported itself corrupted").atMost(Duration.ofSeconds(60))
                .until(() -> CORRUPTIONS.get() == 1);
            awaitStoreEquals(second, model, "after the revive");

            // 3. the revived store goes on as usual
            produce(input, model, 3_000, 4_000);
            awaitStoreEquals(second, model, "after more records");
            assertThat(CORRUPTIONS.get()).as("task corruptions raised").isEqualTo(1);
        } finally {
            StreamsApps.closeLeavingGroup(second);
        }
    }

    /**
     * Waits until the store, read through IQv1, equals {@code model}, and fails naming the keys that differ if it does
     * not within a minute. (Records produced after the corrupting one, before the revive, are not part of the scenario:
     * Kafka Streams 4.3.1 skipped them for Kafka's own RocksDB store too, in a trial of this test, when user code throws
     * {@code TaskCorruptedException}, as this test's processor does to force the revive path.)
     */
    private static void awaitStoreEquals(KafkaStreams streams, Map<String, String> model, String when) {
        StoreQueries<String, String> queries = new StoreQueries<>(streams, STORE);
        AtomicReference<Map<String, String>> wrong = new AtomicReference<>(model);
        try {
            await("store equal to the input " + when).atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> {
                    wrong.set(differences(queries, model));
                    return wrong.get().isEmpty();
                });
        } catch (ConditionTimeoutException e) {
            assertThat(wrong.get()).as("keys whose stored value differs from the input %s (of %d)", when, model.size())
                .isEmpty();
        }
    }

    /** Keys of {@code model} whose stored value differs (null: missing), and stored keys not in it. */
    private static Map<String, String> differences(StoreQueries<String, String> queries, Map<String, String> model) {
        Map<String, String> stored = queries.iqv1All().stream()
            .collect(Collectors.toMap(kv -> kv.key, kv -> kv.value, (a, b) -> a + "|" + b, TreeMap::new));
        Map<String, String> wrong = new TreeMap<>();
        model.forEach((key, value) -> {
            if (!value.equals(stored.get(key))) {
                wrong.put(key, stored.get(key));
            }
        });
        stored.keySet().stream().filter(key -> !model.containsKey(key)).forEach(key -> wrong.put(key, "unexpected"));
        return wrong;
    }

    private static void produce(String topic, Map<String, String> model, int from, int to) {
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
            for (int i = from; i < to; i++) {
                String key = String.format("key-%06d", i);
                producer.send(new ProducerRecord<>(topic, bytes(key), bytes("value-" + i)));
                model.put(key, "value-" + i);
            }
            producer.flush();
        }
    }

    private static Topology topology(String input) {
        Topology topology = new Topology();
        topology.addSource("input", new StringDeserializer(), new StringDeserializer(), input);
        topology.addProcessor("apply", CorruptingOnce::new, "input");
        topology.addStateStore(Stores.keyValueStoreBuilder(BucketMapStores.persistentKeyValueStore(STORE),
            Serdes.String(), Serdes.String()), "apply");
        return topology;
    }

    /** Applies each record to the store; reports the task corrupted the first time it meets the corrupting key. */
    private static final class CorruptingOnce implements Processor<String, String, Void, Void> {
        private ProcessorContext<Void, Void> context;
        private KeyValueStore<String, String> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, String> record) {
            store.put(record.key(), record.value());
            if (CORRUPTING_KEY.equals(record.key()) && CORRUPTIONS.compareAndSet(0, 1)) {
                throw new TaskCorruptedException(Set.of(context.taskId()));
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
