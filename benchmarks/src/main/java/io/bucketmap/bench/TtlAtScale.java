package io.bucketmap.bench;

import io.bucketmap.store.BucketMapStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.streams.state.Stores;

/**
 * A store with a time to live over a long run (issue 25): {@code entries} live entries, 1% of them expiring and 1%
 * arriving per interval, for {@code intervals} intervals after the store is full. Each interval writes
 * {@code entries / 100} new keys at its record time (one second of stream time after the previous interval's), then
 * commits; the time to live is 100 intervals, so each interval's writes expire the keys of the interval 100 before.
 * Keys are risk-event keys with scrambled ids (expiring keys lie anywhere in key order), values 16 bytes
 * ({@code [8-byte record time][8-byte count]}, the DSL's timestamped count).
 *
 * <p>Measured: every put and every commit, timed alone by the CPU time of the measuring thread
 * ({@code ThreadMXBean.getCurrentThreadCpuTime}: the store's own work, which neither a neighbour taking the core on a
 * shared machine nor a garbage-collection pause inflates; each reading costs about a microsecond, which every call's
 * time includes) and by the wall clock ({@link System#nanoTime}: what a caller waits, pauses included), each in a
 * histogram (the longest, the 99.99th percentile, how many took more than 1 ms); the entries held, and the heap used
 * after a {@code System.gc()} every {@value #HEAP_EVERY} intervals, with the number and longest of the collections.
 *
 * <p>Contenders, each in its own JVM: {@code TTL} ({@code BucketMapStores.timestampedKeyValueStore(..).withTtl}: it
 * keeps {@code entries}), {@code NO_TTL} (the same store without: it keeps everything) and {@code IN_MEMORY_STORE}
 * (Kafka's, which has no time to live: it keeps everything). The stores run under a context without changelog, so the
 * time-to-live store removes without sending tombstones (a tombstone costs one changelog send, as a write does).
 *
 * <p>Usage: {@code TtlAtScale <TTL|NO_TTL|IN_MEMORY_STORE> <entries> <intervals> <results.md>}; appends a Markdown
 * section to the file and prints it.
 */
public final class TtlAtScale {
    /** Intervals per time to live: 1% of the entries expire per interval. */
    static final int INTERVALS_PER_TTL = 100;
    static final long INTERVAL_MS = 1_000;
    static final long SLOW_NANOS = 1_000_000;
    private static final int HEAP_EVERY = 10;
    private static final long START_TIME = 1_767_225_600_000L;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private TtlAtScale() {
    }

    /** The stores compared. */
    enum Subject {
        TTL("BucketMap timestamped store, ttl 100 intervals", () -> KafkaBenchStore.open(
                BucketMapStores.timestampedKeyValueStore("bench")
                        .withTtl(Duration.ofMillis(INTERVALS_PER_TTL * INTERVAL_MS)))),
        NO_TTL("BucketMap timestamped store, no ttl", () -> KafkaBenchStore.open(
                BucketMapStores.timestampedKeyValueStore("bench"))),
        IN_MEMORY_STORE("Kafka in-memory store (no ttl)", () -> KafkaBenchStore.open(
                Stores.inMemoryKeyValueStore("bench")));

        final String label;
        final Supplier<KafkaBenchStore> open;

        Subject(String label, Supplier<KafkaBenchStore> open) {
            this.label = label;
            this.open = open;
        }
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            throw new IllegalArgumentException(
                    "usage: TtlAtScale <TTL|NO_TTL|IN_MEMORY_STORE> <entries> <intervals> <results.md>");
        }
        Subject subject = Subject.valueOf(args[0]);
        int entries = Integer.parseInt(args[1]);
        int intervals = Integer.parseInt(args[2]);
        int perInterval = entries / INTERVALS_PER_TTL;
        if (perInterval == 0) {
            throw new IllegalArgumentException("entries must be at least " + INTERVALS_PER_TTL);
        }
        GcPauses gcs = new GcPauses();
        Timings puts = new Timings();
        Timings commits = new Timings();
        MarkdownTable heap = new MarkdownTable(List.of("interval", "entries held", "used heap after GC, MB"));
        try (KafkaBenchStore store = subject.open.get()) {
            long started = System.nanoTime();
            for (int interval = 0; interval < INTERVALS_PER_TTL; interval++) {
                writeInterval(store, interval, perInterval, null);
                store.commit(Map.of());
            }
            System.out.printf(Locale.ROOT, "%s: %,d entries in %.1f s%n", subject, entries,
                    (System.nanoTime() - started) / 1e9);
            heap.add(row(0, store));
            for (int i = 1; i <= intervals; i++) {
                writeInterval(store, INTERVALS_PER_TTL - 1 + i, perInterval, puts);
                commits.time(() -> store.commit(Map.of()));
                gcs.poll();
                if (i % HEAP_EVERY == 0 || i == intervals) {
                    heap.add(row(i, store));
                    System.out.printf(Locale.ROOT, "%s: interval %d, longest put %.2f ms CPU, longest commit %.2f ms CPU%n",
                            subject, i, puts.cpu.max() / 1e6, commits.cpu.max() / 1e6);
                }
            }
        }
        String section = String.format(Locale.ROOT, "%n### %s: %,d entries, %,d per interval, %d intervals%n%n"
                        + "| | calls | longest, CPU | 99.99%%, CPU | over 1 ms, CPU | longest, wall | over 1 ms, wall |%n"
                        + "| :--- | ---: | ---: | ---: | ---: | ---: | ---: |%n%s%s%n"
                        + "Garbage collections (the heap samples' System.gc() included): %d, longest %d ms.%n%n%s",
                subject.label, entries, perInterval, intervals, puts.row("put"), commits.row("commit"),
                gcs.count(), gcs.longestMillis(), heap);
        System.out.print(section);
        try {
            Files.writeString(Path.of(args[3]), section, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes interval {@code interval}'s new keys at its record time, timing each put if {@code puts} is given. */
    private static void writeInterval(KafkaBenchStore store, int interval, int perInterval, Timings puts) {
        long recordTime = START_TIME + interval * INTERVAL_MS;
        long first = (long) interval * perInterval;
        for (long sequence = first; sequence < first + perInterval; sequence++) {
            byte[] key = EvictionAtScale.id(sequence);
            byte[] value = ByteBuffer.allocate(16).putLong(recordTime).putLong(sequence).array();
            if (puts == null) {
                store.put(key, value);
                continue;
            }
            puts.time(() -> store.put(key, value));
        }
    }

    private static List<String> row(int interval, KafkaBenchStore store) {
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return List.of(Integer.toString(interval), String.format(Locale.ROOT, "%,d", store.approximateNumEntries()),
                String.format(Locale.ROOT, "%,d", used >> 20));
    }

    /** Each call's CPU time and wall time, in histograms. */
    private static final class Timings {
        final LatencyHistogram cpu = new LatencyHistogram();
        final LatencyHistogram wall = new LatencyHistogram();
        private long cpuOverMillisecond;
        private long wallOverMillisecond;

        void time(Runnable call) {
            long cpuBefore = THREADS.getCurrentThreadCpuTime();
            long wallBefore = System.nanoTime();
            call.run();
            long wallNanos = System.nanoTime() - wallBefore;
            long cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuBefore;
            cpu.record(cpuNanos);
            wall.record(wallNanos);
            cpuOverMillisecond += cpuNanos > SLOW_NANOS ? 1 : 0;
            wallOverMillisecond += wallNanos > SLOW_NANOS ? 1 : 0;
        }

        String row(String name) {
            return String.format(Locale.ROOT, "| %s | %,d | %.3f ms | %.1f us | %d | %.3f ms | %d |%n", name,
                    cpu.count(), cpu.max() / 1e6, cpu.valueAtPercentile(99.99) / 1e3, cpuOverMillisecond,
                    wall.max() / 1e6, wallOverMillisecond);
        }
    }
}
