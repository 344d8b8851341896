package io.bucketmap.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.common.TopicPartition;

/**
 * How long a commit holds the stream thread under continuous updates, with commits triggered the way Kafka Streams
 * 4.4's stream thread triggers them: when the commit interval has passed, or when the stores' uncommitted bytes
 * ({@code StateStore.approximateNumUncommittedBytes()}) exceed the thread's share of
 * {@code statestore.uncommitted.max.bytes} (64 MB by default, one thread here), checked once per batch of
 * {@value #UPDATES_PER_POLL} updates, as the thread checks once per poll loop. The store holds {@code entries} risk
 * events; each update puts a new value for a random existing key, as fast as one thread can.
 *
 * <p>Usage: {@code CommitPause <contender> <entries> <seconds> <max uncommitted bytes> <commit interval ms>
 * <results.csv>}; appends one row. Run one contender per JVM.
 */
public final class CommitPause {
    static final String HEADER = "contender,entries,seconds,max_uncommitted_bytes,commit_interval_ms,updates_per_s,"
            + "commits,commits_by_bytes,commit_ms_median,commit_ms_p99,commit_ms_max";
    static final int UPDATES_PER_POLL = 500;
    private static final TopicPartition CHANGELOG = new TopicPartition("bench-changelog", 0);

    private CommitPause() {
    }

    public static void main(String[] args) {
        if (args.length != 6) {
            throw new IllegalArgumentException("usage: CommitPause <contender> <entries> <seconds> "
                    + "<max uncommitted bytes> <commit interval ms> <results.csv>");
        }
        String row = measure(Contender.valueOf(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Long.parseLong(args[3]), Long.parseLong(args[4]));
        CsvFile.append(Path.of(args[5]), HEADER, row);
        System.out.println(HEADER);
        System.out.println(row);
    }

    /** Runs the measurement; returns the CSV row. */
    static String measure(Contender contender, int entries, int seconds, long maxUncommittedBytes,
                          long commitIntervalMs) {
        if (!contender.isKafkaStore()) {
            throw new IllegalArgumentException(contender + " is not a Kafka Streams store: it has no commit");
        }
        try (KafkaBenchStore store = KafkaBenchStore.open(contender.storeSupplier("commit-pause"))) {
            for (long id = 0; id < entries; id++) {
                store.put(RiskEvents.key(id), RiskEvents.value(id));
            }
            long offset = entries;
            store.commit(Map.of(CHANGELOG, offset));
            SplittableRandom random = new SplittableRandom(7);
            long[] pauses = new long[1024];
            int commits = 0;
            int commitsByBytes = 0;
            long updates = 0;
            long started = System.nanoTime();
            long ends = started + seconds * 1_000_000_000L;
            long lastCommit = started;
            long now = started;
            while (now - ends < 0) {
                for (int i = 0; i < UPDATES_PER_POLL; i++) {
                    long id = random.nextInt(entries);
                    store.put(RiskEvents.key(id), RiskEvents.value(id + updates + i));
                }
                updates += UPDATES_PER_POLL;
                offset += UPDATES_PER_POLL;
                now = System.nanoTime();
                boolean byBytes = maxUncommittedBytes > 0 && store.uncommittedBytes() > maxUncommittedBytes;
                if (byBytes || now - lastCommit >= commitIntervalMs * 1_000_000L) {
                    store.commit(Map.of(CHANGELOG, offset));
                    long committed = System.nanoTime();
                    if (commits == pauses.length) {
                        pauses = Arrays.copyOf(pauses, commits * 2);
                    }
                    pauses[commits++] = committed - now;
                    commitsByBytes += byBytes ? 1 : 0;
                    lastCommit = committed;
                    now = committed;
                }
            }
            double updatesPerSecond = updates / ((now - started) / 1e9);
            long[] sorted = Arrays.copyOf(pauses, commits);
            Arrays.sort(sorted);
            return String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%.0f,%d,%d,%.1f,%.1f,%.1f", contender.name(), entries,
                    seconds, maxUncommittedBytes, commitIntervalMs, updatesPerSecond, commits, commitsByBytes,
                    percentileMs(sorted, 0.5), percentileMs(sorted, 0.99), percentileMs(sorted, 1.0));
        }
    }

    private static double percentileMs(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
