package io.bucketmap.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Random key ranges and prefixes over a {@link FilledStore}, drawn once per trial from a fixed seed, so every
 * contender scans the same ones:
 * <ul>
 *   <li>a range of {@value #RANGE_KEYS} consecutive stored keys from a random start, bounds inclusive;
 *   <li>a prefix that leaves the last three digits of the event id free ({@code risk-event-0001234}): 1,000 ids, of
 *       which the stored ones are the even ids, so exactly {@value #PREFIX_KEYS} entries.
 * </ul>
 * The set-up checks these counts on the contender once, so a scan that returns too few or too many entries
 * fails the trial instead of being timed. Stores of a size that is not a multiple of 1,000 fail that check.
 */
@State(Scope.Benchmark)
public class ScanBounds {
    /** Entries in each range. */
    public static final int RANGE_KEYS = 1_000;
    /** Entries under each prefix. */
    public static final int PREFIX_KEYS = 500;
    private static final int FREE_DIGITS = 3;
    private static final int IDS_PER_PREFIX = 1_000;
    private static final int POOL = 1024;

    final byte[][] from = new byte[POOL][];
    final byte[][] to = new byte[POOL][];
    final byte[][] prefixes = new byte[POOL][];
    private int cursor;

    @Setup(Level.Trial)
    public void draw(FilledStore filled) {
        SplittableRandom random = new SplittableRandom(5);
        int prefixCount = (int) (FilledStore.storedId(filled.size) / IDS_PER_PREFIX);
        for (int i = 0; i < POOL; i++) {
            int first = random.nextInt(filled.size - RANGE_KEYS + 1);
            from[i] = RiskEvents.key(FilledStore.storedId(first));
            to[i] = RiskEvents.key(FilledStore.storedId(first + RANGE_KEYS - 1));
            byte[] firstKey = RiskEvents.key((long) random.nextInt(prefixCount) * IDS_PER_PREFIX);
            prefixes[i] = Arrays.copyOf(firstKey, firstKey.length - FREE_DIGITS);
        }
        check("range", filled.store.range(from[0], to[0]), RANGE_KEYS, filled);
        check("prefix scan", filled.store.prefixScan(prefixes[0]), PREFIX_KEYS, filled);
    }

    private static void check(String scan, int entries, int expected, FilledStore filled) {
        if (entries != expected) {
            throw new IllegalStateException(filled.contender + ": a " + scan + " returned " + entries
                    + " entries, expected " + expected);
        }
    }

    /** The index of the next range and prefix to scan; all of them in turn. */
    int next() {
        int index = cursor;
        cursor = (cursor + 1) & (POOL - 1);
        return index;
    }
}
