package io.bucketmap.bench;

import io.bucketmap.core.BucketMap;
import io.bucketmap.core.BucketMapStats;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The prototype measurement that chose the arena's page size, address alignment and compaction trigger (issue 22,
 * {@code docs/design.md}, "The arena"): one candidate per JVM, set by the {@code bucketmap.arena.*} system properties the
 * prototype build read, on the core hash-order map.
 * <ol>
 *   <li>fill: {@code entries} entries of a {@link StateWorkload}, ids ascending; retained heap and objects per entry
 *       (as {@link StateMemory} counts them), and the arena's page bytes against its live record bytes;</li>
 *   <li>churn: {@code entries} updates of random ids whose values take 64 to 256 bytes at random (about half grow and
 *       move out of their record, half fit in place), timed; then the arena's page bytes against its record bytes (the
 *       space compaction lets dead records take in a steady state);</li>
 *   <li>mass deletion: 90% of the keys deleted, timed, then the map advanced until compaction rests; page bytes against
 *       record bytes.</li>
 * </ol>
 * Usage: {@code ArenaCandidates <workload> <entries> <results.csv> <candidate label>}; appends one row.
 */
public final class ArenaCandidates {
    static final String HEADER = "candidate,workload,entries,retained_bytes_per_entry,objects_per_1000,fill_page_over_record,"
            + "churn_ns_per_update,churn_page_over_record,delete_ns_per_delete,after_delete_page_over_record";

    private ArenaCandidates() {
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: ArenaCandidates <workload> <entries> <results.csv> <candidate>");
        }
        StateWorkload workload = StateWorkload.valueOf(args[0]);
        int entries = Integer.parseInt(args[1]);
        Path results = Path.of(args[2]);
        String candidate = args[3];

        long empty = RetainedHeap.usedHeapAfterGc();
        Map<String, Long> firstReading = HeapHistogram.objectsByClass();
        Map<String, Long> before = HeapHistogram.objectsByClass();
        Reference.reachabilityFence(firstReading);
        firstReading = null;
        BucketMap map = BucketMap.hashOrdered();
        for (int i = 0; i < entries; i++) {
            map.put(workload.key(i), workload.value(i, 0));
        }
        long filled = RetainedHeap.usedHeapAfterGc();
        long objects = HeapHistogram.objectsByClass().get("Total") - before.get("Total");
        double fillRatio = pageOverRecord(map.stats());

        SplittableRandom random = new SplittableRandom(7);
        long started = System.nanoTime();
        for (int u = 0; u < entries; u++) {
            int id = random.nextInt(entries);
            map.put(workload.key(id), new byte[random.nextInt(64, 257)]);
        }
        long churnNanos = System.nanoTime() - started;
        double churnRatio = pageOverRecord(map.stats());

        started = System.nanoTime();
        for (int i = 0; i < entries; i++) {
            if (i % 10 != 0) {
                map.delete(workload.key(i));
            }
        }
        long deleteNanos = System.nanoTime() - started;
        while (map.advanceMigration(1_024)) {
            // commit-time advances, until compaction rests
        }
        double deletedRatio = pageOverRecord(map.stats());
        Reference.reachabilityFence(map);

        String row = String.join(",", candidate, workload.name(), Integer.toString(entries),
                String.format(Locale.ROOT, "%.1f", (filled - empty) / (double) entries),
                String.format(Locale.ROOT, "%.3f", objects * 1000.0 / entries),
                String.format(Locale.ROOT, "%.3f", fillRatio),
                String.format(Locale.ROOT, "%.0f", churnNanos / (double) entries),
                String.format(Locale.ROOT, "%.3f", churnRatio),
                String.format(Locale.ROOT, "%.0f", deleteNanos / (entries * 0.9)),
                String.format(Locale.ROOT, "%.3f", deletedRatio));
        CsvFile.append(results, HEADER, row);
        System.out.println(HEADER);
        System.out.println(row);
    }

    private static double pageOverRecord(BucketMapStats stats) {
        return stats.arenaBytes() / (double) Math.max(1, stats.recordBytes());
    }
}
