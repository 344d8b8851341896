package io.bucketmap.it;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a restart costs with each kind of store, on a real broker under {@code exactly_once_v2}: time from
 * {@code start()} to RUNNING and changelog records restored, after a clean shutdown and after a crash (SIGKILL of a
 * child JVM that was processing). The store holds {@code restart.keys} keys (500,000 unless the system property
 * says otherwise) with 100-byte values; each test prints its numbers as a {@code RESTART} line, with the time until
 * an {@code all()} iterator opens: the persistent bucket map reaches RUNNING while it still loads its copy in the
 * background, and its iterators wait for that load.
 *
 * <p>The claims checked: the in-memory store replays its whole changelog every time; the persistent bucket-map
 * store replays nothing after a clean shutdown and, after a crash, only what was committed since its copy was last
 * written (here: since the clean shutdown), and its state is exactly the committed input, both through point reads
 * right after RUNNING (answered from the copy for keys not loaded yet) and through a full scan; Kafka's RocksDB store
 * replays nothing after a clean shutdown but wipes and replays everything after a crash once its memtables reached
 * disk while it ran (it writes uncommitted data and cannot tell it from committed data; {@link KeyValueApp} makes its
 * memtables small so this short test flushes them as a long-running application does). Times are printed, not
 * asserted: they depend on the machine; a crashed instance's group membership also has to time out first.
 */
class PersistentRestartIT {
    private static final int KEYS = Integer.getInteger("restart.keys", 500_000);
    /** {@code -Drestart.transactional=true} runs every instance with Kafka 4.4's {@code enable.transactional.statestores}. */
    private static final boolean TRANSACTIONAL = Boolean.getBoolean("restart.transactional");
    private static final int TAIL_UPDATES = 20_000;
    private static final int TAIL_DELETES = 1_000;
    /** Every this-many-th key is read right after RUNNING: 1,000 point reads. */
    private static final int SAMPLE_STRIDE = Math.max(1, KEYS / 1_000);

    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    @ParameterizedTest
    @EnumSource(KeyValueApp.Kind.class)
    @Timeout(600)
    void restartAfterACleanShutdownAndAfterACrash(KeyValueApp.Kind kind, @TempDir Path stateDir, @TempDir Path logs)
        throws Exception {
        String input = "restart-input-" + kind.name().toLowerCase().replace('_', '-');
        cluster.createTopics(1, input);
        String applicationId = StreamsApps.uniqueApplicationId("restart-" + kind.name().toLowerCase());
        Map<String, String> model = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
            for (int i = 0; i < KEYS; i++) {
                send(producer, input, model, key(i), value("first", i));
            }
        }
        runToEndAndClose(kind, input, applicationId, stateDir);

        Restart clean = restart(kind, input, applicationId, stateDir, model);
        print(kind, "clean shutdown", clean);

        try (KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
            for (int i = 0; i < TAIL_UPDATES; i++) {
                send(producer, input, model, key(i * 7 % KEYS), value("tail", i));
            }
            for (int i = 0; i < TAIL_DELETES; i++) {
                send(producer, input, model, key(i * 13 % KEYS + 1), null);
            }
        }
        try (ChildJvm child = ChildJvm.start(KeyValueApp.class, logs.resolve("child.log"),
            cluster.bootstrapServers(), applicationId, stateDir.toString(), input, kind.name(),
            Boolean.toString(TRANSACTIONAL))) {
            child.awaitOutputLine("STATE RUNNING", StreamsApps.STARTUP_LIMIT);
            await("tail processed and committed by the child").atMost(Duration.ofSeconds(120))
                .until(() -> cluster.consumedToEnd(applicationId, List.of(input)));
            child.kill();
        }

        Restart crash = restart(kind, input, applicationId, stateDir, model);
        print(kind, "crash", crash);

        switch (kind) {
            case BUCKETMAP_IN_MEMORY -> {
                assertThat(clean.restored).as("in-memory: whole changelog after a clean shutdown").isGreaterThanOrEqualTo(KEYS);
                assertThat(crash.restored).as("in-memory: whole changelog after a crash").isGreaterThanOrEqualTo(KEYS);
            }
            case BUCKETMAP_PERSISTENT -> {
                assertThat(clean.restored).as("persistent: nothing to replay after a clean shutdown").isZero();
                // transactional: the copy follows each commit, so little or none of the tail is replayed
                assertThat(crash.restored).as("persistent: only the tail committed since the copy was written")
                    .isGreaterThanOrEqualTo(TRANSACTIONAL ? 0 : TAIL_UPDATES)
                    .isLessThan(2L * (TAIL_UPDATES + TAIL_DELETES));
            }
            case KAFKA_ROCKSDB -> {
                assertThat(clean.restored).as("RocksDB: nothing to replay after a clean shutdown").isZero();
                if (TRANSACTIONAL) {
                    assertThat(crash.restored).as("RocksDB, transactional: not wiped, only the uncommitted tail replayed")
                        .isLessThan(KEYS);
                } else {
                    assertThat(crash.restored).as("RocksDB: wiped and replayed whole after a crash under EOS")
                        .isGreaterThanOrEqualTo(KEYS);
                }
            }
        }
    }

    /** Runs an instance until the input is processed and committed, then shuts it down cleanly. */
    private static void runToEndAndClose(KeyValueApp.Kind kind, String input, String applicationId, Path stateDir) {
        KafkaStreams streams = new KafkaStreams(KeyValueApp.topology(input, kind),
            KeyValueApp.properties(cluster.bootstrapServers(), applicationId, stateDir, TRANSACTIONAL));
        try {
            StreamsApps.startAndAwaitRunning(streams);
            await("input processed and committed").atMost(Duration.ofSeconds(300))
                .until(() -> cluster.consumedToEnd(applicationId, List.of(input)));
        } finally {
            StreamsApps.closeLeavingGroup(streams);
        }
    }

    /**
     * Starts a new instance on the same state directory, times it to RUNNING, checks a sample of keys at once and
     * then that its store equals {@code model} (every key, through IQ), and shuts it down cleanly.
     */
    private static Restart restart(KeyValueApp.Kind kind, String input, String applicationId, Path stateDir,
                                   Map<String, String> model) {
        KafkaStreams streams = new KafkaStreams(KeyValueApp.topology(input, kind),
            KeyValueApp.properties(cluster.bootstrapServers(), applicationId, stateDir, TRANSACTIONAL));
        StateUpdateCounter updates = new StateUpdateCounter().listenTo(streams);
        AtomicLong runningAt = new AtomicLong();
        streams.setStateListener((newState, oldState) -> {
            if (newState == KafkaStreams.State.RUNNING) {
                runningAt.compareAndSet(0, System.nanoTime());
            }
        });
        try {
            long started = System.nanoTime();
            StreamsApps.startAndAwaitRunning(streams);
            await("every changelog partition restored").atMost(Duration.ofSeconds(60))
                .until(() -> updates.restoreEnded.size() == 1 || updates.restored.get() == 0);
            Duration toRunning = Duration.ofNanos(runningAt.get() - started);
            ReadOnlyKeyValueStore<String, String> store =
                new StoreQueries<String, String>(streams, KeyValueApp.STORE).iqv1();
            for (int i = 0; i < KEYS; i += SAMPLE_STRIDE) {
                assertThat(store.get(key(i))).as("get %s right after RUNNING", key(i)).isEqualTo(model.get(key(i)));
            }
            Map<String, String> stored = new HashMap<>();
            Duration toIterable;
            try (KeyValueIterator<String, String> all = store.all()) {
                all.hasNext();
                toIterable = Duration.ofNanos(System.nanoTime() - started);
                all.forEachRemaining(entry -> assertThat(stored.put(entry.key, entry.value))
                    .as("key %s returned twice", entry.key).isNull());
            }
            assertThat(stored).as("store after restart equals the committed input").isEqualTo(model);
            return new Restart(toRunning, toIterable, updates.restored.get());
        } finally {
            StreamsApps.closeLeavingGroup(streams);
        }
    }

    /** Times from {@code start()}: to RUNNING, and until an {@code all()} iterator opened (after the sample). */
    private record Restart(Duration toRunning, Duration toIterable, long restored) {
    }

    private static void print(KeyValueApp.Kind kind, String after, Restart restart) {
        System.out.printf("RESTART store=%s transactional=" + TRANSACTIONAL
                + " after=%s keys=%d to_running_ms=%d to_iterable_ms=%d restored_records=%d%n",
            kind, after.replace(' ', '_'), KEYS, restart.toRunning.toMillis(), restart.toIterable.toMillis(),
            restart.restored);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, Map<String, String> model,
                             String key, String value) {
        producer.send(new ProducerRecord<>(topic, bytes(key), value == null ? null : bytes(value)));
        if (value == null) {
            model.remove(key);
        } else {
            model.put(key, value);
        }
    }

    private static String key(int i) {
        return String.format("key-%07d", i);
    }

    /** 100 characters: a prefix and the number, padded. */
    private static String value(String prefix, int i) {
        String head = prefix + "-" + i + "-";
        return head + "x".repeat(100 - head.length());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
