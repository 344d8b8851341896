package io.bucketmap.bench;

import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Steady updates of random keys in a filled store (issue 22): update throughput and the collector's time, the cost a
 * store's number of objects puts on every collection. The store is filled with a {@link StateWorkload} (ids ascending),
 * then {@code updates / 4} untimed updates warm the JIT, then {@code updates} updates of ids drawn at random (the same
 * sequence for every contender) are timed, each with a fresh key and a fresh value array, as Kafka's change-logging
 * layer hands them over. The collections are read from the collector beans ({@link GcPauses}). Run one contender per
 * JVM with a fixed heap, alternating contenders.
 *
 * <p>Usage: {@code SteadyUpdates <contender> <workload> <entries> <updates> <results.csv>}; appends one row.
 */
public final class SteadyUpdates {
    static final String HEADER = "contender,workload,entries,updates,elapsed_ms,gc_count,gc_ms,longest_gc_ms";

    private SteadyUpdates() {
    }

    public static void main(String[] args) {
        if (args.length != 5) {
            throw new IllegalArgumentException(
                    "usage: SteadyUpdates <contender> <workload> <entries> <updates> <results.csv>");
        }
        Contender contender = Contender.valueOf(args[0]);
        StateWorkload workload = StateWorkload.valueOf(args[1]);
        int entries = Integer.parseInt(args[2]);
        long updates = Long.parseLong(args[3]);
        Path results = Path.of(args[4]);

        BenchStore store = contender.open();
        for (int i = 0; i < entries; i++) {
            store.put(workload.key(i), workload.value(i, 0));
        }
        update(store, workload, entries, updates / 4, new SplittableRandom(1), null);
        System.gc();
        GcPauses collections = new GcPauses();
        long started = System.nanoTime();
        update(store, workload, entries, updates, new SplittableRandom(2), collections);
        long elapsedNanos = System.nanoTime() - started;
        collections.poll();
        Reference.reachabilityFence(store);
        store.close();

        String row = String.join(",", contender.name(), workload.name(), Integer.toString(entries),
                Long.toString(updates), Long.toString(elapsedNanos / 1_000_000), Long.toString(collections.count()),
                Long.toString(collections.elapsedMillis()), Long.toString(collections.longestMillis()));
        CsvFile.append(results, HEADER, row);
        System.out.println(HEADER);
        System.out.println(row);
        System.out.printf(Locale.ROOT, "%s %s: %,.0f updates/s, %d collections taking %d ms (%.1f%% of the run)%n",
                contender, workload, updates / (elapsedNanos / 1e9), collections.count(), collections.elapsedMillis(),
                100.0 * collections.elapsedMillis() / (elapsedNanos / 1e6));
    }

    /** {@code updates} updates of random ids; polls {@code collections}, if given, every 65,536 updates. */
    private static void update(BenchStore store, StateWorkload workload, int entries, long updates,
                               SplittableRandom random, GcPauses collections) {
        for (long u = 0; u < updates; u++) {
            int id = random.nextInt(entries);
            store.put(workload.key(id), workload.value(id, u + 1));
            if (collections != null && (u & 0xFFFF) == 0) {
                collections.poll();
            }
        }
    }
}
