package io.bucketmap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bucketmap.store.BucketMapStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ReadOnlyRecord;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.query.TimestampedKeyWithHeadersQuery;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application upgraded from plain bucket-map stores to headers stores, same application id and state directory:
 * the headers stores rebuild their state from the changelog, whose records Kafka Streams converts into the headers
 * format (value, the record's timestamp, its headers). The in-memory store restores as after any restart; the
 * persistent one must not read its plain local copy as headers values, so it finds no copy in the headers format
 * and restores the changelog from its start.
 */
class FormatUpgradeIT {

    private static final String INPUT = "upgrade-input";
    private static final String IN_MEMORY = "upgrade-in-memory";
    private static final String PERSISTENT = "upgrade-persistent";
    private static final int KEYS = 300;
    private static final long BASE_TIME = 1_767_225_600_000L;

    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    @Test
    @Timeout(180)
    void plainStoresUpgradedToHeadersStoresKeepEveryValueWithItsRecordTimestamp(@TempDir Path stateDir)
        throws Exception {
        cluster.createTopics(2, INPUT);
        Map<String, String> expected = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
            for (int i = 0; i < KEYS; i++) {
                String key = "key-" + i;
                expected.put(key, "v" + i);
                producer.send(new ProducerRecord<>(INPUT, null, BASE_TIME + i, key.getBytes(StandardCharsets.UTF_8),
                    ("v" + i).getBytes(StandardCharsets.UTF_8)));
            }
        }
        String applicationId = StreamsApps.uniqueApplicationId("format-upgrade");

        KafkaStreams plain = new KafkaStreams(plainTopology(), properties(applicationId, stateDir));
        try {
            StreamsApps.startAndAwaitRunning(plain);
            await("both plain stores hold every key").atMost(Duration.ofSeconds(60)).until(() ->
                new StoreQueries<String, String>(plain, IN_MEMORY).iqv1All().size() == KEYS
                    && new StoreQueries<String, String>(plain, PERSISTENT).iqv1All().size() == KEYS);
        } finally {
            StreamsApps.closeLeavingGroup(plain);
        }
        assertThat(copyFolders(stateDir)).as("the plain store's local copies").contains(PERSISTENT);

        KafkaStreams upgraded = new KafkaStreams(headersTopology(), properties(applicationId, stateDir));
        try {
            StreamsApps.startAndAwaitRunning(upgraded);
            for (String store : List.of(IN_MEMORY, PERSISTENT)) {
                await(store + " answers every key in the headers format").atMost(Duration.ofSeconds(60))
                    .until(() -> rows(upgraded, store, expected.keySet(), r -> r.value() + "@" + r.timestamp())
                        .equals(expectedRows(expected)));
            }
        } finally {
            StreamsApps.closeLeavingGroup(upgraded);
        }
        assertThat(copyFolders(stateDir)).as("local copies, one folder per format")
            .contains(PERSISTENT, PERSISTENT + ".headers");
    }

    private static Map<String, String> expectedRows(Map<String, String> expected) {
        Map<String, String> rows = new HashMap<>();
        expected.forEach((key, value) -> rows.put(key, value + "@" + (BASE_TIME + Integer.parseInt(key.substring(4)))));
        return rows;
    }

    private static Map<String, String> rows(KafkaStreams streams, String store, Iterable<String> keys,
                                            Function<ReadOnlyRecord<String, String>, String> describe) {
        Map<String, String> rows = new HashMap<>();
        for (String key : keys) {
            StateQueryResult<ReadOnlyRecord<String, String>> result = streams.query(StateQueryRequest.inStore(store)
                .withQuery(TimestampedKeyWithHeadersQuery.<String, String>withKey(key)));
            for (QueryResult<ReadOnlyRecord<String, String>> partition : result.getPartitionResults().values()) {
                if (partition.isSuccess() && partition.getResult() != null) {
                    rows.put(key, describe.apply(partition.getResult()));
                }
            }
        }
        return rows;
    }

    /** The names of the persistent bucket-map store's local copy folders, over every task directory. */
    private static List<String> copyFolders(Path stateDir) throws Exception {
        try (var paths = Files.walk(stateDir)) {
            return paths.filter(path -> path.getParent() != null
                    && path.getParent().getFileName().toString().equals("bucketmap-rocksdb"))
                .map(path -> path.getFileName().toString()).distinct().toList();
        }
    }

    private static Topology plainTopology() {
        Topology topology = new Topology();
        topology.addSource("source", new StringDeserializer(), new StringDeserializer(), INPUT);
        topology.addProcessor("keep", KeepPlain::new, "source");
        for (KeyValueBytesStoreSupplier supplier : List.of(BucketMapStores.keyValueStore(IN_MEMORY),
            BucketMapStores.persistentKeyValueStore(PERSISTENT))) {
            topology.addStateStore(Stores.keyValueStoreBuilder(supplier, Serdes.String(), Serdes.String()), "keep");
        }
        return topology;
    }

    /** The same stores as headers stores; the processor no longer writes, so all they hold comes from restoring. */
    private static Topology headersTopology() {
        Topology topology = new Topology();
        topology.addSource("source", new StringDeserializer(), new StringDeserializer(), INPUT);
        topology.addProcessor("keep", ReadNothing::new, "source");
        for (KeyValueBytesStoreSupplier supplier : List.of(
            BucketMapStores.timestampedKeyValueStoreWithHeaders(IN_MEMORY),
            BucketMapStores.persistentTimestampedKeyValueStoreWithHeaders(PERSISTENT))) {
            topology.addStateStore(Stores.timestampedKeyValueStoreWithHeadersBuilder(
                supplier, Serdes.String(), Serdes.String()), "keep");
        }
        return topology;
    }

    private static final class ReadNothing implements Processor<String, String, Void, Void> {
        @Override
        public void process(Record<String, String> record) {
        }
    }

    private static final class KeepPlain implements Processor<String, String, Void, Void> {
        private KeyValueStore<String, String> inMemory;
        private KeyValueStore<String, String> persistent;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            inMemory = context.getStateStore(IN_MEMORY);
            persistent = context.getStateStore(PERSISTENT);
        }

        @Override
        public void process(Record<String, String> record) {
            inMemory.put(record.key(), record.value());
            persistent.put(record.key(), record.value());
        }
    }

    private static Properties properties(String applicationId, Path stateDir) {
        return StreamsApps.properties(cluster.bootstrapServers(), applicationId, stateDir);
    }
}
