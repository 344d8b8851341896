package io.bucketmap.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Interactive queries per second against a store that one thread writes as fast as it can (issue 27): the stream
 * thread's side and the IQ threads' side of the same store, through the IQv2 path Kafka Streams takes to the
 * innermost store of a partition ({@code store.query(query, bound, config)} with raw bytes).
 *
 * <p>The store holds {@code entries} keys ({@code key-00000000}...); the writer updates random keys (one in ten a
 * delete, which the next update of that key puts back) and, when {@code transactional}, commits every
 * {@value #WRITES_PER_COMMIT} writes, so a committed read finds up to that many changed keys in the undo record (or
 * Kafka's transaction buffer). {@code threads} query threads ask, at {@code isolation} and unbounded, either
 * {@code KeyQuery}s of random keys ({@link Queries#KEY}) or {@code RangeQuery}s of {@value #RANGE_KEYS} consecutive
 * keys from a random one, drained ({@link Queries#RANGE}); none, to measure the writer alone. Counted over
 * {@code seconds} after {@value #WARM_UP_SECONDS} s of the same load: operations per second of wall-clock time, and
 * CPU time per operation of the threads that ran them ({@link ThreadMXBean#getThreadCpuTime}), which a busy shared
 * machine disturbs far less than the rates (a thread waiting for a lock or for a core uses no CPU time). A watchdog
 * ends the run as {@code DEADLOCK} if no thread makes progress for {@value #STALL_SECONDS} s (Kafka 4.4.0's in-memory
 * store without transactions, KAFKA-19629), printing the JVM's deadlocked threads.
 *
 * <p>Usage: {@code QueryThroughput <contender> <transactional> <isolation> <KEY|RANGE> <entries> <seconds> <threads>
 * <results.csv>}; appends one row. One run per JVM.
 */
public final class QueryThroughput {
    /** What the query threads ask. */
    public enum Queries { KEY, RANGE }

    static final String HEADER = "contender,transactional,isolation,queries,entries,query_threads,seconds,outcome,"
            + "writes_per_s,queries_per_s,writer_cpu_ns_per_write,query_cpu_ns_per_query";
    static final int WRITES_PER_COMMIT = 8_192;
    static final int RANGE_KEYS = 8;
    static final int WARM_UP_SECONDS = 3;
    static final int STALL_SECONDS = 10;
    private static final int VALUE_BYTES = 100;

    private QueryThroughput() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 8) {
            throw new IllegalArgumentException("usage: QueryThroughput <contender> <transactional> <isolation>"
                    + " <KEY|RANGE> <entries> <seconds> <threads> <results.csv>");
        }
        Contender contender = Contender.valueOf(args[0]);
        boolean transactional = Boolean.parseBoolean(args[1]);
        IsolationLevel isolation = IsolationLevel.valueOf(args[2]);
        Queries queries = Queries.valueOf(args[3]);
        int entries = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);
        int threads = Integer.parseInt(args[6]);
        String row = measure(contender, transactional, isolation, queries, entries, seconds, threads);
        CsvFile.append(Path.of(args[7]), HEADER, row);
        System.out.println(HEADER);
        System.out.println(row);
        // a deadlocked store leaves its threads stuck: end the JVM rather than wait for them
        System.exit(0);
    }

    /** Runs the measurement; returns the CSV row. */
    static String measure(Contender contender, boolean transactional, IsolationLevel isolation, Queries queries,
                          int entries, int seconds, int threads) throws InterruptedException {
        Properties settings = new Properties();
        settings.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, Boolean.toString(transactional));
        KafkaBenchStore store = KafkaBenchStore.open(contender.storeSupplier("query-throughput"), settings);
        byte[][] keys = new byte[entries][];
        for (int k = 0; k < entries; k++) {
            keys[k] = String.format(Locale.ROOT, "key-%08d", k).getBytes(StandardCharsets.UTF_8);
            store.put(keys[k], new byte[VALUE_BYTES]);
        }
        store.commit(Map.of());

        Load load = new Load(store, transactional, isolation, queries, keys, threads);
        load.start();
        String outcome = "OK";
        long[] before = null;
        long[] after = null;
        long measuredNanos = 0;
        if (!load.awaitProgress(WARM_UP_SECONDS)) {
            outcome = "DEADLOCK";
        } else {
            before = load.counts();
            long started = System.nanoTime();
            for (int s = 0; s < seconds && "OK".equals(outcome); s++) {
                if (!load.awaitProgress(1)) {
                    outcome = "DEADLOCK";
                }
            }
            measuredNanos = System.nanoTime() - started;
            after = load.counts();
        }
        if (load.failure.get() != null) {
            throw new IllegalStateException("a thread of the load failed", load.failure.get());
        }
        if (!"OK".equals(outcome)) {
            load.printStuckThreads();
            return String.format(Locale.ROOT, "%s,%s,%s,%s,%d,%d,%d,%s,,,,", contender.name(), transactional,
                    isolation, queries, entries, threads, seconds, outcome);
        }
        load.stop();
        store.close();
        double elapsed = measuredNanos / 1e9;
        long writes = after[0] - before[0];
        long queriesDone = after[1] - before[1];
        return String.format(Locale.ROOT, "%s,%s,%s,%s,%d,%d,%d,%s,%.0f,%.0f,%.0f,%s", contender.name(), transactional,
                isolation, queries, entries, threads, seconds, outcome, writes / elapsed, queriesDone / elapsed,
                (after[2] - before[2]) / (double) writes,
                queriesDone == 0 ? "" : String.format(Locale.ROOT, "%.0f",
                        (after[3] - before[3]) / (double) queriesDone));
    }

    /** The writer and the query threads, with their counts of finished operations. */
    private static final class Load {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final LongAdder writes = new LongAdder();
        private final LongAdder queriesDone = new LongAdder();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();
        private long lastTotal = -1;

        /** {@code keys}: the store's keys in order, made once, so that no thread times a key's formatting. */
        Load(KafkaBenchStore store, boolean transactional, IsolationLevel isolation, Queries queries, byte[][] keys,
             int queryThreads) {
            int entries = keys.length;
            threads.add(daemon("writer", () -> {
                SplittableRandom random = new SplittableRandom(1);
                for (long n = 1; running.get(); n++) {
                    int k = random.nextInt(entries);
                    if (random.nextInt(10) == 0) {
                        store.delete(keys[k]);
                    } else {
                        store.put(keys[k], new byte[VALUE_BYTES]);
                    }
                    if (transactional && n % WRITES_PER_COMMIT == 0) {
                        store.commit(Map.of());
                    }
                    writes.increment();
                }
            }));
            QueryConfig config = new QueryConfig(false, isolation);
            for (int t = 0; t < queryThreads; t++) {
                long seed = 100 + t;
                threads.add(daemon("iq-" + t, () -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    while (running.get()) {
                        if (queries == Queries.KEY) {
                            QueryResult<byte[]> value = store.query(
                                    KeyQuery.withKey(Bytes.wrap(keys[random.nextInt(entries)])),
                                    PositionBound.unbounded(), config);
                            check(value);
                        } else {
                            int from = random.nextInt(entries - RANGE_KEYS);
                            QueryResult<KeyValueIterator<Bytes, byte[]>> range = store.query(RangeQuery.withRange(
                                            Bytes.wrap(keys[from]), Bytes.wrap(keys[from + RANGE_KEYS - 1])),
                                    PositionBound.unbounded(), config);
                            check(range);
                            drain(range.getResult());
                        }
                        queriesDone.increment();
                    }
                }));
            }
        }

        void start() {
            threads.forEach(Thread::start);
        }

        /** Waits {@code seconds}; false if no thread finished an operation meanwhile (or one failed). */
        boolean awaitProgress(int seconds) throws InterruptedException {
            TimeUnit.SECONDS.sleep(seconds);
            long total = writes.sum() + queriesDone.sum();
            boolean progressed = total != lastTotal && failure.get() == null;
            lastTotal = total;
            if (!progressed && failure.get() == null) {
                // one more chance: a long GC pause is not a deadlock
                TimeUnit.SECONDS.sleep(STALL_SECONDS);
                total = writes.sum() + queriesDone.sum();
                progressed = total != lastTotal;
                lastTotal = total;
            }
            return progressed;
        }

        /** Writes, queries, and the CPU nanoseconds the writer and the query threads have used so far. */
        long[] counts() {
            ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
            long writerCpu = threadBean.getThreadCpuTime(threads.get(0).getId());
            long queryCpu = 0;
            for (int t = 1; t < threads.size(); t++) {
                queryCpu += threadBean.getThreadCpuTime(threads.get(t).getId());
            }
            return new long[] {writes.sum(), queriesDone.sum(), writerCpu, queryCpu};
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join();
            }
        }

        void printStuckThreads() {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long[] deadlocked = mx.findDeadlockedThreads();
            System.out.println("no progress for " + STALL_SECONDS + " s; threads deadlocked (ThreadMXBean): "
                    + (deadlocked == null ? 0 : deadlocked.length));
            if (deadlocked != null) {
                for (ThreadInfo info : mx.getThreadInfo(deadlocked, true, true)) {
                    System.out.print(info);
                }
            }
        }

        private Thread daemon(String name, Runnable body) {
            Thread thread = new Thread(() -> {
                try {
                    body.run();
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, name);
            thread.setDaemon(true);
            return thread;
        }
    }

    private static void check(QueryResult<?> result) {
        if (!result.isSuccess()) {
            throw new IllegalStateException("query failed: " + result);
        }
    }

    private static void drain(KeyValueIterator<Bytes, byte[]> entries) {
        try (entries) {
            while (entries.hasNext()) {
                KeyValue<Bytes, byte[]> entry = entries.next();
                ConsumedValues.read(entry.value);
            }
        }
    }
}
