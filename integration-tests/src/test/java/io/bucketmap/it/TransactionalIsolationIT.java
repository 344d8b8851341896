package io.bucketmap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bucketmap.store.BucketMapStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Isolation levels of interactive queries with {@code enable.transactional.statestores=true}, through
 * {@code KafkaStreams.query} on the broker, on the in-memory bucket-map store beside Kafka's in-memory store fed the
 * same records: before a commit a {@code READ_UNCOMMITTED} query sees the latest write and a {@code READ_COMMITTED}
 * one does not; once the stores' uncommitted bytes pass {@code statestore.uncommitted.max.bytes}, the stream thread
 * commits long before {@code commit.interval.ms}, and {@code READ_COMMITTED} queries see the writes.
 */
class TransactionalIsolationIT {
    private static final String INPUT = "isolation-input";
    private static final String BUCKET_MAP = "isolation-bucketmap";
    private static final String KAFKA_IN_MEMORY = "isolation-kafka-in-memory";
    /** Far beyond the test: any commit after RUNNING is one the uncommitted bytes caused. */
    private static final int COMMIT_INTERVAL_MS = 600_000;
    private static final long UNCOMMITTED_LIMIT = 200_000;

    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    /**
     * Alone, the bucket-map store's own uncommitted bytes must force the commit; beside Kafka's store, both answer
     * alike.
     */
    @ParameterizedTest(name = "beside Kafka''s in-memory store: {0}")
    @ValueSource(booleans = {false, true})
    @Timeout(120)
    void readCommittedQueriesSeeWritesOnlyOnceACommitTheUncommittedBytesForcedHasRun(boolean besideKafkasStore,
                                                                                   @TempDir Path stateDir)
        throws Exception {
        String input = INPUT + (besideKafkasStore ? "-both" : "-alone");
        List<String> stores = besideKafkasStore ? List.of(BUCKET_MAP, KAFKA_IN_MEMORY) : List.of(BUCKET_MAP);
        cluster.createTopics(1, input);
        Properties props = StreamsApps.properties(cluster.bootstrapServers(),
            StreamsApps.uniqueApplicationId("isolation"), stateDir);
        props.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        props.put(StreamsConfig.STATESTORE_UNCOMMITTED_MAX_BYTES_CONFIG, UNCOMMITTED_LIMIT);
        KafkaStreams streams = new KafkaStreams(topology(input, stores), props);
        try {
            StreamsApps.startAndAwaitRunning(streams);
            try (KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
                producer.send(record(input, "first", "1")).get();
            }
            for (String store : stores) {
                await(store + " applied the first record").atMost(Duration.ofSeconds(30))
                    .until(() -> "1".equals(get(streams, store, "first", IsolationLevel.READ_UNCOMMITTED)));
            }
            for (String store : stores) {
                assertThat(get(streams, store, "first", IsolationLevel.READ_COMMITTED))
                    .as("%s at READ_COMMITTED before any commit", store).isNull();
            }

            // about 300 kB of writes per store: past the limit, so the thread commits without waiting 10 minutes
            String value = "x".repeat(100);
            try (KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
                for (int i = 0; i < 3_000; i++) {
                    producer.send(record(input, "filler-" + i, value));
                }
            }
            for (String store : stores) {
                await(store + " at READ_COMMITTED sees the first record after the forced commit")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> "1".equals(get(streams, store, "first", IsolationLevel.READ_COMMITTED)));
            }
        } finally {
            StreamsApps.closeLeavingGroup(streams);
        }
    }

    /** The one partition's answer to a key query at {@code isolation}; fails the test on a failed partition. */
    private static String get(KafkaStreams streams, String store, String key, IsolationLevel isolation) {
        StateQueryResult<String> result = streams.query(StateQueryRequest.inStore(store)
            .withQuery(KeyQuery.<String, String>withKey(key)).withIsolationLevel(isolation));
        List<String> found = new ArrayList<>();
        for (QueryResult<String> partition : result.getPartitionResults().values()) {
            assertThat(partition.isSuccess()).as("%s: %s", store, partition).isTrue();
            if (partition.getResult() != null) {
                found.add(partition.getResult());
            }
        }
        return found.isEmpty() ? null : found.get(0);
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, String value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
            value.getBytes(StandardCharsets.UTF_8));
    }

    private static Topology topology(String input, List<String> stores) {
        Topology topology = new Topology();
        topology.addSource("source", new StringDeserializer(), new StringDeserializer(), input);
        topology.addProcessor("keep", () -> new KeepInEach(stores), "source");
        for (String store : stores) {
            topology.addStateStore(Stores.keyValueStoreBuilder(store.equals(BUCKET_MAP)
                ? BucketMapStores.keyValueStore(store) : Stores.inMemoryKeyValueStore(store),
                Serdes.String(), Serdes.String()), "keep");
        }
        return topology;
    }

    /** Puts each record into every one of the named stores. */
    private static final class KeepInEach implements Processor<String, String, Void, Void> {
        private final List<String> names;
        private final List<KeyValueStore<String, String>> stores = new ArrayList<>();

        KeepInEach(List<String> names) {
            this.names = names;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            names.forEach(name -> stores.add(context.getStateStore(name)));
        }

        @Override
        public void process(Record<String, String> record) {
            stores.forEach(store -> store.put(record.key(), record.value()));
        }
    }
}
