package io.bucketmap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bucketmap.examples.risk.EvictionVariant;
import io.bucketmap.examples.risk.Json;
import io.bucketmap.examples.risk.Outcome;
import io.bucketmap.examples.risk.OutcomeKind;
import io.bucketmap.examples.risk.RiskTopics;
import io.bucketmap.examples.risk.RiskTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.PunctuationType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The risk application, in a child JVM, is killed while one punctuation expires tens of thousands of events:
 * some of their outcomes are already written to the outcome topic inside the open transaction. After a
 * restart, the store and the committed outcome topic agree: every expired event has exactly one outcome and
 * is gone from the store, every event not yet due is still in the store and has no outcome.
 */
class RestartDuringPunctuationIT {

    private static final String TOPIC_PREFIX = "punctuation";
    private static final Duration EVENT_TIMEOUT = Duration.ofHours(1);
    private static final PunctuationType EXPIRY_CLOCK = PunctuationType.STREAM_TIME;
    private static final int EXPIRING = 50_000;
    private static final int NOT_DUE = 1_000;
    private static final String CLOCK_EVENT = "clock";

    /** One broker for the class, started before its tests and stopped after them. */
    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    /**
     * With Kafka 4.4's {@code enable.transactional.statestores} off and on: on, a dirty close under exactly-once no
     * longer wipes the task's state directory, and Kafka's stores keep uncommitted writes in transaction buffers; the
     * in-memory bucket-map stores restore their whole changelog either way (read committed).
     */
    @ParameterizedTest(name = "transactional state stores: {0}")
    @ValueSource(booleans = {false, true})
    @Timeout(180)
    void afterACrashDuringAMassExpiryTheStoreAndTheOutcomeTopicAgreeNoneLostNoneTwice(
        boolean transactionalStores, @TempDir Path stateDir, @TempDir Path logs) throws Exception {
        String topicPrefix = TOPIC_PREFIX + (transactionalStores ? "-tx" : "");
        RiskTopics topics = RiskApp.topics(topicPrefix);
        // One partition: one task, so one punctuation expires every due event at once.
        cluster.createTopics(1, topics.all().toArray(String[]::new));
        String applicationId = StreamsApps.uniqueApplicationId("punctuation");
        // Stream-time expiry makes the mass expiry exact: every expiring event shares one event time, so
        // nothing expires until the clock record, sent once all of them are in the store, moves stream time
        // past their common deadline. Event times lie in the past; only their order matters.
        long eventTime = System.currentTimeMillis() - 3 * EVENT_TIMEOUT.toMillis();
        Set<String> expiring = new HashSet<>();
        try (ChildJvm victim = ChildJvm.start(RiskAppProcess.class, logs.resolve("victim.log"),
                cluster.bootstrapServers(), applicationId, stateDir.toString(), topicPrefix,
                Long.toString(EVENT_TIMEOUT.toMillis()), "0", EXPIRY_CLOCK.name(), Boolean.toString(transactionalStores));
             KafkaProducer<byte[], byte[]> producer = cluster.producer();
             KafkaConsumer<byte[], byte[]> uncommitted = uncommittedOutcomeReader(topics)) {
            for (int i = 0; i < EXPIRING; i++) {
                String id = "expiring-" + i;
                producer.send(RiskRecords.event(topics, id, eventTime));
                expiring.add(id);
            }
            // No decision comes in this test: a clock record on the decisions topic lets the events through.
            producer.send(RiskRecords.decisionsClock(topics, eventTime));
            producer.flush();
            victim.awaitOutputLine("STATE RUNNING", StreamsApps.STARTUP_LIMIT);
            await("all expiring events taken in (committed)").atMost(Duration.ofSeconds(90))
                .until(() -> cluster.consumedToEnd(applicationId, List.of(topics.events())));

            // An event one timeout and a second later: stream time passes the common deadline and the next
            // punctuation expires all of them. It and the events after it are not due and stay pending.
            producer.send(RiskRecords.event(topics, CLOCK_EVENT, eventTime + EVENT_TIMEOUT.toMillis() + 1_000));
            for (int i = 0; i < NOT_DUE; i++) {
                producer.send(RiskRecords.event(topics, "not-due-" + i, eventTime + 2 * EVENT_TIMEOUT.toMillis()));
            }
            producer.send(RiskRecords.decisionsClock(topics, eventTime + 2 * EVENT_TIMEOUT.toMillis()));
            producer.flush();

            // The punctuation's outcomes reach the topic batch by batch inside a transaction not yet committed:
            // a read_uncommitted reader sees the first ones while the punctuation still runs.
            await("the first timed-out outcome of the mass expiry").atMost(Duration.ofSeconds(60))
                .pollInSameThread().pollInterval(Duration.ofMillis(1))
                .until(() -> containsTimedOut(uncommitted.poll(Duration.ofMillis(20))));
            victim.kill();
        }
        long writtenBeforeCrash = timedOut(cluster.readToEnd(topics.outcomes(), IsolationLevel.READ_UNCOMMITTED));
        System.out.printf("timed-out outcomes written by the punctuation before the crash: %d of %d%n",
            writtenBeforeCrash, EXPIRING);
        assertThat(writtenBeforeCrash).as("outcomes written before the crash: the punctuation was not done")
            .isBetween(1L, EXPIRING - 1L);
        assertThat(timedOut(cluster.readToEnd(topics.outcomes(), IsolationLevel.READ_COMMITTED)))
            .as("outcomes committed before the crash").isZero();

        KafkaStreams restarted = new KafkaStreams(RiskTopology.build(RiskApp.config(topics, EVENT_TIMEOUT,
            EXPIRY_CLOCK)), RiskApp.properties(cluster.bootstrapServers(), applicationId, stateDir, 0,
            transactionalStores));
        try {
            StreamsApps.startAndAwaitRunning(restarted);
            // Input times are not stored: the restarted application learns again that no decision will come.
            try (KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
                producer.send(RiskRecords.decisionsClock(topics, eventTime + 2 * EVENT_TIMEOUT.toMillis()));
            }
            await("every expired event has a committed outcome").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> RiskRecords.committedOutcomes(cluster, topics).size() >= EXPIRING);
            await("every event taken in after the restart").atMost(Duration.ofSeconds(30))
                .until(() -> cluster.consumedToEnd(applicationId, List.of(topics.events())));
            Set<String> pending = new HashSet<>();
            new StoreQueries<Bytes, byte[]>(restarted, EvictionVariant.PENDING_STORE).iqv1All()
                .forEach(entry -> pending.add(new String(entry.key.get(), StandardCharsets.UTF_8)));
            Set<String> notDue = new HashSet<>(Set.of(CLOCK_EVENT));
            for (int i = 0; i < NOT_DUE; i++) {
                notDue.add("not-due-" + i);
            }
            assertThat(pending).as("pending store after the restart: exactly the events not yet due").isEqualTo(notDue);
        } finally {
            StreamsApps.closeLeavingGroup(restarted);
        }

        Map<String, List<OutcomeKind>> outcomes = RiskRecords.committedOutcomes(cluster, topics);
        long lost = expiring.stream().filter(id -> !outcomes.containsKey(id)).count();
        long duplicated = outcomes.values().stream().filter(kinds -> kinds.size() > 1).count();
        System.out.printf("transactional_state_stores=%s lost=%d duplicated=%d%n", transactionalStores, lost,
            duplicated);
        assertThat(outcomes.keySet()).as("events with committed outcomes").isEqualTo(expiring);
        assertThat(outcomes.values()).as("outcomes per expired event")
            .allSatisfy(kinds -> assertThat(kinds).containsExactly(OutcomeKind.TIMED_OUT));
    }

    private static KafkaConsumer<byte[], byte[]> uncommittedOutcomeReader(RiskTopics topics) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_UNCOMMITTED.toString(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
            new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = List.of(new TopicPartition(topics.outcomes(), 0));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static boolean containsTimedOut(Iterable<ConsumerRecord<byte[], byte[]>> records) {
        List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>();
        records.forEach(list::add);
        return timedOut(list) > 0;
    }

    private static long timedOut(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream()
            .filter(record -> Json.read(record.value(), Outcome.class).kind() == OutcomeKind.TIMED_OUT).count();
    }
}
