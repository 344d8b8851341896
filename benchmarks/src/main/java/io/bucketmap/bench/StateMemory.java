package io.bucketmap.bench;

import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * What a store costs in heap as state grows (issue 22): total retained heap per entry, keys and values included, and the
 * objects it holds, for a {@link StateWorkload} filled with fresh key and value arrays on every write (ids ascending, as
 * the baseline was measured), then the heap after deleting 99% of the keys (memory must come back).
 *
 * <p>Retained heap is the used heap after full collections ({@link RetainedHeap#usedHeapAfterGc}) before and after the
 * fill; the objects are the difference of two class histograms ({@link HeapHistogram}), and the classes that grew most
 * are printed. Run one contender per JVM, with a fixed heap ({@code -Xms} = {@code -Xmx}), alternating contenders.
 *
 * <p>Usage: {@code StateMemory <contender> <workload> <entries> <results.csv>}; appends one row.
 */
public final class StateMemory {
    static final String HEADER = "contender,workload,entries,payload_bytes_per_entry,retained_bytes,objects,"
            + "remaining_entries,retained_after_delete_bytes";
    /** Keep one key in this many after mass deletion. */
    private static final int KEEP_ONE_IN = 100;

    private StateMemory() {
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: StateMemory <contender> <workload> <entries> <results.csv>");
        }
        Contender contender = Contender.valueOf(args[0]);
        StateWorkload workload = StateWorkload.valueOf(args[1]);
        int entries = Integer.parseInt(args[2]);
        Path results = Path.of(args[3]);

        BenchStore store = contender.open();
        long empty = RetainedHeap.usedHeapAfterGc();
        // A reading's own map is live during the next reading: take a first one, so that the reading before the fill,
        // like the one after it, counts one such map, and the difference counts only what the fill added.
        Map<String, Long> firstReading = HeapHistogram.objectsByClass();
        Map<String, Long> objectsBefore = HeapHistogram.objectsByClass();
        Reference.reachabilityFence(firstReading);
        firstReading = null;
        for (int i = 0; i < entries; i++) {
            store.put(workload.key(i), workload.value(i, 0));
        }
        long filled = RetainedHeap.usedHeapAfterGc();
        Map<String, Long> objectsAfter = HeapHistogram.objectsByClass();
        long objects = objectsAfter.get("Total") - objectsBefore.get("Total");

        long remaining = 0;
        for (int i = 0; i < entries; i++) {
            if (i % KEEP_ONE_IN == 0) {
                remaining++;
            } else {
                store.delete(workload.key(i));
            }
        }
        long afterDelete = RetainedHeap.usedHeapAfterGc();
        Reference.reachabilityFence(store);
        store.close();

        String row = String.join(",", contender.name(), workload.name(), Integer.toString(entries),
                Integer.toString(workload.payloadBytes()), Long.toString(filled - empty), Long.toString(objects),
                Long.toString(remaining), Long.toString(afterDelete - empty));
        CsvFile.append(results, HEADER, row);
        System.out.println(HEADER);
        System.out.println(row);
        System.out.printf(Locale.ROOT, "%s %s: %.1f bytes/entry retained (payload %d), %d objects (%.3f per 1,000 "
                        + "entries), %.1f bytes per remaining entry after deleting 99%%%n", contender, workload,
                (filled - empty) / (double) entries, workload.payloadBytes(), objects, objects * 1000.0 / entries,
                (afterDelete - empty) / (double) remaining);
        System.out.println("classes that grew most: " + HeapHistogram.largestGrowth(objectsBefore, objectsAfter, 6));
    }
}
