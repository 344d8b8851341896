package io.bucketmap.examples.risk;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketmap.store.BucketMapStores;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.function.Function;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * Events per second through the risk topology in {@link TopologyTestDriver}, the bucket-map store against
 * {@code Stores.inMemoryKeyValueStore}: same topology, same input, both eviction variants. Prints the numbers
 * and checks that every run produced one DECIDED or TIMED_OUT outcome per event; it asserts nothing about
 * speed (timings belong in the benchmarks module; these are indicative, single-threaded, with the driver's
 * overhead). Size: {@code -Dthroughput.events=N} (default 20,000).
 *
 * <p>Input: one event per simulated millisecond, 80% of them decided after a delay uniform in [0, 45 s], a 30 s
 * timeout (about 30,000 events pending at steady state, a third of the decisions late), wall-clock
 * punctuation every 100 simulated ms.
 */
class RiskTopologyThroughputTest {

    private static final int EVENTS = Integer.getInteger("throughput.events", 20_000);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long MAX_DECISION_DELAY_MS = 45_000;

    /** One input record: an event or a decision for {@code id} at simulated time {@code time}. */
    private record Input(boolean decision, String id, long time) {
    }

    @Test
    void printsEventsPerSecondForBothStoresAndBothVariants() {
        List<Input> input = input(EVENTS, new Random(42));
        List<Input> warmUp = input(Math.min(EVENTS, 10_000), new Random(7));
        List<String> report = new ArrayList<>();
        for (EvictionVariant variant : EvictionVariant.values()) {
            for (boolean bucketMap : new boolean[] {false, true}) {
                Function<String, KeyValueBytesStoreSupplier> suppliers =
                    bucketMap ? BucketMapStores::keyValueStore : Stores::inMemoryKeyValueStore;
                RiskTopologyConfig config = new RiskTopologyConfig(variant, suppliers, TIMEOUT,
                    ExpiryClock.wallClock(), Duration.ofMillis(100), RiskTopics.defaults());
                run(config, warmUp);
                long started = System.nanoTime();
                long terminal = run(config, input);
                double seconds = (System.nanoTime() - started) / 1e9;
                assertThat(terminal).isEqualTo(EVENTS);
                report.add(String.format(Locale.ROOT, "%-15s %-30s %,9.0f events/s (%,d events, %.2f s)",
                    variant, bucketMap ? "BucketMapStores.keyValueStore" : "Stores.inMemoryKeyValueStore",
                    EVENTS / seconds, EVENTS, seconds));
            }
        }
        System.out.println("risk topology throughput in TopologyTestDriver:");
        report.forEach(System.out::println);
    }

    /** Pipes the input, then advances past every deadline. @return the DECIDED plus TIMED_OUT outcomes */
    private static long run(RiskTopologyConfig config, List<Input> input) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "risk-throughput");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(RiskTopology.build(config), props, Instant.EPOCH)) {
            ByteArraySerializer raw = new ByteArraySerializer();
            TestInputTopic<byte[], byte[]> events = driver.createInputTopic("risk-events", raw, raw);
            TestInputTopic<byte[], byte[]> decisions = driver.createInputTopic("risk-decisions", raw, raw);
            long clock = 0;
            long terminal = 0;
            int piped = 0;
            for (Input record : input) {
                while (clock + 100 <= record.time()) {
                    clock += 100;
                    driver.advanceWallClockTime(Duration.ofMillis(100));
                }
                byte[] key = record.id().getBytes(StandardCharsets.UTF_8);
                Instant time = Instant.ofEpochMilli(record.time());
                if (record.decision()) {
                    decisions.pipeInput(key, Json.write(new Decision(Verdict.APPROVE, record.time())), time);
                } else {
                    RiskEvent event = new RiskEvent("acct-" + (record.id().hashCode() & 1023),
                        new BigDecimal("10.00"), "CARD_PAYMENT", record.time());
                    events.pipeInput(key, Json.write(event), time);
                }
                if (++piped % 10_000 == 0) {
                    terminal += drain(driver);
                }
            }
            driver.advanceWallClockTime(TIMEOUT.plusSeconds(1));
            return terminal + drain(driver);
        }
    }

    /** Empties every captured output topic, changelogs included, so memory stays flat. @return terminal outcomes */
    private static long drain(TopologyTestDriver driver) {
        long terminal = 0;
        ByteArrayDeserializer raw = new ByteArrayDeserializer();
        for (String topic : driver.producedTopicNames()) {
            List<byte[]> values = driver.createOutputTopic(topic, raw, raw).readValuesToList();
            if (topic.equals("risk-outcomes")) {
                terminal += values.stream().map(value -> Json.read(value, Outcome.class).kind())
                    .filter(kind -> kind == OutcomeKind.DECIDED || kind == OutcomeKind.TIMED_OUT).count();
            }
        }
        return terminal;
    }

    private static List<Input> input(int events, Random random) {
        List<Input> input = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            String id = "event-" + i;
            input.add(new Input(false, id, i));
            if (random.nextDouble() < 0.8) {
                input.add(new Input(true, id, i + (long) (random.nextDouble() * MAX_DECISION_DELAY_MS)));
            }
        }
        input.sort((a, b) -> Long.compare(a.time(), b.time()));
        return input;
    }
}
