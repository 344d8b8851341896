package io.bucketmap.it;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
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
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A DSL count with a time to live on a real broker under {@code exactly_once_v2}, for each way to turn it on
 * ({@link TtlApp.Kind}): the state equals a model of the live keys after a clean restart (a restore from the
 * changelog, or a persistent store's local copy) and after a crash (SIGKILL of a child JVM that was processing); no
 * expired key reappears in interactive queries; and the changelog does not keep expired keys: every one the store
 * removed has a tombstone as its last record, so compaction drops it, and once the input has moved a time to live
 * past them, compaction keeps exactly the live keys.
 *
 * <p>Record times start an hour before the test (the input topic keeps a week) and move 60 s per time to live, so
 * three phases cover several times to live in seconds of wall-clock time.
 */
class TtlIT {
    private static final long TTL = TtlApp.TTL.toMillis();
    /** An entry leaves at most this long after its deadline: one slot of the store's expiry index. */
    private static final long SLOT = TTL / 16;
    private static final int KEYS = 2_000;

    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    @ParameterizedTest
    @EnumSource(TtlApp.Kind.class)
    @Timeout(600)
    void nothingExpiredComesBackAfterARestartOrACrashAndTheChangelogForgetsIt(
            TtlApp.Kind kind, @TempDir Path stateDir, @TempDir Path logs) throws Exception {
        String input = "ttl-input-" + kind.name().toLowerCase().replace('_', '-');
        cluster.createTopics(1, input);
        String applicationId = StreamsApps.uniqueApplicationId("ttl-" + kind.name().toLowerCase());
        String changelog = applicationId + "-" + TtlApp.STORE + "-changelog";
        long start = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        CountModel model = new CountModel();

        // phase 1: a key every 100 ms of record time for 200 s, two events each; late events expired on arrival
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
            for (int i = 0; i < KEYS; i++) {
                send(producer, input, model, "k-" + i, start + i * 100L);
                send(producer, input, model, "k-" + i, start + i * 100L);
            }
            for (int i = 0; i < 50; i++) {
                send(producer, input, model, "late-" + i, start);
            }
            for (int i = 0; i < 200; i++) {
                send(producer, input, model, "tick-" + i, start + KEYS * 100L + i);
            }
        }
        runToEndAndClose(kind, input, applicationId, stateDir, model);
        Map<String, Long> afterPhaseOne = compacted(changelog);
        assertThat(afterPhaseOne).as("the changelog keeps every live key with its count")
                .containsAllEntriesOf(model.live());
        assertThat(afterPhaseOne.keySet()).as("and no key removed long enough ago: their last record is a tombstone")
                .noneMatch(key -> model.expiredBefore(key, model.streamTime() - SLOT));

        restartAndCheck(kind, input, applicationId, stateDir, model, "clean restart");

        // phase 2, in a child JVM killed once it committed: half the keys written again, new ones a ttl later
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
            for (int i = KEYS * 3 / 4; i < KEYS; i++) {
                send(producer, input, model, "k-" + i, start + 250_000);
            }
            for (int i = 0; i < 1_000; i++) {
                send(producer, input, model, "m-" + i, start + 260_000 + i * 10L);
            }
        }
        try (ChildJvm child = ChildJvm.start(TtlApp.class, logs.resolve("child.log"), cluster.bootstrapServers(),
                applicationId, stateDir.toString(), input, kind.name())) {
            child.awaitOutputLine("STATE RUNNING", StreamsApps.STARTUP_LIMIT);
            await("phase 2 processed and committed by the child").atMost(Duration.ofSeconds(120))
                    .until(() -> cluster.consumedToEnd(applicationId, List.of(input)));
            child.kill();
        }

        // phase 3, after the crash: the input moves a ttl and two slots past everything written before
        KafkaStreams streams = new KafkaStreams(TtlApp.topology(input, kind),
                TtlApp.properties(cluster.bootstrapServers(), applicationId, stateDir, kind));
        try {
            StreamsApps.startAndAwaitRunning(streams);
            checkQueries(streams, model, "after the crash");
            try (KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
                for (int i = 0; i < 3_000; i++) {
                    send(producer, input, model, "n-" + i, start + 270_000 + TTL + 2 * SLOT + i);
                }
            }
            await("phase 3 processed and committed").atMost(Duration.ofSeconds(120))
                    .until(() -> cluster.consumedToEnd(applicationId, List.of(input)));
            checkQueries(streams, model, "after phase 3");
        } finally {
            StreamsApps.closeLeavingGroup(streams);
        }
        assertThat(compacted(changelog)).as("what compaction keeps of the changelog: exactly the live keys")
                .isEqualTo(model.live());
    }

    /** Runs an instance until the input is processed and committed, checks its queries, shuts it down cleanly. */
    private static void runToEndAndClose(TtlApp.Kind kind, String input, String applicationId, Path stateDir,
                                         CountModel model) {
        KafkaStreams streams = new KafkaStreams(TtlApp.topology(input, kind),
                TtlApp.properties(cluster.bootstrapServers(), applicationId, stateDir, kind));
        try {
            StreamsApps.startAndAwaitRunning(streams);
            await("input processed and committed").atMost(Duration.ofSeconds(120))
                    .until(() -> cluster.consumedToEnd(applicationId, List.of(input)));
            checkQueries(streams, model, "while running");
        } finally {
            StreamsApps.closeLeavingGroup(streams);
        }
    }

    private static void restartAndCheck(TtlApp.Kind kind, String input, String applicationId, Path stateDir,
                                        CountModel model, String when) {
        KafkaStreams streams = new KafkaStreams(TtlApp.topology(input, kind),
                TtlApp.properties(cluster.bootstrapServers(), applicationId, stateDir, kind));
        try {
            StreamsApps.startAndAwaitRunning(streams);
            checkQueries(streams, model, when);
        } finally {
            StreamsApps.closeLeavingGroup(streams);
        }
    }

    /** IQv1 and IQv2: the store shows exactly the model's live keys with their counts, no expired key. */
    private static void checkQueries(KafkaStreams streams, CountModel model, String when) {
        StoreQueries<String, Long> queries = new StoreQueries<>(streams, TtlApp.STORE);
        Map<String, Long> all = new TreeMap<>();
        for (KeyValue<String, Long> entry : queries.iqv1All()) {
            assertThat(all.put(entry.key, entry.value)).as("%s: key %s returned twice", when, entry.key).isNull();
        }
        assertThat(all).as("%s: IQv1 all()", when).isEqualTo(model.live());
        Map<String, Long> live = model.live();
        for (String key : model.sample()) {
            assertThat(queries.iqv2Get(key)).as("%s: IQv2 get %s", when, key).isEqualTo(live.get(key));
        }
    }

    /** The changelog as compaction leaves it: each key's last committed record, tombstoned keys dropped. */
    private static Map<String, Long> compacted(String changelog) {
        Map<String, Long> last = new HashMap<>();
        LongDeserializer values = new LongDeserializer();
        for (ConsumerRecord<byte[], byte[]> record : cluster.readToEnd(changelog, IsolationLevel.READ_COMMITTED)) {
            String key = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() == null) {
                last.remove(key);
            } else {
                last.put(key, values.deserialize(changelog, record.value()));
            }
        }
        return last;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, CountModel model, String key,
                             long timestamp) {
        producer.send(new ProducerRecord<>(topic, null, timestamp, key.getBytes(StandardCharsets.UTF_8),
                "e".getBytes(StandardCharsets.UTF_8)));
        model.event(key, timestamp);
    }

    /**
     * What the count shows: per key, its count and the timestamp of its aggregate (the largest of its events since it
     * last started afresh), and the stream time (the largest timestamp so far). An event reads its key at the time of
     * the event (the task's stream time): a key whose aggregate is a ttl old starts afresh at 1; an aggregate whose
     * timestamp is a ttl behind stream time is expired, and absent.
     */
    private static final class CountModel {
        private final Map<String, long[]> counts = new HashMap<>();
        private final Map<String, Long> lastAggregateTime = new HashMap<>();
        private long streamTime = Long.MIN_VALUE;

        void event(String key, long timestamp) {
            long now = Math.max(streamTime, timestamp);
            long[] current = counts.get(key);
            boolean alive = current != null && current[1] + TTL > now;
            long[] next = alive ? new long[]{current[0] + 1, Math.max(current[1], timestamp)}
                    : new long[]{1, timestamp};
            streamTime = Math.max(streamTime, next[1]);
            lastAggregateTime.put(key, next[1]);
            if (next[1] + TTL <= streamTime) {
                counts.remove(key);
            } else {
                counts.put(key, next);
            }
        }

        long streamTime() {
            return streamTime;
        }

        /** The keys alive at the stream time, with their counts. */
        Map<String, Long> live() {
            Map<String, Long> live = new TreeMap<>();
            counts.forEach((key, count) -> {
                if (count[1] + TTL > streamTime) {
                    live.put(key, count[0]);
                }
            });
            return live;
        }

        /** Whether {@code key}'s last aggregate expired at or before {@code time}. */
        boolean expiredBefore(String key, long time) {
            Long aggregateTime = lastAggregateTime.get(key);
            return aggregateTime != null && aggregateTime + TTL <= time;
        }

        /** Every tenth key ever written, for point queries. */
        List<String> sample() {
            List<String> keys = lastAggregateTime.keySet().stream().sorted().toList();
            return IntStream.range(0, keys.size()).filter(i -> i % 10 == 0).mapToObj(keys::get)
                    .toList();
        }
    }
}
