package io.bucketmap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bucketmap.store.BucketMapStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded {@code READ_COMMITTED} queries on a standby, through {@code KafkaStreams.query} on the broker, with
 * {@code enable.transactional.statestores=true} and IQ consistency vectors (issue 27): a standby has applied the last
 * changelog batch, so a query bounded at the last input offset is answered, as Kafka's in-memory store answers it, and
 * not only after the standby's next commit (here a minute away). Two instances, one standby replica each; the
 * in-memory and the persistent bucket-map stores beside Kafka's in-memory store, fed the same records.
 */
class StandbyQueriesIT {
    private static final String INPUT = "standby-queries-input";
    private static final String BUCKET_MAP = "standby-bucketmap";
    private static final String BUCKET_MAP_PERSISTENT = "standby-bucketmap-persistent";
    private static final String KAFKA_IN_MEMORY = "standby-kafka-in-memory";
    private static final List<String> STORES = List.of(BUCKET_MAP, BUCKET_MAP_PERSISTENT, KAFKA_IN_MEMORY);
    private static final int PARTITIONS = 2;
    private static final int KEYS = 500;
    private static final int RECORDS = 2_000;
    /** Beyond the test: a standby answers a bound only if its position follows restored batches, not commits. */
    private static final int COMMIT_INTERVAL_MS = 120_000;

    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    @Test
    @Timeout(180)
    void aStandbyAnswersReadCommittedQueriesBoundAtTheLastInputOffsetOnceItHasAppliedItsChangelog(
        @TempDir Path firstState, @TempDir Path secondState) throws Exception {
        cluster.createTopics(PARTITIONS, INPUT);
        String applicationId = StreamsApps.uniqueApplicationId("standby-queries");
        KafkaStreams first = new KafkaStreams(topology(), properties(applicationId, firstState));
        KafkaStreams second = new KafkaStreams(topology(), properties(applicationId, secondState));
        try {
            first.start();
            second.start();
            await("one active and one standby task on each instance").atMost(Duration.ofSeconds(90))
                .until(() -> hasOneActiveAndOneStandby(first) && hasOneActiveAndOneStandby(second));

            Map<String, String> latest = new HashMap<>();
            Position last = Position.emptyPosition();
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            try (KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
                for (int i = 0; i < RECORDS; i++) {
                    String key = "key-" + (i % KEYS);
                    String value = "v" + i;
                    sends.add(producer.send(new ProducerRecord<>(INPUT,
                        TestCluster.defaultPartition(bytes(key), PARTITIONS), bytes(key), bytes(value))));
                    latest.put(key, value);
                }
            }
            for (Future<RecordMetadata> send : sends) {
                RecordMetadata sent = send.get();
                last.withComponent(INPUT, sent.partition(), sent.offset());
            }
            PositionBound bound = PositionBound.at(last);

            long sent = System.nanoTime();
            for (KafkaStreams instance : List.of(first, second)) {
                int standby = standbyPartition(instance);
                String key = keyIn(standby);
                for (String store : STORES) {
                    await(store + " standby of partition " + standby + " answers at the last offset")
                        .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                        .until(() -> keyQuery(instance, store, key, standby, bound).isSuccess());
                    System.out.printf("%s, standby of partition %d: answered %d ms after the last record was sent%n",
                        store, standby, (System.nanoTime() - sent) / 1_000_000);
                    QueryResult<String> answer = keyQuery(instance, store, key, standby, bound);
                    assertThat(answer.getResult()).as(store).isEqualTo(latest.get(key));
                    assertThat(answer.getPosition().getPartitionPositions(INPUT).get(standby)).as(store)
                        .isGreaterThanOrEqualTo(last.getPartitionPositions(INPUT).get(standby));

                    QueryResult<KeyValueIterator<String, String>> range = instance.query(
                        StateQueryRequest.inStore(store).withQuery(RangeQuery.<String, String>withNoBounds())
                            .withPositionBound(bound).withIsolationLevel(IsolationLevel.READ_COMMITTED)
                            .withPartitions(Set.of(standby))).getPartitionResults().get(standby);
                    assertThat(range.isSuccess()).as("%s range on the standby: %s", store, range).isTrue();
                    assertThat(drain(range.getResult())).as(store).isEqualTo(expectedIn(latest, standby));
                }
            }
        } finally {
            StreamsApps.closeLeavingGroup(first);
            StreamsApps.closeLeavingGroup(second);
        }
    }

    private static QueryResult<String> keyQuery(KafkaStreams instance, String store, String key, int partition,
                                                PositionBound bound) {
        return instance.query(StateQueryRequest.inStore(store).withQuery(KeyQuery.<String, String>withKey(key))
            .withPositionBound(bound).withIsolationLevel(IsolationLevel.READ_COMMITTED)
            .withPartitions(Set.of(partition))).getPartitionResults().get(partition);
    }

    private static boolean hasOneActiveAndOneStandby(KafkaStreams streams) {
        return streams.state() == KafkaStreams.State.RUNNING
            && streams.metadataForLocalThreads().stream().mapToInt(thread -> thread.activeTasks().size()).sum() == 1
            && streams.metadataForLocalThreads().stream().mapToInt(thread -> thread.standbyTasks().size()).sum() == 1;
    }

    private static int standbyPartition(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream()
            .flatMap(thread -> thread.standbyTasks().stream())
            .map(task -> task.taskId()).mapToInt(TaskId::partition).findFirst().orElseThrow();
    }

    private static String keyIn(int partition) {
        for (int k = 0; ; k++) {
            if (TestCluster.defaultPartition(bytes("key-" + k), PARTITIONS) == partition) {
                return "key-" + k;
            }
        }
    }

    private static Map<String, String> expectedIn(Map<String, String> latest, int partition) {
        Map<String, String> expected = new HashMap<>();
        latest.forEach((key, value) -> {
            if (TestCluster.defaultPartition(bytes(key), PARTITIONS) == partition) {
                expected.put(key, value);
            }
        });
        return expected;
    }

    private static Map<String, String> drain(KeyValueIterator<String, String> entries) {
        Map<String, String> drained = new HashMap<>();
        try (entries) {
            entries.forEachRemaining((KeyValue<String, String> entry) -> drained.put(entry.key, entry.value));
        }
        return drained;
    }

    private static Properties properties(String applicationId, Path stateDir) {
        Properties props = StreamsApps.properties(cluster.bootstrapServers(), applicationId, stateDir);
        props.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        props.put(StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, true);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        return props;
    }

    private static Topology topology() {
        Topology topology = new Topology();
        topology.addSource("source", new StringDeserializer(), new StringDeserializer(), INPUT);
        topology.addProcessor("keep", KeepInEach::new, "source");
        Map<String, KeyValueBytesStoreSupplier> suppliers = Map.of(
            BUCKET_MAP, BucketMapStores.keyValueStore(BUCKET_MAP),
            BUCKET_MAP_PERSISTENT, BucketMapStores.persistentKeyValueStore(BUCKET_MAP_PERSISTENT),
            KAFKA_IN_MEMORY, Stores.inMemoryKeyValueStore(KAFKA_IN_MEMORY));
        for (String store : STORES) {
            topology.addStateStore(Stores.keyValueStoreBuilder(suppliers.get(store), Serdes.String(), Serdes.String()),
                "keep");
        }
        return topology;
    }

    /** Puts each record into every store. */
    private static final class KeepInEach implements Processor<String, String, Void, Void> {
        private final List<KeyValueStore<String, String>> stores = new ArrayList<>();

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            STORES.forEach(name -> stores.add(context.getStateStore(name)));
        }

        @Override
        public void process(Record<String, String> record) {
            stores.forEach(store -> store.put(record.key(), record.value()));
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
