package io.bucketmap.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.bucketmap.store.BucketMapStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.apache.kafka.streams.state.Stores;

/**
 * A store with a time to live over a long run (issue 25): {@code entries} live entries, 1% of them expiring and 1%
 * arriving per interval, for {@code intervals} intervals after the store is full. Each interval writes
 * {@code entries / 100} new keys at its record time (one second of stream time after the previous interval's), then
 * commits; the time to live is 100 intervals, so each interval's writes expire the keys of the interval 100 before.
 * Keys are risk-event keys with scrambled ids (expiring keys lie anywhere in key order), values 16 bytes
 * ({@code [8-byte record time][8-byte count]}, the DSL's timestamped count).
 *
 * <p>Measured: every put and every commit, timed alone with {@link System#nanoTime} (a histogram: the longest, and
 * how many took more than 1 ms), the entries held, and the heap used after a {@code System.gc()} every
 * {@value #HEAP_EVERY} intervals. Calls of more than 1 ms that overlap a garbage collection (from the JVM's GC
 * notifications, millisecond resolution) are counted apart: they wait for the collector, not for the store.
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
        GcLog gcs = new GcLog();
        LatencyHistogram puts = new LatencyHistogram();
        LatencyHistogram commits = new LatencyHistogram();
        SlowCalls slowPuts = new SlowCalls();
        SlowCalls slowCommits = new SlowCalls();
        MarkdownTable heap = new MarkdownTable(List.of("interval", "entries held", "used heap after GC, MB"));
        try (KafkaBenchStore store = subject.open.get()) {
            long started = System.nanoTime();
            for (int interval = 0; interval < INTERVALS_PER_TTL; interval++) {
                writeInterval(store, interval, perInterval, null, null);
                store.commit(Map.of());
            }
            System.out.printf(Locale.ROOT, "%s: %,d entries in %.1f s%n", subject, entries,
                    (System.nanoTime() - started) / 1e9);
            heap.add(row(0, store));
            for (int i = 1; i <= intervals; i++) {
                writeInterval(store, INTERVALS_PER_TTL - 1 + i, perInterval, puts, slowPuts);
                long before = System.nanoTime();
                store.commit(Map.of());
                long commitNanos = System.nanoTime() - before;
                commits.record(commitNanos);
                slowCommits.record(commitNanos);
                if (i % HEAP_EVERY == 0 || i == intervals) {
                    heap.add(row(i, store));
                    System.out.printf(Locale.ROOT, "%s: interval %d, longest put %.2f ms, longest commit %.2f ms%n",
                            subject, i, puts.max() / 1e6, commits.max() / 1e6);
                }
            }
        }
        String section = String.format(Locale.ROOT, "%n### %s: %,d entries, %,d per interval, %d intervals%n%n"
                        + "| | calls | longest | 99.99%% | over 1 ms | over 1 ms outside GC |%n"
                        + "| :--- | ---: | ---: | ---: | ---: | ---: |%n"
                        + "| put | %,d | %.3f ms | %.1f us | %d | %d |%n"
                        + "| commit | %,d | %.3f ms | %.1f us | %d | %d |%n%n"
                        + "Garbage collections: %d, longest %d ms.%n%n%s",
                subject.label, entries, perInterval, intervals,
                puts.count(), puts.max() / 1e6, puts.valueAtPercentile(99.99) / 1e3, slowPuts.count(),
                slowPuts.outside(gcs), commits.count(), commits.max() / 1e6, commits.valueAtPercentile(99.99) / 1e3,
                slowCommits.count(), slowCommits.outside(gcs), gcs.count(), gcs.longestMillis(), heap);
        System.out.print(section);
        try {
            Files.writeString(Path.of(args[3]), section, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes interval {@code interval}'s new keys at its record time, timing each put if {@code puts} is given. */
    private static void writeInterval(KafkaBenchStore store, int interval, int perInterval, LatencyHistogram puts,
                                      SlowCalls slowPuts) {
        long recordTime = START_TIME + interval * INTERVAL_MS;
        long first = (long) interval * perInterval;
        for (long sequence = first; sequence < first + perInterval; sequence++) {
            byte[] key = EvictionAtScale.id(sequence);
            byte[] value = ByteBuffer.allocate(16).putLong(recordTime).putLong(sequence).array();
            if (puts == null) {
                store.put(key, value);
                continue;
            }
            long before = System.nanoTime();
            store.put(key, value);
            long nanos = System.nanoTime() - before;
            puts.record(nanos);
            slowPuts.record(nanos);
        }
    }

    private static List<String> row(int interval, KafkaBenchStore store) {
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return List.of(Integer.toString(interval), String.format(Locale.ROOT, "%,d", store.approximateNumEntries()),
                String.format(Locale.ROOT, "%,d", used >> 20));
    }

    /** The calls of more than 1 ms: when each ended (JVM uptime) and how long it took. */
    private static final class SlowCalls {
        private final List<long[]> calls = new ArrayList<>();

        void record(long nanos) {
            if (nanos > SLOW_NANOS) {
                calls.add(new long[]{ManagementFactory.getRuntimeMXBean().getUptime(), nanos});
            }
        }

        int count() {
            return calls.size();
        }

        /** How many overlapped no garbage collection (to the millisecond the JVM reports them in). */
        long outside(GcLog gcs) {
            return calls.stream().filter(call -> !gcs.overlaps(call[0] - call[1] / 1_000_000 - 1, call[0])).count();
        }
    }

    /**
     * The garbage collections of the run, from the JVM's notifications: their start and end in milliseconds of JVM
     * uptime, so that a slow call can be told to have overlapped one.
     */
    private static final class GcLog {
        private final List<long[]> pauses = java.util.Collections.synchronizedList(new ArrayList<>());

        GcLog() {
            for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) bean).addNotificationListener((notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                                (CompositeData) notification.getUserData());
                        pauses.add(new long[]{info.getGcInfo().getStartTime(), info.getGcInfo().getEndTime()});
                    }
                }, null, null);
            }
        }

        /** Whether a collection overlapped {@code [fromMillis, toMillis]} (uptime). */
        boolean overlaps(long fromMillis, long toMillis) {
            synchronized (pauses) {
                return pauses.stream().anyMatch(pause -> pause[0] <= toMillis && pause[1] >= fromMillis);
            }
        }

        int count() {
            return pauses.size();
        }

        long longestMillis() {
            synchronized (pauses) {
                return pauses.stream().mapToLong(pause -> pause[1] - pause[0]).max().orElse(0);
            }
        }
    }
}
