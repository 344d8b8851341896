package io.bucketmap.examples.risk;

import io.bucketmap.store.BucketMapStores;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.test.TestRecord;

/** The risk topology in a {@link TopologyTestDriver}, with helpers that speak in ids, events and decisions. */
final class RiskDriver implements AutoCloseable {

    static final Instant START = Instant.ofEpochMilli(1_000_000);
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> events;
    final TestInputTopic<byte[], byte[]> decisions;
    final TestOutputTopic<String, Outcome> outcomes;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    /** The driver's wall-clock time, which it does not expose: it starts at START and moves only by advance. */
    private long wallClock = START.toEpochMilli();

    RiskDriver(EvictionVariant variant) {
        this(config(variant, BucketMapStores::keyValueStore, PunctuationType.WALL_CLOCK_TIME));
    }

    RiskDriver(RiskTopologyConfig config) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "risk-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        driver = new TopologyTestDriver(RiskTopology.build(config), props, START);
        RiskTopics topics = config.topics();
        ByteArraySerializer raw = new ByteArraySerializer();
        events = driver.createInputTopic(topics.events(), raw, raw, START, Duration.ZERO);
        decisions = driver.createInputTopic(topics.decisions(), raw, raw, START, Duration.ZERO);
        outcomes = driver.createOutputTopic(topics.outcomes(), new StringDeserializer(),
            Json.serde(Outcome.class).deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters(), new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    }

    static RiskTopologyConfig config(EvictionVariant variant,
                                     Function<String, KeyValueBytesStoreSupplier> suppliers,
                                     PunctuationType punctuationType) {
        return new RiskTopologyConfig(variant, suppliers, TIMEOUT, punctuationType, Duration.ofMillis(1),
            RiskTopics.defaults());
    }

    static RiskEvent event(long eventTime) {
        return new RiskEvent("acct-1", new BigDecimal("12.50"), "CARD_PAYMENT", eventTime);
    }

    /** Sends an event with event time = record time = the driver's current wall-clock time. */
    void sendEvent(String id) {
        sendEvent(id, now());
    }

    void sendEvent(String id, long eventTime) {
        events.pipeInput(new TestRecord<>(bytes(id), Json.write(event(eventTime)), Instant.ofEpochMilli(eventTime)));
    }

    void sendDecision(String id, Verdict verdict) {
        decisions.pipeInput(new TestRecord<>(bytes(id), Json.write(new Decision(verdict, now())),
            Instant.ofEpochMilli(now())));
    }

    void sendRawEvent(byte[] key, byte[] value) {
        events.pipeInput(new TestRecord<>(key, value, Instant.ofEpochMilli(now())));
    }

    void sendRawDecision(byte[] key, byte[] value) {
        decisions.pipeInput(new TestRecord<>(key, value, Instant.ofEpochMilli(now())));
    }

    void advance(Duration duration) {
        wallClock += duration.toMillis();
        driver.advanceWallClockTime(duration);
    }

    long now() {
        return wallClock;
    }

    List<Outcome> readOutcomes() {
        return outcomes.readValuesToList();
    }

    long pendingCount() {
        return driver.getKeyValueStore(EvictionVariant.PENDING_STORE).approximateNumEntries();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        driver.close();
    }
}
