package io.bucketmap.it;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * A query stress on running Kafka Streams applications: a producer feeding the input topic as fast as the application
 * keeps up (tombstones included), query threads issuing IQv2 {@code KeyQuery} and {@code RangeQuery} (both orders)
 * with and without position bounds on every store, at both isolation levels where the Kafka Streams running has them
 * (4.4), and a watchdog. Every answer is checked
 * against the {@link InputModel}: its position at or above the bound, each value one its key held at or after that
 * position, each range in order (ordered stores), without a key twice, and without a key missing unless the key had no
 * value at some moment at or after the position. The watchdog records Java-level deadlocks
 * ({@link ThreadMXBean#findDeadlockedThreads}) and query threads that finish no query for {@value #STALL_SECONDS} s,
 * with their stacks.
 *
 * <p>The stores must hold the input as a processor writes it: each record's value under its key, a tombstone deleting
 * it. Used by one test thread; {@link #stop} ends every thread it started.
 */
final class QueryStress {
    static final int STALL_SECONDS = 20;
    /** Records produced ahead of what the stores report as processed, at most. */
    private static final long BACKLOG = 5_000;
    private static final int RANGE_KEYS = 8;

    private final String input;
    private final int partitions;
    private final InputModel model;
    private final List<String> stores;
    private final Set<String> orderedStores;
    private final Supplier<List<KafkaStreams>> instances;
    private final boolean isolationLevels;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "query-stress-watchdog");
        thread.setDaemon(true);
        return thread;
    });
    /** Per partition: the highest position any store answered with. */
    private final AtomicLongArray seen;
    private final Object progress = new Object();
    private final AtomicLong produced = new AtomicLong();
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Answer> deferred = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> stalls = new ConcurrentLinkedQueue<>();
    /** Milliseconds of queries after which the watchdog first found a deadlock; -1 while none. */
    private final AtomicLong deadlockedAfterMillis = new AtomicLong(-1);
    private final Map<Thread, AtomicLong> lastQueryDone = new ConcurrentHashMap<>();
    private volatile long queriesStarted;
    private volatile long queriesStopped;

    /**
     * A stress of {@code stores} (those in {@code orderedStores} return keys in order) in the applications
     * {@code instances} returns at each query (it may change as the test restarts them), fed through {@code input}
     * of {@code partitions} partitions with {@code keys} keys. With {@code isolationLevels} each query asks for
     * {@code READ_COMMITTED} or {@code READ_UNCOMMITTED} at random ({@code StateQueryRequest.withIsolationLevel}, Kafka
     * Streams 4.4 and newer); without, no query names one (the method does not exist before 4.4), each reads
     * uncommitted, the only level there, and is reported as {@code READ_UNCOMMITTED}.
     */
    QueryStress(String input, int partitions, int keys, List<String> stores, Set<String> orderedStores,
                Supplier<List<KafkaStreams>> instances, boolean isolationLevels) {
        this.input = input;
        this.partitions = partitions;
        this.model = new InputModel(keys, partitions);
        this.stores = List.copyOf(stores);
        this.orderedStores = Set.copyOf(orderedStores);
        this.instances = instances;
        this.isolationLevels = isolationLevels;
        this.seen = new AtomicLongArray(partitions);
        for (int p = 0; p < partitions; p++) {
            seen.set(p, -1);
        }
    }

    /** Starts the producer, {@code queryThreads} query threads and the watchdog. */
    void start(KafkaProducer<byte[], byte[]> producer, int queryThreads) {
        threads.add(new Thread(() -> produce(producer), "query-stress-producer"));
        for (int t = 0; t < queryThreads; t++) {
            SplittableRandom random = new SplittableRandom(1_000 + t);
            Thread thread = new Thread(() -> query(random), "query-stress-iq-" + t);
            lastQueryDone.put(thread, new AtomicLong(System.nanoTime()));
            threads.add(thread);
        }
        threads.forEach(thread -> {
            thread.setDaemon(true);
            thread.start();
        });
        queriesStarted = System.nanoTime();
        watchdog.scheduleAtFixedRate(this::watch, 1, 1, TimeUnit.SECONDS);
    }

    /** Input records the stores have processed, by the positions they answered with. */
    long processed() {
        long total = 0;
        for (int p = 0; p < partitions; p++) {
            total += seen.get(p) + 1;
        }
        return total;
    }

    /** Whether the watchdog found a deadlock or a stalled query thread. */
    boolean stuck() {
        return deadlockedAfterMillis.get() >= 0 || !stalls.isEmpty();
    }

    /**
     * Stops the producer and the query threads (waiting {@code limitSeconds} for each, as long as nothing is stuck),
     * checks the answers that needed records acknowledged later, and returns what happened.
     */
    QueryStressReport stop(int limitSeconds) throws InterruptedException {
        running.set(false);
        queriesStopped = System.nanoTime();
        synchronized (progress) {
            progress.notifyAll();
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(limitSeconds));
        }
        watchdog.shutdownNow();
        for (Answer answer : deferred) {
            InputModel.Verdict verdict = model.check(answer.key, answer.value, answer.position);
            if (verdict != InputModel.Verdict.VALID) {
                violations.add(answer.where + InputModel.key(answer.key) + " = " + answer.value + " (" + verdict
                    + " once every record was acknowledged)");
            }
        }
        Map<String, Map<String, Map<String, Long>>> outcomes = new TreeMap<>();
        counts.forEach((name, count) -> {
            String[] parts = name.split("\\|");
            outcomes.computeIfAbsent(parts[0], store -> new TreeMap<>())
                .computeIfAbsent(parts[1], isolation -> new TreeMap<>()).put(parts[2], count.sum());
        });
        return new QueryStressReport(List.copyOf(violations), List.copyOf(stalls), deadlockedAfterMillis.get(),
            produced.get(), (queriesStopped - queriesStarted) / 1e9, outcomes);
    }

    private void produce(KafkaProducer<byte[], byte[]> producer) {
        SplittableRandom random = new SplittableRandom(7);
        try (producer) {
            for (long sequence = 0; running.get(); sequence++) {
                awaitBacklogBelowLimit();
                int k = random.nextInt(model.keys());
                boolean tombstone = random.nextInt(10) == 0;
                long recordSequence = sequence;
                int partition = model.partitionOf(k);
                byte[] value = tombstone ? null : InputModel.value(k, sequence).getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(input, partition, InputModel.key(k).getBytes(StandardCharsets.UTF_8),
                    value), (metadata, failure) -> {
                        if (failure == null) {
                            model.acknowledged(k, recordSequence, tombstone, partition, metadata.offset());
                        }
                    });
                produced.incrementAndGet();
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits, on the monitor the query threads signal when a store answers with a newer position. */
    private void awaitBacklogBelowLimit() throws InterruptedException {
        synchronized (progress) {
            while (running.get() && produced.get() - processed() > BACKLOG) {
                progress.wait(200);
            }
        }
    }

    private void query(SplittableRandom random) {
        AtomicLong done = lastQueryDone.get(Thread.currentThread());
        while (running.get()) {
            List<KafkaStreams> live = instances.get();
            if (!live.isEmpty()) {
                queryOnce(live.get(random.nextInt(live.size())), random);
            }
            done.set(System.nanoTime());
        }
    }

    private void queryOnce(KafkaStreams streams, SplittableRandom random) {
        String store = stores.get(random.nextInt(stores.size()));
        IsolationLevel isolation = isolationLevels && random.nextBoolean() ? IsolationLevel.READ_COMMITTED
            : IsolationLevel.READ_UNCOMMITTED;
        Position bound = random.nextBoolean() ? bound(random.nextBoolean()) : null;
        boolean range = random.nextBoolean();
        int from = random.nextInt(model.keys() - RANGE_KEYS);
        boolean descending = range && random.nextInt(3) == 0;
        Query<?> query = range
            ? (descending
                ? RangeQuery.<String, String>withRange(InputModel.key(from), InputModel.key(from + RANGE_KEYS - 1))
                    .withDescendingKeys()
                : RangeQuery.<String, String>withRange(InputModel.key(from), InputModel.key(from + RANGE_KEYS - 1)))
            : KeyQuery.<String, String>withKey(InputModel.key(from));
        String kind = store + " " + isolation + " " + (range ? "range" : "key") + (bound == null ? "" : " bounded");
        StateQueryRequest<?> request = StateQueryRequest.inStore(store).withQuery(query);
        if (isolationLevels) {
            request = request.withIsolationLevel(isolation);
        }
        if (bound != null) {
            request = request.withPositionBound(PositionBound.at(bound));
        }
        StateQueryResult<?> result;
        try {
            result = streams.query(request);
        } catch (RuntimeException e) {
            count(store, isolation, "exception " + e.getClass().getSimpleName());
            return;
        }
        try {
            checkAnswers(kind, store, isolation, bound, range, from, descending, result);
        } catch (RuntimeException e) {
            violations.add(kind + ": checking the answer threw " + e);
        }
    }

    private void checkAnswers(String kind, String store, IsolationLevel isolation, Position bound, boolean range,
                              int from, boolean descending, StateQueryResult<?> result) {
        for (Map.Entry<Integer, ? extends QueryResult<?>> entry : result.getPartitionResults().entrySet()) {
            int partition = entry.getKey();
            QueryResult<?> answer = entry.getValue();
            if (answer.isFailure()) {
                count(store, isolation, answer.getFailureReason() + (bound == null ? "" : " (bounded)"));
                if (answer.getFailureReason() == org.apache.kafka.streams.query.FailureReason.NOT_UP_TO_BOUND
                    && bound == null) {
                    violations.add(kind + ": refused with no bound: " + answer);
                }
                continue;
            }
            long position = answer.getPosition().getPartitionPositions(input).getOrDefault(partition, -1L);
            Long required = bound == null ? null : bound.getPartitionPositions(input).get(partition);
            if (required != null && position < required) {
                violations.add(kind + ", partition " + partition + ": answered at " + position + " below its bound "
                    + required);
            }
            String where = kind + ", partition " + partition + " at " + position + ": ";
            if (range) {
                checkRange(where, partition, position, from, descending, store, answer);
            } else {
                checkKey(where, partition, position, from, (String) answer.getResult());
            }
            count(store, isolation, "answered" + (bound == null ? "" : " (bounded)"));
            advanceSeen(partition, position);
        }
    }

    private void checkKey(String where, int partition, long position, int k, String value) {
        if (model.partitionOf(k) != partition) {
            if (value != null) {
                violations.add(where + value + " for a key the partition does not own");
            }
            return;
        }
        check(where, k, value, position);
    }

    @SuppressWarnings("unchecked")
    private void checkRange(String where, int partition, long position, int from, boolean descending, String store,
                            QueryResult<?> answer) {
        List<KeyValue<String, String>> entries = new ArrayList<>();
        try (KeyValueIterator<String, String> iterator = (KeyValueIterator<String, String>) answer.getResult()) {
            iterator.forEachRemaining(entries::add);
        }
        Set<String> returned = new HashSet<>();
        String previous = null;
        for (KeyValue<String, String> entry : entries) {
            if (!returned.add(entry.key)) {
                violations.add(where + entry.key + " twice in " + entries);
            }
            if (previous != null && orderedStores.contains(store)
                && (descending ? previous.compareTo(entry.key) <= 0 : previous.compareTo(entry.key) >= 0)) {
                violations.add(where + "out of order: " + previous + " then " + entry.key);
            }
            previous = entry.key;
            int k = Integer.parseInt(entry.key.substring("key-".length()));
            if (k < from || k >= from + RANGE_KEYS || model.partitionOf(k) != partition) {
                violations.add(where + entry.key + " is not in the range of this partition");
                continue;
            }
            check(where, k, entry.value, position);
        }
        for (int k = from; k < from + RANGE_KEYS; k++) {
            if (model.partitionOf(k) == partition && !returned.contains(InputModel.key(k))) {
                check(where, k, null, position);
            }
        }
    }

    /** Checks that key {@code k} held {@code value} (null: none) at or after {@code position}; {@code where}: the query. */
    private void check(String where, int k, String value, long position) {
        if (model.check(k, value, position) != InputModel.Verdict.VALID) {
            // checked again once every record is acknowledged: the answer may rest on records not acknowledged yet
            deferred.add(new Answer(where, k, value, position));
        }
    }

    private Position bound(boolean atLatest) {
        Position bound = Position.emptyPosition();
        for (int p = 0; p < partitions; p++) {
            long latest = seen.get(p);
            if (latest >= 0) {
                bound.withComponent(input, p, atLatest ? latest : Math.max(0, latest - 2_000));
            }
        }
        return bound;
    }

    private void advanceSeen(int partition, long position) {
        if (seen.getAndAccumulate(partition, position, Math::max) < position) {
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    private void count(String store, IsolationLevel isolation, String outcome) {
        counts.computeIfAbsent(store + "|" + isolation + "|" + outcome, name -> new LongAdder()).increment();
    }

    private void watch() {
        ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        long[] deadlocked = threadBean.findDeadlockedThreads();
        long queriedMillis = (System.nanoTime() - queriesStarted) / 1_000_000;
        if (deadlocked != null && deadlockedAfterMillis.compareAndSet(-1, queriedMillis)) {
            System.out.println("DEADLOCK found after " + queriedMillis + " ms of queries: " + deadlocked.length
                + " threads");
            for (ThreadInfo info : threadBean.getThreadInfo(deadlocked, true, true)) {
                System.out.print(info);
            }
        }
        long now = System.nanoTime();
        lastQueryDone.forEach((thread, done) -> {
            if (now - done.get() > TimeUnit.SECONDS.toNanos(STALL_SECONDS) && stalls.size() < 10) {
                StringBuilder stack = new StringBuilder(thread.getName() + " finished no query for "
                    + STALL_SECONDS + " s:\n");
                for (StackTraceElement frame : thread.getStackTrace()) {
                    stack.append("    at ").append(frame).append('\n');
                }
                stalls.add(stack.toString());
                System.out.println("STALL " + stack);
                done.set(now);
            }
        });
    }

    /** An answer to check again at the end: {@code where} names the query, partition and position. */
    private record Answer(String where, int key, String value, long position) {
    }
}
