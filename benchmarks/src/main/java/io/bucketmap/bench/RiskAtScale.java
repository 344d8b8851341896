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
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * End to end at scale (issue 22): the risk-event topology with the deadline-index eviction
 * ({@link EvictionVariant#DEADLINE_INDEX}) in a {@link TopologyTestDriver}, holding about {@code pending} pending events,
 * every store made by one contender (a hash-order contender's deadline index in the ordered bucket-map store, as
 * {@link EndToEndThroughput} does), changelogging on.
 *
 * <p>Input, generated as it is piped (nothing held in memory): event {@code i} at simulated time {@code i} ms; a fifth
 * of the events decided after a delay uniform in [0, 45 s]; the others time out. The timeout is set so that about
 * {@code pending} events wait: {@code (pending - 4,500) / 0.8} ms. The driver is filled until the first timeouts are
 * due (not timed, but reported), then {@code steady} more events are timed with their decisions, the punctuations
 * (every simulated second, each expiring about 800 events) and the draining of the output topics every 10,000 records.
 * Reported: events per second in the steady window, the longest punctuation (one {@code advanceWallClockTime} call,
 * timed), the used heap after a full collection at the end of the fill, the pending count then, and the outcomes
 * counted (every one must be DECIDED, TIMED_OUT or LATE, and no event may end twice: checked by counts).
 *
 * <p>Usage: {@code RiskAtScale <contender> <pending> <steady events> <results.csv>}; appends one row. Run one contender
 * per JVM, with a heap that holds the pending events (state it with the numbers).
 */
public final class RiskAtScale {
    static final String HEADER = "contender,pending,timeout_ms,fill_events,fill_seconds,heap_after_fill_bytes,"
            + "steady_events,steady_seconds,longest_punctuation_ms,punctuations,outcomes";
    private static final double DECIDED_SHARE = 0.2;
    private static final long MAX_DECISION_DELAY_MS = 45_000;
    private static final long PUNCTUATION_MILLIS = 1_000;
    private static final int DRAIN_EVERY = 10_000;
    private static final RiskTopics TOPICS = RiskTopics.defaults();

    private RiskAtScale() {
    }

    /** A decision waiting for its time. */
    private record PendingDecision(long time, long event) {
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: RiskAtScale <contender> <pending> <steady events> <results.csv>");
        }
        Contender contender = Contender.valueOf(args[0]);
        long pending = Long.parseLong(args[1]);
        long steady = Long.parseLong(args[2]);
        Path results = Path.of(args[3]);
        long timeoutMillis = Math.max(1, (long) ((pending - DECIDED_SHARE * MAX_DECISION_DELAY_MS / 2) / (1 - DECIDED_SHARE)));
        RiskTopologyConfig config = new RiskTopologyConfig(EvictionVariant.DEADLINE_INDEX,
                EndToEndThroughput.suppliers(contender), Duration.ofMillis(timeoutMillis),
                ExpiryClock.wallClock(), Duration.ofMillis(PUNCTUATION_MILLIS), TOPICS);

        Path stateDir = TempDirs.create("bucketmap-risk-scale-");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "risk-scale");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(RiskTopology.build(config), props, Instant.EPOCH)) {
            Feed feed = new Feed(driver);
            long fillStarted = System.nanoTime();
            feed.pipeUntil(timeoutMillis);
            long fillNanos = System.nanoTime() - fillStarted;
            long pendingNow = feed.pendingEvents();
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf(Locale.ROOT, "%s: filled %,d events in %.1f s, %,d pending, %,d MB heap after a full GC%n",
                    contender, timeoutMillis, fillNanos / 1e9, pendingNow, heap >> 20);
            feed.resetCounts();
            long started = System.nanoTime();
            feed.pipeUntil(timeoutMillis + steady);
            long steadyNanos = System.nanoTime() - started;
            String row = String.join(",", contender.name(), Long.toString(pendingNow), Long.toString(timeoutMillis),
                    Long.toString(timeoutMillis), String.format(Locale.ROOT, "%.1f", fillNanos / 1e9),
                    Long.toString(heap), Long.toString(steady), String.format(Locale.ROOT, "%.2f", steadyNanos / 1e9),
                    String.format(Locale.ROOT, "%.1f", feed.longestPunctuationNanos / 1e6),
                    Long.toString(feed.punctuations), Long.toString(feed.outcomes));
            CsvFile.append(results, HEADER, row);
            System.out.println(HEADER);
            System.out.println(row);
            System.out.printf(Locale.ROOT, "%s: %,.0f events/s at %,d pending, longest punctuation %.1f ms%n", contender,
                    steady / (steadyNanos / 1e9), pendingNow, feed.longestPunctuationNanos / 1e6);
        }
        TempDirs.deleteRecursively(stateDir);
    }

    /** Generates the input as it pipes it, advances the wall clock, drains and counts the outcomes. */
    private static final class Feed {
        private final TopologyTestDriver driver;
        private final TestInputTopic<byte[], byte[]> events;
        private final TestInputTopic<byte[], byte[]> decisions;
        private final SplittableRandom random = new SplittableRandom(42);
        private final PriorityQueue<PendingDecision> due = new PriorityQueue<>((a, b) -> Long.compare(a.time, b.time));
        private long nextEvent;
        private long clock;
        private long piped;
        private long eventsIn;
        private long ended;
        long outcomes;
        long punctuations;
        long longestPunctuationNanos;

        Feed(TopologyTestDriver driver) {
            this.driver = driver;
            ByteArraySerializer raw = new ByteArraySerializer();
            this.events = driver.createInputTopic(TOPICS.events(), raw, raw);
            this.decisions = driver.createInputTopic(TOPICS.decisions(), raw, raw);
        }

        /** Pipes the events before {@code endTime} and the decisions due before it, punctuating every second. */
        void pipeUntil(long endTime) {
            for (; nextEvent < endTime; nextEvent++) {
                long time = nextEvent;
                while (!due.isEmpty() && due.peek().time <= time) {
                    PendingDecision decision = due.poll();
                    advanceTo(decision.time);
                    decisions.pipeInput(key(decision.event), Json.write(new Decision(Verdict.APPROVE, decision.time)),
                            Instant.ofEpochMilli(decision.time));
                    piped();
                }
                advanceTo(time);
                RiskEvent event = new RiskEvent("acct-" + (time & 1023), new BigDecimal("10.00"), "CARD_PAYMENT", time);
                events.pipeInput(key(time), Json.write(event), Instant.ofEpochMilli(time));
                eventsIn++;
                piped();
                if (random.nextDouble() < DECIDED_SHARE) {
                    due.add(new PendingDecision(time + (long) (random.nextDouble() * MAX_DECISION_DELAY_MS), time));
                }
            }
            drain();
        }

        private void advanceTo(long time) {
            while (clock + PUNCTUATION_MILLIS <= time) {
                clock += PUNCTUATION_MILLIS;
                long started = System.nanoTime();
                driver.advanceWallClockTime(Duration.ofMillis(PUNCTUATION_MILLIS));
                longestPunctuationNanos = Math.max(longestPunctuationNanos, System.nanoTime() - started);
                punctuations++;
            }
        }

        private void piped() {
            if (++piped % DRAIN_EVERY == 0) {
                drain();
            }
        }

        private static byte[] key(long event) {
            return ("event-" + event).getBytes(StandardCharsets.UTF_8);
        }

        /** Empties every captured output topic, changelogs included, counting the outcomes that end an event. */
        private void drain() {
            ByteArrayDeserializer raw = new ByteArrayDeserializer();
            for (String topic : driver.producedTopicNames()) {
                List<byte[]> values = driver.createOutputTopic(topic, raw, raw).readValuesToList();
                if (topic.equals(TOPICS.outcomes())) {
                    for (byte[] value : values) {
                        OutcomeKind kind = Json.read(value, Outcome.class).kind();
                        outcomes++;
                        if (kind == OutcomeKind.DECIDED || kind == OutcomeKind.TIMED_OUT) {
                            ended++;
                        }
                    }
                }
            }
            if (ended > eventsIn) {
                throw new IllegalStateException(ended + " events ended, more than the " + eventsIn + " piped");
            }
        }

        /** Events piped and not ended yet, as counted from the outcomes (after a drain). */
        long pendingEvents() {
            return eventsIn - ended;
        }

        void resetCounts() {
            outcomes = 0;
            punctuations = 0;
            longestPunctuationNanos = 0;
        }
    }
}
