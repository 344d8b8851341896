package io.bucketmap.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.common.TopicPartition;

/**
 * What the persistent bucket-map store costs in steady state, against the in-memory one: the store is filled with
 * {@code entries} risk events and committed; then each of {@value #ROUNDS} rounds updates {@code changed} random
 * existing keys (made before timing; timed per put: the persistent store also records each key for its next
 * commit) and commits (timed:
 * the persistent store writes the changed entries and the offsets to RocksDB in one write batch through the
 * write-ahead log; the in-memory store only moves a running migration along). One warm-up round first.
 *
 * <p>Usage: {@code PersistenceCost <contender> <entries> <changed per commit> <results.csv>}; appends one row.
 * Run one contender per JVM.
 */
public final class PersistenceCost {
    static final String HEADER = "contender,entries,changed_per_commit,rounds,put_ns_median,commit_ms_median,"
            + "commit_ms_max";
    static final int ROUNDS = 5;
    private static final TopicPartition CHANGELOG = new TopicPartition("bench-changelog", 0);

    private PersistenceCost() {
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            throw new IllegalArgumentException(
                    "usage: PersistenceCost <contender> <entries> <changed per commit> <results.csv>");
        }
        Contender contender = Contender.valueOf(args[0]);
        String row = measure(contender, Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        CsvFile.append(Path.of(args[3]), HEADER, row);
        System.out.println(HEADER);
        System.out.println(row);
    }

    /** Runs the measurement; returns the CSV row. */
    static String measure(Contender contender, int entries, int changed) {
        if (!contender.isKafkaStore()) {
            throw new IllegalArgumentException(contender + " is not a Kafka Streams store: it has no commit");
        }
        try (KafkaBenchStore store = KafkaBenchStore.open(contender.storeSupplier("persistence-cost"))) {
            for (long id = 0; id < entries; id++) {
                store.put(RiskEvents.key(id), RiskEvents.value(id));
            }
            long offset = entries;
            store.commit(Map.of(CHANGELOG, offset));
            SplittableRandom random = new SplittableRandom(42);
            long[] putNanos = new long[ROUNDS];
            long[] commitNanos = new long[ROUNDS];
            byte[][] keys = new byte[changed][];
            byte[][] values = new byte[changed][];
            for (int round = -1; round < ROUNDS; round++) {
                for (int i = 0; i < changed; i++) {
                    long id = random.nextInt(entries);
                    keys[i] = RiskEvents.key(id);
                    values[i] = RiskEvents.value(id + round + 1);
                }
                long started = System.nanoTime();
                for (int i = 0; i < changed; i++) {
                    store.put(keys[i], values[i]);
                }
                long committing = System.nanoTime();
                offset += changed;
                store.commit(Map.of(CHANGELOG, offset));
                long committed = System.nanoTime();
                if (round >= 0) {
                    putNanos[round] = (committing - started) / changed;
                    commitNanos[round] = committed - committing;
                }
            }
            checkNoEntryWasLost(store, entries);
            Arrays.sort(putNanos);
            Arrays.sort(commitNanos);
            return String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%.1f,%.1f", contender.name(), entries, changed,
                    ROUNDS, putNanos[ROUNDS / 2], commitNanos[ROUNDS / 2] / 1e6, commitNanos[ROUNDS - 1] / 1e6);
        }
    }

    /** A sample of the keys is still there: a benchmark that lost data is void. */
    private static void checkNoEntryWasLost(KafkaBenchStore store, int entries) {
        for (long id = 0; id < entries; id += Math.max(1, entries / 1_000)) {
            if (store.get(RiskEvents.key(id)) == null) {
                throw new IllegalStateException("event " + id + " is missing after the rounds");
            }
        }
    }
}
