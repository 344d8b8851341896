package io.bucketmap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bucketmap.examples.risk.EvictionVariant;
import io.bucketmap.examples.risk.OutcomeKind;
import io.bucketmap.examples.risk.RiskTopics;
import io.bucketmap.examples.risk.RiskTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.processor.PunctuationType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed records, oversized values and null keys mixed into the risk example's input: each ends, unchanged,
 * on the dead-letter topic with a reason; every valid event and decision still gets its outcome; the
 * application never stops.
 */
class BadInputIT {

    private static final RiskTopics TOPICS = RiskApp.topics("bad-input");
    private static final int VALID_EVENTS = 2_000;
    private static final int OVERSIZED_BYTES = 900 * 1024;

    /** One broker for the class, started before its tests and stopped after them. */
    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    @Test
    @Timeout(120)
    void badRecordsEndOnTheDeadLetterTopicAndEveryValidEventStillGetsExactlyOneOutcome(@TempDir Path stateDir)
        throws Exception {
        cluster.createTopics(2, TOPICS.all().toArray(String[]::new));
        KafkaStreams streams = new KafkaStreams(RiskTopology.build(RiskApp.config(TOPICS, Duration.ofSeconds(1),
            PunctuationType.WALL_CLOCK_TIME)),
            RiskApp.properties(cluster.bootstrapServers(), StreamsApps.uniqueApplicationId("bad-input"), stateDir, 0));
        AtomicInteger threadFailures = new AtomicInteger();
        streams.setUncaughtExceptionHandler(exception -> {
            threadFailures.incrementAndGet();
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        List<ProducerRecord<byte[], byte[]>> bad = badRecords();
        List<String> validIds = new ArrayList<>();
        try {
            StreamsApps.startAndAwaitRunning(streams);
            try (KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
                long now = System.currentTimeMillis();
                int badSent = 0;
                for (int i = 0; i < VALID_EVENTS; i++) {
                    String id = "ok-" + i;
                    validIds.add(id);
                    producer.send(RiskRecords.event(TOPICS, id, now));
                    // Half get a decision; the other half time out after a second.
                    if (i % 2 == 0) {
                        producer.send(RiskRecords.decision(TOPICS, id, now + 1));
                    }
                    // Bad records in between valid ones, on both input topics and both partitions.
                    if (i % (VALID_EVENTS / bad.size()) == 0 && badSent < bad.size()) {
                        producer.send(bad.get(badSent++));
                    }
                }
                while (badSent < bad.size()) {
                    producer.send(bad.get(badSent++));
                }
                producer.flush();
            }

            await("every valid event has its outcome and every bad record its dead letter")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> cluster.readToEnd(TOPICS.deadLetters(), IsolationLevel.READ_COMMITTED).size() >= bad.size()
                    && RiskRecords.committedOutcomes(cluster, TOPICS).values().stream()
                        .mapToLong(RiskRecords::terminal).sum() >= VALID_EVENTS);

            assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(threadFailures).as("stream threads that died").hasValue(0);
            assertThat(new StoreQueries<Bytes, byte[]>(streams, EvictionVariant.PENDING_STORE).iqv1All())
                .as("pending events left after all decided or timed out").isEmpty();
        } finally {
            StreamsApps.closeLeavingGroup(streams);
        }

        List<ConsumerRecord<byte[], byte[]>> deadLetters =
            cluster.readToEnd(TOPICS.deadLetters(), IsolationLevel.READ_COMMITTED);
        assertThat(deadLetters.stream().map(BadInputIT::describe).sorted().toList())
            .as("dead letters: each bad record once, key and value unchanged")
            .isEqualTo(bad.stream().map(BadInputIT::describe).sorted().toList());
        assertThat(deadLetters).allSatisfy(letter -> {
            assertThat(header(letter, "dead-letter-reason")).isNotBlank();
            assertThat(header(letter, "dead-letter-source-topic")).isIn(TOPICS.events(), TOPICS.decisions());
        });

        Map<String, List<OutcomeKind>> outcomes = RiskRecords.committedOutcomes(cluster, TOPICS);
        assertThat(validIds).as("valid events with exactly one DECIDED or TIMED_OUT outcome")
            .allSatisfy(id -> assertThat(RiskRecords.terminal(outcomes.get(id))).as(id).isEqualTo(1));
        long decidedOrLate = outcomes.values().stream().flatMap(List::stream)
            .filter(kind -> kind == OutcomeKind.DECIDED || kind == OutcomeKind.LATE_DECISION).count();
        assertThat(decidedOrLate).as("valid decisions accounted for").isEqualTo(VALID_EVENTS / 2);
        assertThat(outcomes.keySet()).as("outcome ids").allSatisfy(id -> assertThat(id).startsWith("ok-"));
    }

    /**
     * Twelve kinds of bad input, three of each: broken, incomplete, over-complete and invalid JSON on both
     * topics, a tombstone, null, empty and non-UTF-8 keys, and values of 900 KiB (garbage, and JSON that is
     * mostly one huge field).
     */
    private static List<ProducerRecord<byte[], byte[]>> badRecords() {
        Random random = new Random(5);
        String events = TOPICS.events();
        String decisions = TOPICS.decisions();
        List<ProducerRecord<byte[], byte[]>> bad = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = "bad-" + i;
            byte[] garbage = new byte[OVERSIZED_BYTES];
            random.nextBytes(garbage);
            String hugeAccount = "{\"account\":\"" + "x".repeat(OVERSIZED_BYTES) + "\",\"amount\":1}";
            bad.addAll(List.of(
                record(events, id + "-broken", "{\"account\": \"acct-1\", "),
                record(events, id + "-no-time", "{\"account\":\"a\",\"amount\":1,\"type\":\"T\"}"),
                record(events, id + "-extra",
                    "{\"account\":\"a\",\"amount\":1,\"type\":\"T\",\"eventTime\":1,\"x\":2}"),
                record(events, id + "-negative", "{\"account\":\"a\",\"amount\":-1,\"type\":\"T\",\"eventTime\":1}"),
                record(decisions, id + "-verdict", "{\"verdict\":\"MAYBE\",\"decidedAt\":1}"),
                record(decisions, id + "-broken", "not json"),
                new ProducerRecord<>(events, null, RiskRecords.bytes(validEventJson())),
                new ProducerRecord<>(decisions, null, RiskRecords.bytes("{\"verdict\":\"APPROVE\",\"decidedAt\":1}")),
                new ProducerRecord<>(events, new byte[0], RiskRecords.bytes(validEventJson())),
                new ProducerRecord<>(events, new byte[] {(byte) 0xff, (byte) 0xfe, (byte) i},
                    RiskRecords.bytes(validEventJson())),
                new ProducerRecord<>(events, RiskRecords.bytes(id + "-tombstone"), null),
                i % 2 == 0
                    ? new ProducerRecord<>(events, RiskRecords.bytes(id + "-oversized"), garbage)
                    : record(events, id + "-oversized", hugeAccount)));
        }
        return bad;
    }

    private static String validEventJson() {
        return "{\"account\":\"a\",\"amount\":1,\"type\":\"T\",\"eventTime\":1}";
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, String value) {
        return new ProducerRecord<>(topic, RiskRecords.bytes(key), value.getBytes(StandardCharsets.UTF_8));
    }

    /** Topic, key and a digest of the value: what must come out of the dead-letter topic as it went in. */
    private static String describe(ProducerRecord<byte[], byte[]> record) {
        return describe(record.topic(), record.key(), record.value());
    }

    private static String describe(ConsumerRecord<byte[], byte[]> deadLetter) {
        return describe(header(deadLetter, "dead-letter-source-topic"), deadLetter.key(), deadLetter.value());
    }

    private static String describe(String topic, byte[] key, byte[] value) {
        return topic + " key=" + (key == null ? "null" : HexFormat.of().formatHex(key))
            + " value=" + (value == null ? "null" : value.length + "/" + Arrays.hashCode(value));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
