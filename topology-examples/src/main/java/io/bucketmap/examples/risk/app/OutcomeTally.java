package io.bucketmap.examples.risk.app;

import io.bucketmap.examples.risk.Json;
import io.bucketmap.examples.risk.Outcome;
import io.bucketmap.examples.risk.OutcomeKind;
import io.bucketmap.examples.risk.RiskTopics;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code risk-outcomes} and the dead-letter topic from the beginning with
 * {@code isolation.level=read_committed} (only what the application's transactions committed) and counts,
 * on its own thread, the outcomes of this run's ids (those starting with the run's prefix), and how many of the
 * events settled so far (DECIDED or TIMED_OUT) were meant to be decided, for the progress line.
 *
 * <p>Counters are readable from any thread while it runs; {@link #finalCounts} only after
 * {@link #stopAtEnd} returned (the thread's end happens-before that return).
 */
final class OutcomeTally implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final RiskTopics topics;
    private final String idPrefix;
    private final Map<OutcomeKind, AtomicLong> counts = new EnumMap<>(OutcomeKind.class);
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final AtomicLong settledMeantToBeDecided = new AtomicLong();
    private final Predicate<String> meantToBeDecided;
    private final Map<String, Integer> terminalOutcomesById = new HashMap<>();
    private final Set<String> decidedIds = new HashSet<>();
    private final Thread thread;
    private volatile boolean stopAtEnd;
    private volatile RuntimeException failure;

    /**
     * @param meantToBeDecided whether the generator meant an event id to be decided (read from this reader's thread;
     *                         must be thread-safe)
     */
    OutcomeTally(String bootstrapServers, RiskTopics topics, String idPrefix, Predicate<String> meantToBeDecided) {
        this.topics = topics;
        this.idPrefix = idPrefix;
        this.meantToBeDecided = meantToBeDecided;
        for (OutcomeKind kind : OutcomeKind.values()) {
            counts.put(kind, new AtomicLong());
        }
        this.consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
            new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "outcome-tally");
    }

    void start() {
        List<TopicPartition> partitions = consumer.partitionsFor(topics.outcomes()).stream()
            .map(info -> new TopicPartition(info.topic(), info.partition())).collect(Collectors.toList());
        consumer.partitionsFor(topics.deadLetters()).forEach(
            info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread.start();
    }

    long count(OutcomeKind kind) {
        return counts.get(kind).get();
    }

    long deadLetters() {
        return deadLetters.get();
    }

    /** Every record counted so far, outcomes and dead letters: grows while the application makes progress. */
    long recordsCounted() {
        return counts.values().stream().mapToLong(AtomicLong::get).sum() + deadLetters.get() + unreadable.get();
    }

    /** Events settled so far (DECIDED or TIMED_OUT read) that the generator meant to be decided. */
    long settledMeantToBeDecided() {
        return settledMeantToBeDecided.get();
    }

    /** Everything counted. Only after {@link #stopAtEnd} returned. Cost O(events), a copy. */
    TallyCounts finalCounts() {
        return new TallyCounts(count(OutcomeKind.DECIDED), count(OutcomeKind.TIMED_OUT),
            count(OutcomeKind.LATE_DECISION), count(OutcomeKind.DUPLICATE_EVENT), deadLetters.get(),
            unreadable.get(), terminalOutcomesById, decidedIds);
    }

    /**
     * Reads on up to the current end of every partition (for read_committed: the last stable offset, so
     * every transaction committed by now is included), then stops the thread.
     *
     * @throws IllegalStateException if the reading thread failed or did not finish within {@code timeout}
     */
    void stopAtEnd(Duration timeout) throws InterruptedException {
        stopAtEnd = true;
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            consumer.wakeup();
            thread.join();
            throw new IllegalStateException("outcome reader did not reach the end within " + timeout);
        }
        if (failure != null) {
            throw new IllegalStateException("outcome reader failed", failure);
        }
    }

    private void run() {
        try {
            Map<TopicPartition, Long> end = null;
            while (true) {
                if (stopAtEnd && end == null) {
                    end = consumer.endOffsets(consumer.assignment());
                }
                if (end != null && reached(end)) {
                    return;
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    count(record);
                }
            }
        } catch (WakeupException e) {
            // stopAtEnd gave up waiting; it reports that itself.
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        Set<TopicPartition> partitions = end.keySet();
        return partitions.stream().allMatch(partition -> consumer.position(partition) >= end.get(partition));
    }

    private void count(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null || !record.key().startsWith(idPrefix)) {
            return;
        }
        if (record.topic().equals(topics.deadLetters())) {
            deadLetters.incrementAndGet();
            return;
        }
        Outcome outcome;
        try {
            outcome = Json.read(record.value(), Outcome.class);
        } catch (RuntimeException e) {
            unreadable.incrementAndGet();
            return;
        }
        if (outcome.kind() == OutcomeKind.DECIDED || outcome.kind() == OutcomeKind.TIMED_OUT) {
            terminalOutcomesById.merge(outcome.eventId(), 1, Integer::sum);
            if (meantToBeDecided.test(outcome.eventId())) {
                settledMeantToBeDecided.incrementAndGet();
            }
        }
        if (outcome.kind() == OutcomeKind.DECIDED) {
            decidedIds.add(outcome.eventId());
        }
        counts.get(outcome.kind()).incrementAndGet();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
