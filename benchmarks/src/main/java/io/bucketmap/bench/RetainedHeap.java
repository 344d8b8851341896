package io.bucketmap.bench;

import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Heap a store retains per entry, measured from outside: used heap after full collections, before and after
 * filling it with N fresh key and value arrays (which only the store references), then again after deleting
 * 99% of the keys. The key and value arrays' own bytes are computed exactly, so the report can give the
 * store's overhead beyond them. Heap only: RocksDB keeps its data off-heap, so it is not measured here.
 *
 * <p>Used heap is read after {@link System#gc()} repeated until two readings agree within 0.1% (at most
 * {@value #MAX_GCS} times): one full collection can leave garbage that a second one frees (reference
 * processing, G1 region accounting).
 *
 * <p>Usage: {@code RetainedHeap <contender> <entries> <results.csv>}; appends one row. Run one contender per JVM.
 */
public final class RetainedHeap {
    static final String HEADER = "contender,entries,retained_bytes,payload_bytes,"
            + "remaining_entries,retained_after_delete_bytes,payload_after_delete_bytes";
    private static final int MAX_GCS = 8;
    /** Keep one key in this many after mass deletion. */
    private static final int KEEP_ONE_IN = 100;

    private RetainedHeap() {
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: RetainedHeap <contender> <entries> <results.csv>");
        }
        Contender contender = Contender.valueOf(args[0]);
        int entries = Integer.parseInt(args[1]);
        Path results = Path.of(args[2]);

        BenchStore store = contender.open();
        long empty = usedHeapAfterGc();
        long payload = 0;
        for (int i = 0; i < entries; i++) {
            byte[] key = RiskEvents.key(i);
            byte[] value = RiskEvents.value(i);
            payload += RiskEvents.heapBytes(key) + RiskEvents.heapBytes(value);
            store.put(key, value);
        }
        long filled = usedHeapAfterGc();

        long remaining = 0;
        long remainingPayload = 0;
        for (int i = 0; i < entries; i++) {
            if (i % KEEP_ONE_IN == 0) {
                byte[] value = store.get(RiskEvents.key(i));
                remaining++;
                remainingPayload += RiskEvents.heapBytes(RiskEvents.key(i)) + RiskEvents.heapBytes(value);
            } else {
                store.delete(RiskEvents.key(i));
            }
        }
        long afterDelete = usedHeapAfterGc();
        Reference.reachabilityFence(store);
        store.close();

        String row = String.join(",", contender.name(), Integer.toString(entries),
                Long.toString(filled - empty), Long.toString(payload), Long.toString(remaining),
                Long.toString(afterDelete - empty), Long.toString(remainingPayload));
        CsvFile.append(results, HEADER, row);
        System.out.println(HEADER);
        System.out.println(row);
        System.out.printf(Locale.ROOT, "%s: %.1f bytes/entry retained, %.1f of them key and value arrays%n",
                contender, (filled - empty) / (double) entries, payload / (double) entries);
    }

    /** Used heap after full collections, repeated until two readings agree within 0.1% (at most {@value #MAX_GCS}). */
    static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        long previous = Long.MAX_VALUE;
        long used = 0;
        for (int i = 0; i < MAX_GCS; i++) {
            System.gc();
            used = runtime.totalMemory() - runtime.freeMemory();
            if (Math.abs(previous - used) <= used / 1000) {
                break;
            }
            previous = used;
        }
        return used;
    }
}
