package io.bucketmap.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Bytes;

/**
 * What this machine allows, measured: the floors that issue 12's targets are judged against where a target is missed.
 * <ul>
 *   <li>Memory: the latency of a cache miss that the next read depends on (a pointer chase through a random cycle) and
 *       the cost per read of independent random reads (the processor overlaps their misses), over working sets around
 *       the size of a 1M-entry store (about 270 MB of keys, values and structure). A hash table's get, put or delete
 *       waits on a chain of dependent misses (bucket, key, entry); a walk that reads one random value per entry pays
 *       about one independent read each.</li>
 *   <li>Restore: the changelog of {@link RestoreRate} (1M records, 10% tombstones, ascending ids) into the plainest
 *       maps, {@code HashMap<Bytes, byte[]>} and {@code TreeMap<Bytes, byte[]>}, and only handed over (each record's key
 *       and value read, nothing stored): the floor of any store fed through Kafka's restore callback.</li>
 * </ul>
 * Usage: {@code HardwareFloors [records]}; prints a Markdown table. One JVM, run alone on the machine.
 */
public final class HardwareFloors {
    private static final int CHASE_STEPS = 10_000_000;
    private static final int WARMUP_ROUNDS = 2;
    private static final int ROUNDS = 5;
    /** Where results go so that the JIT cannot drop the loops that made them. */
    private static volatile long sink;

    private HardwareFloors() {
    }

    public static void main(String[] args) {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        System.out.println("| measurement | working set | ns |");
        System.out.println("| :--- | ---: | ---: |");
        for (int megabytes : new int[] {16, 64, 256}) {
            int[] cycle = randomCycle(megabytes * (1 << 20) / Integer.BYTES);
            System.out.printf(Locale.ROOT, "| dependent miss (pointer chase) | %d MB | %.1f |%n", megabytes, dependentMissNanos(cycle));
            System.out.printf(Locale.ROOT, "| independent random read | %d MB | %.1f |%n", megabytes, independentReadNanos(cycle));
        }
        List<List<ConsumerRecord<byte[], byte[]>>> changelog = RestoreRate.changelog(records);
        System.out.println();
        System.out.println("| restore of " + records + " changelog records into | ms (median of " + ROUNDS + ") | records/s | ns/record |");
        System.out.println("| :--- | ---: | ---: | ---: |");
        restoreRow("only handed over (key and value read)", changelog, null);
        restoreRow("HashMap<Bytes, byte[]>", changelog, HashMap::new);
        restoreRow("TreeMap<Bytes, byte[]>", changelog, TreeMap::new);
    }

    /** A permutation that is one cycle through all {@code size} slots, in random order. */
    private static int[] randomCycle(int size) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(1);
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        int[] next = new int[size];
        for (int i = 0; i < size; i++) {
            next[order[i]] = order[(i + 1) % size];
        }
        return next;
    }

    private static double dependentMissNanos(int[] cycle) {
        double best = Double.MAX_VALUE;
        int at = 0;
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < CHASE_STEPS; i++) {
                at = cycle[at];
            }
            best = Math.min(best, (System.nanoTime() - start) / (double) CHASE_STEPS);
        }
        consume(at);
        return best;
    }

    private static double independentReadNanos(int[] cycle) {
        double best = Double.MAX_VALUE;
        long sum = 0;
        for (int round = 0; round < 3; round++) {
            int state = 12_345;
            long start = System.nanoTime();
            for (int i = 0; i < CHASE_STEPS; i++) {
                state = state * 1_103_515_245 + 12_345; // the next index does not depend on what was read
                sum += cycle[(state >>> 1) % cycle.length];
            }
            best = Math.min(best, (System.nanoTime() - start) / (double) CHASE_STEPS);
        }
        consume(sum);
        return best;
    }

    /** Restores into a fresh map per round ({@code maps == null}: reads each record's key and value only). */
    private static void restoreRow(String label, List<List<ConsumerRecord<byte[], byte[]>>> changelog,
                                   Supplier<Map<Bytes, byte[]>> maps) {
        long[] millis = new long[ROUNDS];
        for (int round = -WARMUP_ROUNDS; round < ROUNDS; round++) {
            System.gc();
            long start = System.nanoTime();
            long sink = maps == null ? handOver(changelog) : restore(changelog, maps.get());
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            consume(sink);
            if (round >= 0) {
                millis[round] = elapsed;
            }
        }
        Arrays.sort(millis);
        long median = Math.max(1, millis[ROUNDS / 2]);
        long records = changelog.stream().mapToLong(List::size).sum();
        System.out.printf(Locale.ROOT, "| %s | %d | %,.0f | %.0f |%n", label, median, records * 1000.0 / median,
                median * 1e6 / records);
    }

    private static long handOver(List<List<ConsumerRecord<byte[], byte[]>>> changelog) {
        long sum = 0;
        for (List<ConsumerRecord<byte[], byte[]>> batch : changelog) {
            for (ConsumerRecord<byte[], byte[]> record : batch) {
                sum += record.key().length + (record.value() == null ? 0 : record.value().length);
            }
        }
        return sum;
    }

    private static long restore(List<List<ConsumerRecord<byte[], byte[]>>> changelog, Map<Bytes, byte[]> map) {
        for (List<ConsumerRecord<byte[], byte[]>> batch : changelog) {
            for (ConsumerRecord<byte[], byte[]> record : batch) {
                if (record.value() == null) {
                    map.remove(Bytes.wrap(record.key()));
                } else {
                    map.put(Bytes.wrap(record.key()), record.value());
                }
            }
        }
        return map.size();
    }

    private static void consume(long value) {
        sink += value;
    }
}
