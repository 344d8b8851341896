package io.bucketmap.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The floor of a copying read, for {@link HardwareFloors}: {@code records} records of the benchmark events' sizes
 * ({@link RiskEvents}: 21-byte key, 64-256-byte value) packed one after another in 256 KB pages, as the arena packs
 * them, and read at random, each read independent of the last (as the lookups of a benchmark or of a stream task are).
 * Three ways to read a value: its first byte only (a store that hands out its own array, to a caller that reads one
 * byte of it), a copy into a fresh array (the arena's get) whose first byte is read, and one byte of each of its cache lines
 * in place (the memory a caller deserializing the array a store handed it waits for). The copy's cost over the first is what copying out costs a store whose
 * callers do not read the value; over the third, what it costs one whose callers do.
 */
final class CopyOutFloor {
    private static final int PAGE_BYTES = 1 << 18;
    private static final int KEY_BYTES = 21;
    private static final int CACHE_LINE = 64;
    private static final int READS = 5_000_000;
    private static final int ROUNDS = 3;

    private final byte[][] pages;
    /** Per record: its page in the high bits, the value's offset in the low 18. */
    private final int[] places;
    private final int[] lengths;
    /** Copies stay reachable for a while, as a caller's would, so that none is optimized away. */
    private final byte[][] held = new byte[1024][];

    private CopyOutFloor(int records) {
        SplittableRandom random = new SplittableRandom(11);
        places = new int[records];
        lengths = new int[records];
        long totalBytes = 0;
        for (int i = 0; i < records; i++) {
            lengths[i] = random.nextInt(RiskEvents.MIN_VALUE_BYTES, RiskEvents.MAX_VALUE_BYTES + 1);
            totalBytes += 2 + KEY_BYTES + lengths[i];
        }
        pages = new byte[(int) (totalBytes / PAGE_BYTES) + 2][];
        int page = 0;
        int offset = 0;
        pages[0] = new byte[PAGE_BYTES];
        random.nextBytes(pages[0]);
        for (int i = 0; i < records; i++) {
            int extent = 2 + KEY_BYTES + lengths[i];
            if (offset + extent > PAGE_BYTES) {
                pages[++page] = new byte[PAGE_BYTES];
                random.nextBytes(pages[page]);
                offset = 0;
            }
            places[i] = (page << 18) | (offset + 2 + KEY_BYTES);
            offset += extent;
        }
    }

    static void printRows(int records) {
        CopyOutFloor floor = new CopyOutFloor(records);
        System.out.println("| read of a random " + RiskEvents.MIN_VALUE_BYTES + "-" + RiskEvents.MAX_VALUE_BYTES
                + "-byte value among " + records + " in 256 KB pages | ns per read (best of " + ROUNDS + ") |");
        System.out.println("| :--- | ---: |");
        for (int way = 0; way < 3; way++) {
            floor.read(way); // warm-up
        }
        System.out.printf(Locale.ROOT, "| its first byte (the stored array handed out) | %.1f |%n", floor.best(0));
        System.out.printf(Locale.ROOT, "| copied into a fresh array, first byte read (the arena's get) | %.1f |%n",
                floor.best(1));
        System.out.printf(Locale.ROOT, "| every cache line of it read in place (the handed-out array deserialized) | %.1f |%n",
                floor.best(2));
        System.out.println();
    }

    private double best(int way) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            best = Math.min(best, read(way));
        }
        return best;
    }

    /** Nanoseconds per read of {@value #READS} random values, the {@code way}-th way. */
    private double read(int way) {
        int state = 12_345;
        long sum = 0;
        long start = System.nanoTime();
        for (int i = 0; i < READS; i++) {
            state = state * 1_103_515_245 + 12_345;
            int record = (state >>> 1) % places.length;
            byte[] page = pages[places[record] >>> 18];
            int at = places[record] & (PAGE_BYTES - 1);
            if (way == 0) {
                sum += page[at];
            } else if (way == 1) {
                byte[] copy = Arrays.copyOfRange(page, at, at + lengths[record]);
                held[i & (held.length - 1)] = copy;
                sum += copy[0];
            } else {
                int end = at + lengths[record];
                for (int b = at; b < end; b += CACHE_LINE) {
                    sum += page[b];
                }
                sum += page[end - 1];
            }
        }
        double nanos = (System.nanoTime() - start) / (double) READS;
        HardwareFloors.consume(sum);
        return nanos;
    }
}
