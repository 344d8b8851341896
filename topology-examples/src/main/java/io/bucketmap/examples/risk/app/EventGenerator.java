package io.bucketmap.examples.risk.app;

import io.bucketmap.examples.risk.Decision;
import io.bucketmap.examples.risk.Json;
import io.bucketmap.examples.risk.RiskEvent;
import io.bucketmap.examples.risk.RiskTopics;
import io.bucketmap.examples.risk.RiskTopology;
import io.bucketmap.examples.risk.Verdict;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces the example's input at a steady rate: events, a decision for a configured share of them after a
 * random delay, and, spread evenly over the run, a few malformed records and a few events sent twice while
 * pending (those get no decision, so the copy always arrives while the first is still pending).
 * Every acknowledged send is written to the {@link GeneratorLedger}.
 *
 * <p>Time is the schedule's, not the sender's: event {@code n} is stamped {@code start + n / rate} and its decision
 * {@code eventTime + delay}, in the record timestamp and in the payload, however late this thread gets to send them.
 * Whether an event is meant to be decided is fixed when its decision is drawn: its delay is below the timeout.
 *
 * <p>Records reach the broker in timestamp order across both topics, give or take one tick, as from a risk engine
 * that answers an event only after reading it: they are sent in timestamp order, a decision only once its event is
 * acknowledged, and each tick ends with a flush. Without that, a burst after a stall of this thread can leave the
 * producer's queues holding events behind decisions already on the broker: a produce request takes one batch per
 * partition, and a batch holds more decisions than events.
 *
 * <p>Clock records ({@link RiskTopology#CLOCK_HEADER}) go to every partition of both topics each second of schedule
 * time and once at the end, a timeout after the last record: they tell the application's event-time clock that an
 * input has nothing earlier to send, so the last events time out at once instead of after the idle fallback.
 *
 * <p>Drive it from one thread: {@link #tick} as often as convenient (it sends what is due and waits for the
 * acknowledgements) until {@link #done}. Memory: one ledger entry per event and one queue entry per decision not yet sent.
 */
final class EventGenerator implements AutoCloseable {

    private static final String[] TYPES = {"CARD_PAYMENT", "TRANSFER", "WITHDRAWAL"};
    private static final Verdict[] VERDICTS = Verdict.values();
    private static final long CLOCK_EVERY_MILLIS = 1_000;

    private final ExampleOptions options;
    private final RiskTopics topics;
    private final String idPrefix;
    private final GeneratorLedger ledger;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Random random = new Random();
    private final PriorityQueue<ScheduledDecision> decisionsDue = new PriorityQueue<>();
    private final long totalEvents;
    private long eventsSent;
    private long decisionsSent;
    /** Events before this sequence number are acknowledged (flushed); their decisions may be sent. */
    private long eventsFlushed;
    private long malformedSent;
    private long startMillis = -1;
    private long nextClock;
    private long lastTimestamp;
    private boolean endSent;

    /**
     * A decision to send at {@code dueMillis} for event number {@code seq}; {@code inTime} if that is before its
     * event's deadline.
     */
    private record ScheduledDecision(long dueMillis, long seq, String id, boolean inTime)
        implements Comparable<ScheduledDecision> {
        @Override
        public int compareTo(ScheduledDecision other) {
            return Long.compare(dueMillis, other.dueMillis);
        }
    }

    EventGenerator(ExampleOptions options, RiskTopics topics, String bootstrapServers, String idPrefix,
                   GeneratorLedger ledger) {
        this.options = options;
        this.topics = topics;
        this.idPrefix = idPrefix;
        this.ledger = ledger;
        this.totalEvents = totalEvents(options);
        this.producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
            ProducerConfig.LINGER_MS_CONFIG, 5),
            new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * The share of events the options ask to be decided: those not sent twice, times the decision ratio, times the
     * chance that a delay drawn uniformly from {@code [0, max delay]} whole milliseconds is below the timeout.
     */
    static double plannedDecidedShare(ExampleOptions options) {
        long events = totalEvents(options);
        double notDuplicated = 1 - (double) marks(events, options.duplicates()) / events;
        double inTime = Math.min(1.0,
            (double) options.timeout().toMillis() / (options.maxDecisionDelay().toMillis() + 1));
        return notDuplicated * options.decisionRatio() * inTime;
    }

    private static long totalEvents(ExampleOptions options) {
        return (long) options.eventsPerSecond() * options.duration().toSeconds();
    }

    /**
     * Sends every event and decision due by now, in timestamp order, and waits until they are acknowledged. Cost
     * O(records sent), one flush, and one more per decision whose event was sent in this tick.
     */
    void tick() {
        long now = System.currentTimeMillis();
        if (startMillis < 0) {
            startMillis = now;
            nextClock = now;
        }
        while (true) {
            long nextEvent = eventsSent < totalEvents ? eventTime(eventsSent) : Long.MAX_VALUE;
            ScheduledDecision decision = decisionsDue.peek();
            long nextDecision = decision == null ? Long.MAX_VALUE : decision.dueMillis();
            long nextRecord = Math.min(nextEvent, nextDecision);
            if (nextRecord == Long.MAX_VALUE) {
                sendEnd(now);
                break;
            }
            if (Math.min(nextClock, nextRecord) > now) {
                break;
            }
            if (nextClock <= nextRecord) {
                sendClock(nextClock);
                nextClock += CLOCK_EVERY_MILLIS;
            } else if (nextEvent <= nextDecision) {
                sendEvent(eventsSent++, nextEvent);
            } else {
                if (decision.seq() >= eventsFlushed) {
                    flush();
                }
                sendDecision(decisionsDue.poll());
            }
        }
        flush();
    }

    /** Once every event and decision is sent: a clock record a timeout after the last, when it is due. */
    private void sendEnd(long now) {
        long end = lastTimestamp + options.timeout().toMillis();
        if (!endSent && end <= now) {
            sendClock(end);
            endSent = true;
        }
    }

    /** A clock record stamped {@code timestamp} to every partition of both topics. */
    private void sendClock(long timestamp) {
        for (String topic : topics.inputs()) {
            for (int partition = 0; partition < options.partitions(); partition++) {
                ProducerRecord<byte[], byte[]> clock = new ProducerRecord<>(topic, partition, timestamp, (byte[]) null,
                    (byte[]) null, List.of(new RecordHeader(RiskTopology.CLOCK_HEADER, new byte[0])));
                producer.send(clock, (metadata, exception) -> {
                    if (exception != null) {
                        ledger.sendFailures.incrementAndGet();
                    }
                });
            }
        }
    }

    /** True once every event and decision, and the clock record after them, has been sent. */
    boolean done() {
        return endSent;
    }

    /** Waits until every send so far is acknowledged or failed. */
    private void flush() {
        producer.flush();
        eventsFlushed = eventsSent;
    }

    long eventsSent() {
        return eventsSent;
    }

    /** Events and decisions sent so far: grows while the generator makes progress. */
    long recordsSent() {
        return eventsSent + decisionsSent;
    }

    private long eventTime(long seq) {
        return startMillis + seq * 1_000 / options.eventsPerSecond();
    }

    private void sendEvent(long seq, long eventTime) {
        String id = idPrefix + seq;
        RiskEvent event = new RiskEvent("acct-" + random.nextInt(1_000),
            BigDecimal.valueOf(random.nextInt(100_000), 2).setScale(2, RoundingMode.UNNECESSARY),
            TYPES[random.nextInt(TYPES.length)], eventTime);
        byte[] value = Json.write(event);
        send(topics.events(), id, value, eventTime, () -> ledger.eventIds.add(id));
        if (isEvery(seq, options.duplicates(), 0)) {
            send(topics.events(), id, value, eventTime, ledger.duplicates::incrementAndGet);
        } else if (random.nextDouble() < options.decisionRatio()) {
            long delay = (long) (random.nextDouble() * (options.maxDecisionDelay().toMillis() + 1));
            decisionsDue.add(new ScheduledDecision(eventTime + delay, seq, id, delay < options.timeout().toMillis()));
        }
        if (isEvery(seq, options.malformed(), 1)) {
            sendMalformed(seq, eventTime);
        }
    }

    private void sendDecision(ScheduledDecision scheduled) {
        decisionsSent++;
        Decision decision = new Decision(VERDICTS[random.nextInt(VERDICTS.length)], scheduled.dueMillis());
        send(topics.decisions(), scheduled.id(), Json.write(decision), scheduled.dueMillis(), () -> {
            ledger.decisions.incrementAndGet();
            if (scheduled.inTime()) {
                ledger.inTimeDecisionIds.add(scheduled.id());
            }
        });
    }

    /** Three kinds in turn: broken JSON, an event without its event time, a decision with an unknown verdict. */
    private void sendMalformed(long seq, long time) {
        String id = idPrefix + "malformed-" + seq;
        switch ((int) (malformedSent++ % 3)) {
            case 0 -> send(topics.events(), id, bytes("{\"account\": \"acct-1\", "), time,
                ledger.malformed::incrementAndGet);
            case 1 -> send(topics.events(), id, bytes("{\"account\":\"a\",\"amount\":1,\"type\":\"T\"}"), time,
                ledger.malformed::incrementAndGet);
            default -> send(topics.decisions(), id, bytes("{\"verdict\":\"MAYBE\",\"decidedAt\":" + time + "}"), time,
                ledger.malformed::incrementAndGet);
        }
    }

    /** Spreads {@code count} marks evenly over the run's events, {@code offset} events after each mark point. */
    private boolean isEvery(long seq, int count, int offset) {
        if (count == 0) {
            return false;
        }
        long spacing = spacing(totalEvents, count);
        return seq % spacing == offset && seq / spacing < count;
    }

    /** How many of {@code events} events {@link #isEvery} marks for {@code count} (fewer if events are few). */
    private static long marks(long events, int count) {
        return count == 0 ? 0 : Math.min(count, (events + spacing(events, count) - 1) / spacing(events, count));
    }

    private static long spacing(long events, int count) {
        return Math.max(2, events / count);
    }

    private void send(String topic, String key, byte[] value, long timestamp, Runnable onAcknowledged) {
        lastTimestamp = Math.max(lastTimestamp, timestamp);
        Callback callback = (metadata, exception) -> {
            if (exception == null) {
                onAcknowledged.run();
            } else {
                ledger.sendFailures.incrementAndGet();
            }
        };
        producer.send(new ProducerRecord<>(topic, null, timestamp, bytes(key), value), callback);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
    }
}
