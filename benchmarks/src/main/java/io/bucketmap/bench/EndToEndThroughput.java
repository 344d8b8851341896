package io.bucketmap.bench;

import io.bucketmap.examples.risk.Decision;
import io.bucketmap.examples.risk.EvictionVariant;
import io.bucketmap.examples.risk.ExpiryClock;
import io.bucketmap.examples.risk.Json;
import io.bucketmap.examples.risk.Outcome;
import io.bucketmap.examples.risk.OutcomeKind;
import io.bucketmap.examples.risk.RiskEvent;
import io.bucketmap.examples.risk.RiskTopics;
import io.bucketmap.examples.risk.RiskTopology;
import io.bucketmap.examples.risk.RiskTopologyConfig;
import io.bucketmap.examples.risk.Verdict;
import io.bucketmap.store.BucketMapStores;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;

/**
 * End to end, item 7 of issue 6: events per second through the risk-event topology ({@link RiskTopology}) in a
 * {@link TopologyTestDriver}, its stores made by one contender, changelogging on as in production.
 *
 * <p>Input: one event per simulated millisecond; 80% of them decided after a delay uniform in [0, 45 s]; a
 * {@value #TIMEOUT_SECONDS} s timeout, so about 30,000 events wait at any time and a third of the decisions come
 * late; wall-clock punctuation every {@value #PUNCTUATION_MILLIS} ms of simulated time (with
 * {@link EvictionVariant#STORE_SCAN}, a sweep over the ~30,000 pending events each time). Keys and JSON values are
 * serialized before timing. Timed: piping every record, the punctuations, the final expiry past the last deadline
 * and reading the captured output and changelog topics every 10,000 records (so memory stays flat); not timed:
 * building the driver and its stores, and parsing the outcomes afterwards to check that every event ended with
 * exactly one DECIDED or TIMED_OUT outcome. The JIT is warmed first on a smaller input, on a driver of its own.
 *
 * <p>{@link EvictionVariant#DEADLINE_INDEX} needs an ordered deadline index: a hash-order contender keeps its
 * pending store in hash order and the index in the ordered bucket-map store, as a user of that store would.
 *
 * <p>Usage: {@code EndToEndThroughput <contender> <variant> <events> <results.csv>}; appends one row. Run one
 * contender and variant per JVM.
 */
public final class EndToEndThroughput {
    static final String HEADER = "contender,variant,events,input_records,seconds";
    private static final int TIMEOUT_SECONDS = 30;
    private static final int PUNCTUATION_MILLIS = 1_000;
    private static final double DECIDED_SHARE = 0.8;
    private static final long MAX_DECISION_DELAY_MS = 45_000;
    private static final int WARMUP_EVENTS = 10_000;
    private static final int DRAIN_EVERY = 10_000;
    private static final RiskTopics TOPICS = RiskTopics.defaults();

    /** One input record, serialized: an event or a decision, piped at simulated time {@code time}. */
    private record Input(boolean decision, byte[] key, byte[] value, long time) {
    }

    /** What one run did: its timed nanoseconds and the outcome records it produced, unparsed. */
    private record Run(long nanos, List<byte[]> outcomes) {
    }

    private EndToEndThroughput() {
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            throw new IllegalArgumentException(
                    "usage: EndToEndThroughput <contender> <variant> <events> <results.csv>");
        }
        Contender contender = Contender.valueOf(args[0]);
        EvictionVariant variant = EvictionVariant.valueOf(args[1]);
        int events = Integer.parseInt(args[2]);
        Path results = Path.of(args[3]);
        RiskTopologyConfig config = new RiskTopologyConfig(variant, suppliers(contender),
                Duration.ofSeconds(TIMEOUT_SECONDS), ExpiryClock.wallClock(),
                Duration.ofMillis(PUNCTUATION_MILLIS), TOPICS);

        int warmUpEvents = Math.min(events, WARMUP_EVENTS);
        checkOneOutcomePerEvent(run(config, input(warmUpEvents, 7)), warmUpEvents, contender);
        List<Input> input = input(events, 42);
        System.gc();
        Run measured = run(config, input);
        checkOneOutcomePerEvent(measured, events, contender);

        double seconds = measured.nanos() / 1e9;
        String row = String.join(",", contender.name(), variant.name(), Integer.toString(events),
                Integer.toString(input.size()), String.format(Locale.ROOT, "%.3f", seconds));
        CsvFile.append(results, HEADER, row);
        System.out.println(HEADER);
        System.out.println(row);
        System.out.printf(Locale.ROOT, "%s %s: %,.0f events/s%n", contender, variant, events / seconds);
    }

    /**
     * The contender's store for every store of the topology, except that a hash-order contender's deadline index
     * is the ordered bucket-map store: the index is read by range, in deadline order.
     *
     * @throws IllegalArgumentException if the contender is not a Kafka Streams store
     */
    static Function<String, KeyValueBytesStoreSupplier> suppliers(Contender contender) {
        if (!contender.isKafkaStore()) {
            throw new IllegalArgumentException(contender + " is not a Kafka Streams store");
        }
        return name -> contender.isKeyOrdered() || name.equals(EvictionVariant.PENDING_STORE)
                ? contender.storeSupplier(name)
                : BucketMapStores.keyValueStore(name);
    }

    /** Events {@code event-0..event-(events-1)} and their decisions, in time order; the same for every contender. */
    private static List<Input> input(int events, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Input> input = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            byte[] key = ("event-" + i).getBytes(StandardCharsets.UTF_8);
            RiskEvent event = new RiskEvent("acct-" + (i & 1023), new BigDecimal("10.00"), "CARD_PAYMENT", i);
            input.add(new Input(false, key, Json.write(event), i));
            if (random.nextDouble() < DECIDED_SHARE) {
                long decidedAt = i + (long) (random.nextDouble() * MAX_DECISION_DELAY_MS);
                input.add(new Input(true, key, Json.write(new Decision(Verdict.APPROVE, decidedAt)), decidedAt));
            }
        }
        input.sort(Comparator.comparingLong(Input::time));
        return input;
    }

    private static Run run(RiskTopologyConfig config, List<Input> input) {
        Path stateDir = TempDirs.create("bucketmap-e2e-");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "risk-bench");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        List<byte[]> outcomes = new ArrayList<>();
        long nanos;
        try (TopologyTestDriver driver = new TopologyTestDriver(RiskTopology.build(config), props, Instant.EPOCH)) {
            ByteArraySerializer raw = new ByteArraySerializer();
            TestInputTopic<byte[], byte[]> events = driver.createInputTopic(TOPICS.events(), raw, raw);
            TestInputTopic<byte[], byte[]> decisions = driver.createInputTopic(TOPICS.decisions(), raw, raw);
            Duration interval = config.punctuationInterval();
            long started = System.nanoTime();
            long clock = 0;
            int piped = 0;
            for (Input record : input) {
                while (clock + interval.toMillis() <= record.time()) {
                    clock += interval.toMillis();
                    driver.advanceWallClockTime(interval);
                }
                (record.decision() ? decisions : events)
                        .pipeInput(record.key(), record.value(), Instant.ofEpochMilli(record.time()));
                if (++piped % DRAIN_EVERY == 0) {
                    drain(driver, outcomes);
                }
            }
            driver.advanceWallClockTime(config.timeout().plus(interval));
            drain(driver, outcomes);
            nanos = System.nanoTime() - started;
        }
        TempDirs.deleteRecursively(stateDir);
        return new Run(nanos, outcomes);
    }

    /** Empties every captured output topic, changelogs included, keeping the outcome records. */
    private static void drain(TopologyTestDriver driver, List<byte[]> outcomes) {
        ByteArrayDeserializer raw = new ByteArrayDeserializer();
        for (String topic : driver.producedTopicNames()) {
            List<byte[]> values = driver.createOutputTopic(topic, raw, raw).readValuesToList();
            if (topic.equals(TOPICS.outcomes())) {
                outcomes.addAll(values);
            }
        }
    }

    /**
     * @throws IllegalStateException unless the run ended each of the {@code events} events with exactly one DECIDED
     *                               or TIMED_OUT outcome
     */
    private static void checkOneOutcomePerEvent(Run run, int events, Contender contender) {
        Set<String> ended = new HashSet<>();
        long terminal = 0;
        for (byte[] value : run.outcomes()) {
            Outcome outcome = Json.read(value, Outcome.class);
            if (outcome.kind() == OutcomeKind.DECIDED || outcome.kind() == OutcomeKind.TIMED_OUT) {
                terminal++;
                ended.add(outcome.eventId());
            }
        }
        if (terminal != events || ended.size() != events) {
            throw new IllegalStateException(contender + ": " + terminal + " DECIDED or TIMED_OUT outcomes for "
                    + ended.size() + " distinct events, expected one for each of " + events);
        }
    }
}
