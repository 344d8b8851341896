package io.bucketmap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bucketmap.store.BucketMapStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interactive-query threads read a bucket-map store through both query APIs without pause while the stream
 * thread writes it and a punctuator scans it and deletes stale entries. Kafka's in-memory store can hand such
 * a reader a null value; this store must not, nor a duplicate key, nor throw.
 */
class InteractiveQueriesUnderLoadIT {

    private static final String STORE = "iq-load-store";
    private static final String INPUT = "iq-load-input";
    private static final int PARTITIONS = 2;
    private static final int KEY_SPACE = 100_000;
    private static final int RECORDS = 200_000;
    private static final int BATCHES = 10;
    /** The punctuator deletes an entry once its task has seen this many newer sequence numbers. */
    private static final long RETAINED_SEQUENCES = 10_000;

    /** One broker for the class, started before its tests and stopped after them. */
    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    @Test
    @Timeout(180)
    void readersSeeNoExceptionNoNullValueAndNoDuplicateWhileTheStreamThreadWritesAndThePunctuatorDeletes(
        @TempDir Path stateDir) throws Exception {
        cluster.createTopics(PARTITIONS, INPUT);
        String applicationId = StreamsApps.uniqueApplicationId("iq-load");
        AtomicLong punctuatorDeletes = new AtomicLong();
        KafkaStreams streams = new KafkaStreams(topology(punctuatorDeletes),
            StreamsApps.properties(cluster.bootstrapServers(), applicationId, stateDir));
        StoreQueries<String, String> queries = new StoreQueries<>(streams, STORE);
        Readers readers = new Readers(queries);
        try {
            StreamsApps.startAndAwaitRunning(streams);
            readers.start();
            // Latest sequence number per key, per partition: what the store must hold once everything settles.
            List<Map<String, Long>> latestByPartition = produceInBatches();
            await("input processed").atMost(Duration.ofSeconds(90))
                .until(() -> cluster.consumedToEnd(applicationId, List.of(INPUT)));
            Map<String, String> expected = retainedEntries(latestByPartition);
            await("the punctuator removed every stale entry").atMost(Duration.ofSeconds(30))
                .until(() -> toMap(queries.iqv1All()).equals(expected));
        } finally {
            readers.stop();
            StreamsApps.closeLeavingGroup(streams);
        }

        System.out.printf("punctuator deletes %d, entries read by readers %d, queries %s%n", punctuatorDeletes.get(),
            readers.entriesRead.get(), readers.queriesByKind);
        assertThat(readers.anomalies).as("what the readers saw that they must not").isEmpty();
        assertThat(punctuatorDeletes.get()).as("entries the punctuator deleted").isGreaterThan(50_000);
        assertThat(readers.entriesRead.get()).as("entries the readers' scans returned").isGreaterThan(1_000_000);
        assertThat(readers.queriesByKind).allSatisfy((kind, count) ->
            assertThat(count.get()).as("%s queries", kind).isGreaterThan(20));
    }

    /** Sends {@value #RECORDS} records in {@value #BATCHES} batches 300 ms apart, so processing goes on for seconds. */
    private static List<Map<String, Long>> produceInBatches() throws InterruptedException {
        List<Map<String, Long>> latest = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            latest.add(new HashMap<>());
        }
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
            long seq = 0;
            for (int batch = 0; batch < BATCHES; batch++) {
                for (int i = 0; i < RECORDS / BATCHES; i++, seq++) {
                    String key = key(ThreadLocalRandom.current().nextInt(KEY_SPACE));
                    byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
                    // The default partitioner's choice, made here so the test knows each task's input.
                    int partition = TestCluster.defaultPartition(keyBytes, PARTITIONS);
                    producer.send(new ProducerRecord<>(INPUT, partition, keyBytes,
                        value(key, seq).getBytes(StandardCharsets.UTF_8)));
                    latest.get(partition).put(key, seq);
                }
                producer.flush();
                // Pacing, not waiting for a condition: batches spread over time so the readers overlap the writes.
                Thread.sleep(300);
            }
        }
        return latest;
    }

    /** Per partition, the entries whose sequence number is within the last {@value #RETAINED_SEQUENCES} seen. */
    private static Map<String, String> retainedEntries(List<Map<String, Long>> latestByPartition) {
        Map<String, String> retained = new HashMap<>();
        for (Map<String, Long> latest : latestByPartition) {
            long max = latest.values().stream().mapToLong(Long::longValue).max().orElse(0);
            latest.forEach((key, seq) -> {
                if (seq >= max - RETAINED_SEQUENCES) {
                    retained.put(key, value(key, seq));
                }
            });
        }
        return retained;
    }

    private static Topology topology(AtomicLong punctuatorDeletes) {
        Topology topology = new Topology();
        topology.addSource("input", new StringDeserializer(), new StringDeserializer(), INPUT);
        topology.addProcessor("write-and-expire", () -> new WriteAndExpire(punctuatorDeletes), "input");
        topology.addStateStore(Stores.keyValueStoreBuilder(BucketMapStores.keyValueStore(STORE), Serdes.String(),
            Serdes.String()), "write-and-expire");
        return topology;
    }

    /**
     * Puts every record; every 100 ms of wall-clock time scans the whole store and deletes, during the scan,
     * the entries more than {@value #RETAINED_SEQUENCES} sequence numbers behind the newest this task has seen.
     */
    private static final class WriteAndExpire implements Processor<String, String, Void, Void> {
        private final AtomicLong deletes;
        private KeyValueStore<String, String> store;
        private long newestSeq = -1;

        WriteAndExpire(AtomicLong deletes) {
            this.deletes = deletes;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(STORE);
            context.schedule(Duration.ofMillis(100), PunctuationType.WALL_CLOCK_TIME, now -> expire());
        }

        @Override
        public void process(Record<String, String> record) {
            newestSeq = Math.max(newestSeq, seqOf(record.value()));
            store.put(record.key(), record.value());
        }

        private void expire() {
            try (KeyValueIterator<String, String> all = store.all()) {
                while (all.hasNext()) {
                    KeyValue<String, String> entry = all.next();
                    if (seqOf(entry.value) < newestSeq - RETAINED_SEQUENCES) {
                        store.delete(entry.key);
                        deletes.incrementAndGet();
                    }
                }
            }
        }
    }

    /**
     * Three reader threads until {@link #stop}: IQv1 get and range; IQv1 all; IQv2 KeyQuery and RangeQuery.
     * Each checks every entry it gets: value not null and written for this key, no key twice in one
     * result, range results inside the range, IQv2 partitions in ascending order. Any exception or failed
     * check is recorded, not thrown, so the test reports all of them.
     */
    private static final class Readers {
        final ConcurrentLinkedQueue<String> anomalies = new ConcurrentLinkedQueue<>();
        final AtomicLong entriesRead = new AtomicLong();
        final Map<String, AtomicLong> queriesByKind = Map.of(
            "IQv1 get", new AtomicLong(), "IQv1 range", new AtomicLong(), "IQv1 all", new AtomicLong(),
            "IQv2 KeyQuery", new AtomicLong(), "IQv2 RangeQuery", new AtomicLong());
        private final StoreQueries<String, String> queries;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();

        Readers(StoreQueries<String, String> queries) {
            this.queries = queries;
        }

        void start() {
            threads.add(reader("iq-get-range", () -> {
                String key = randomKey();
                checkValue(key, queries.iqv1().get(key), "IQv1 get");
                String from = randomKey();
                String to = key(Math.min(KEY_SPACE - 1, keyNumber(from) + 2_000));
                checkEntries(queries.iqv1Range(from, to), from, to, "IQv1 range");
            }));
            threads.add(reader("iq-all", () -> checkEntries(queries.iqv1All(), null, null, "IQv1 all")));
            threads.add(reader("iq-v2", () -> {
                String key = randomKey();
                checkValue(key, queries.iqv2Get(key), "IQv2 KeyQuery");
                String from = randomKey();
                String to = key(Math.min(KEY_SPACE - 1, keyNumber(from) + 5_000));
                List<KeyValue<String, String>> all = new ArrayList<>();
                for (List<KeyValue<String, String>> partition : queries.iqv2Range(from, to).values()) {
                    for (int i = 1; i < partition.size(); i++) {
                        if (partition.get(i - 1).key.compareTo(partition.get(i).key) >= 0) {
                            anomalies.add("IQv2 RangeQuery out of order: " + partition.get(i - 1).key + " then "
                                + partition.get(i).key);
                        }
                    }
                    all.addAll(partition);
                }
                checkEntries(all, from, to, "IQv2 RangeQuery");
            }));
            threads.forEach(Thread::start);
        }

        void stop() throws InterruptedException {
            stopped.set(true);
            for (Thread thread : threads) {
                thread.join(30_000);
                assertThat(thread.isAlive()).as("%s ends its last query within 30 s", thread.getName()).isFalse();
            }
        }

        private Thread reader(String name, Runnable query) {
            return new Thread(() -> {
                while (!stopped.get()) {
                    try {
                        query.run();
                    } catch (Throwable e) {
                        anomalies.add(name + " threw " + e);
                    }
                }
            }, name);
        }

        private void checkValue(String key, String value, String kind) {
            queriesByKind.get(kind).incrementAndGet();
            // null is a legal answer for a key that is absent; a value must be one written for this key.
            if (value != null && !value.startsWith(key + "#")) {
                anomalies.add(kind + " of " + key + " returned " + value);
            }
        }

        private void checkEntries(List<KeyValue<String, String>> entries, String from, String to, String kind) {
            queriesByKind.get(kind).incrementAndGet();
            entriesRead.addAndGet(entries.size());
            Set<String> seen = new HashSet<>();
            for (KeyValue<String, String> entry : entries) {
                if (entry.value == null) {
                    anomalies.add(kind + " returned a null value for " + entry.key);
                } else if (!entry.value.startsWith(entry.key + "#")) {
                    anomalies.add(kind + " returned " + entry.value + " for " + entry.key);
                }
                if (!seen.add(entry.key)) {
                    anomalies.add(kind + " returned " + entry.key + " twice");
                }
                if (from != null && (entry.key.compareTo(from) < 0 || entry.key.compareTo(to) > 0)) {
                    anomalies.add(kind + " [" + from + ", " + to + "] returned " + entry.key);
                }
            }
        }
    }

    private static Map<String, String> toMap(List<KeyValue<String, String>> entries) {
        Map<String, String> map = new HashMap<>();
        entries.forEach(entry -> map.put(entry.key, entry.value));
        return map;
    }

    private static String randomKey() {
        return key(ThreadLocalRandom.current().nextInt(KEY_SPACE));
    }

    private static String key(int number) {
        return String.format("key-%06d", number);
    }

    private static int keyNumber(String key) {
        return Integer.parseInt(key.substring("key-".length()));
    }

    private static String value(String key, long seq) {
        return key + "#" + seq;
    }

    private static long seqOf(String value) {
        return Long.parseLong(value.substring(value.indexOf('#') + 1));
    }
}
