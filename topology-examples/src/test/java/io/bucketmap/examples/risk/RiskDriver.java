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
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The risk topology in a {@link TopologyTestDriver}, with helpers that speak in ids, events and decisions. Two clocks:
 * {@link #now()}, the timestamp the helpers stamp on the next records (event time), and the driver's wall clock.
 * {@link #advance} moves both, as on a machine that keeps up; {@link #advanceWallClock} moves only the wall clock, as
 * processing lag or idle input does.
 */
final class RiskDriver implements AutoCloseable {

    static final Instant START = Instant.ofEpochMilli(1_000_000);
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The default clock's wall-clock fallback here: longer than the timeout, so the two are told apart. */
    static final Duration IDLE_FALLBACK = Duration.ofSeconds(30);

    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> events;
    final TestInputTopic<byte[], byte[]> decisions;
    final TestOutputTopic<String, Outcome> outcomes;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    /** The timestamp of the next records; starts at START and moves only by advance. */
    private long recordTime = START.toEpochMilli();

    /** The default clock, event time with a wall-clock fallback after {@link #IDLE_FALLBACK}. */
    RiskDriver(EvictionVariant variant) {
        this(config(variant, BucketMapStores::keyValueStore, ExpiryClock.eventTime(IDLE_FALLBACK)));
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

    /** Expiry every millisecond of {@code clock}. */
    static RiskTopologyConfig config(EvictionVariant variant,
                                     Function<String, KeyValueBytesStoreSupplier> suppliers,
                                     ExpiryClock clock) {
        return config(variant, suppliers, clock, Duration.ofMillis(1));
    }

    static RiskTopologyConfig config(EvictionVariant variant,
                                     Function<String, KeyValueBytesStoreSupplier> suppliers,
                                     ExpiryClock clock, Duration punctuationInterval) {
        return new RiskTopologyConfig(variant, suppliers, TIMEOUT, clock, punctuationInterval,
            RiskTopics.defaults());
    }

    static RiskEvent event(long eventTime) {
        return new RiskEvent("acct-1", new BigDecimal("12.50"), "CARD_PAYMENT", eventTime);
    }

    /** Sends an event with event time = record time = {@link #now()}. */
    void sendEvent(String id) {
        sendEvent(id, now());
    }

    /** Sends an event with event time = record time = {@code eventTime}. */
    void sendEvent(String id, long eventTime) {
        events.pipeInput(new TestRecord<>(bytes(id), Json.write(event(eventTime)), Instant.ofEpochMilli(eventTime)));
    }

    /** Sends a decision stamped {@link #now()}. */
    void sendDecision(String id, Verdict verdict) {
        sendDecision(id, verdict, now());
    }

    /** Sends a decision stamped {@code time}. */
    void sendDecision(String id, Verdict verdict, long time) {
        decisions.pipeInput(new TestRecord<>(bytes(id), Json.write(new Decision(verdict, time)),
            Instant.ofEpochMilli(time)));
    }

    void sendRawEvent(byte[] key, byte[] value) {
        events.pipeInput(new TestRecord<>(key, value, Instant.ofEpochMilli(now())));
    }

    /** Sends a clock record stamped {@code time} to the events input, or to the decisions input. */
    void sendClock(boolean toEvents, long time) {
        TestRecord<byte[], byte[]> clock = new TestRecord<>(null, null, Instant.ofEpochMilli(time));
        clock.headers().add(RiskTopology.CLOCK_HEADER, new byte[0]);
        (toEvents ? events : decisions).pipeInput(clock);
    }

    void sendRawDecision(byte[] key, byte[] value) {
        decisions.pipeInput(new TestRecord<>(key, value, Instant.ofEpochMilli(now())));
    }

    /** Moves the next records' timestamp and the wall clock forward by {@code duration}. */
    void advance(Duration duration) {
        recordTime += duration.toMillis();
        driver.advanceWallClockTime(duration);
    }

    /** Moves only the wall clock; the next records keep their timestamp. One wall-clock punctuation at most. */
    void advanceWallClock(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    /**
     * The input stops: the wall clock runs on with no records until both inputs count as idle under the default clock,
     * so every buffered record is judged and every pending event stamped up to {@link #IDLE_FALLBACK} after the latest
     * record times out. The first step lets a wall-clock punctuation see the inputs' latest timestamps, the second
     * finds them standing still, the third is the standstill.
     */
    void goIdle() {
        advanceWallClock(Duration.ofMillis(1));
        advanceWallClock(Duration.ofMillis(1));
        advanceWallClock(IDLE_FALLBACK.plus(TIMEOUT));
    }

    /** The timestamp the helpers stamp on the next records. */
    long now() {
        return recordTime;
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
