package io.bucketmap.bench;

import io.bucketmap.eviction.ExpiryHandler;
import io.bucketmap.examples.risk.EvictionVariant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Eviction at scale, issue 12: the cost of one punctuation that expires 1% of a large pending store, with the
 * deadline index ({@link EvictionVariant#DEADLINE_INDEX}, {@code DeadlineTracker.expire}) and with a sweep of
 * the whole pending store ({@link EvictionVariant#STORE_SCAN}, the classic punctuator). Goal: the index at least
 * {@value #GOAL_RATIO}x cheaper per punctuation.
 *
 * <p>Workload: entry {@code s} (sequence number from 0) has deadline {@code s} ms, a risk-event key whose id is
 * {@code s} scrambled (so key order says nothing about deadline order: a sweep meets expired entries everywhere,
 * and the index's gets and deletes land anywhere in the pending store) and a value of {@value #MIN_VALUE_BYTES}
 * to {@value #MAX_VALUE_BYTES} bytes, {@code 64..100} bytes stored with the deadline. {@code entries} entries
 * are added, then punctuation {@code p} (from 1) expires at {@code now = p * step - 1} with
 * {@code step = entries / }{@value #EXPIRED_ONE_IN}, which is due for exactly the {@code step} entries of
 * sequences {@code [(p - 1) * step, p * step)}; after it, unmeasured, {@code step} new entries with later
 * deadlines are added, so every punctuation sees {@code entries} pending. Each punctuation's expire call alone
 * is timed with {@link System#nanoTime}, and checked: the handler must see exactly the due deadlines, once each.
 * {@value #WARMUP_PUNCTUATIONS} warm-up punctuations, then {@value #PUNCTUATIONS} measured; median and worst.
 *
 * <p>Both variants run in one JVM, index first, each on fresh stores after a {@code System.gc()}. Reported per
 * variant, for context: the time to add the first {@code entries} entries, and the used heap after a
 * {@code System.gc()} once they are in.
 *
 * <p>Usage: {@code EvictionAtScale <contender> <entries> <results.md>}, contender one of
 * {@link PendingEntries#CONTENDERS}; appends a Markdown section to the file and prints it.
 */
public final class EvictionAtScale {
    /** The share of the pending entries that expires per punctuation: one in this many. */
    static final int EXPIRED_ONE_IN = 100;
    /** Value lengths before the 8-byte deadline is put in front: 64 to 100 bytes stored. */
    static final int MIN_VALUE_BYTES = 56;
    static final int MAX_VALUE_BYTES = 92;
    private static final int WARMUP_PUNCTUATIONS = 5;
    private static final int PUNCTUATIONS = 15;
    private static final int GOAL_RATIO = 100;
    /** Odd, so multiplying by it modulo 2^33 is a bijection: distinct sequences get distinct ids below 10^10. */
    private static final long ID_SCRAMBLER = 0x9E3779B1L;
    private static final long ID_MASK = (1L << 33) - 1;

    /** What one variant measured; times in nanoseconds. */
    private record Measurement(long buildNanos, long usedHeapBytes, long medianNanos, long worstNanos, long gcs,
                               long gcMillis) {
    }

    private EvictionAtScale() {
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: EvictionAtScale <contender> <entries> <results.md>");
        }
        Contender contender = Contender.valueOf(args[0]);
        int entries = Integer.parseInt(args[1]);
        if (expiredPerPunctuation(entries) == 0) {
            throw new IllegalArgumentException("entries must be at least " + EXPIRED_ONE_IN + ": " + entries);
        }
        Map<EvictionVariant, Measurement> measurements = new EnumMap<>(EvictionVariant.class);
        for (EvictionVariant variant : List.of(EvictionVariant.DEADLINE_INDEX, EvictionVariant.STORE_SCAN)) {
            measurements.put(variant, measure(variant, contender, entries));
        }
        String section = report(contender, entries, measurements);
        System.out.print(section);
        try {
            Files.writeString(Path.of(args[2]), section, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Measurement measure(EvictionVariant variant, Contender contender, int entries) {
        System.gc();
        try (PendingEntries pending = PendingEntries.open(variant, contender)) {
            long started = System.nanoTime();
            add(pending, 0, entries);
            long buildNanos = System.nanoTime() - started;
            System.gc();
            long usedHeap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf(Locale.ROOT, "%s %s: %,d entries added in %.1f s, %,d MB used heap%n", contender,
                variant, entries, buildNanos / 1e9, usedHeap >> 20);

            for (int punctuation = 1; punctuation <= WARMUP_PUNCTUATIONS; punctuation++) {
                expireDue(pending, entries, punctuation);
                addNext(pending, entries, punctuation);
            }
            long[] nanos = new long[PUNCTUATIONS];
            GcPauses gcs = new GcPauses();
            long gcsInPunctuations = 0;
            long gcMillisInPunctuations = 0;
            for (int i = 0; i < PUNCTUATIONS; i++) {
                int punctuation = WARMUP_PUNCTUATIONS + 1 + i;
                long gcsBefore = gcs.count();
                long gcMillisBefore = gcs.elapsedMillis();
                nanos[i] = expireDue(pending, entries, punctuation);
                gcsInPunctuations += gcs.count() - gcsBefore;
                gcMillisInPunctuations += gcs.elapsedMillis() - gcMillisBefore;
                addNext(pending, entries, punctuation);
                System.out.printf(Locale.ROOT, "%s %s: punctuation %d took %.1f ms%n", contender, variant, i + 1,
                    nanos[i] / 1e6);
            }
            Arrays.sort(nanos);
            return new Measurement(buildNanos, usedHeap, nanos[PUNCTUATIONS / 2], nanos[PUNCTUATIONS - 1],
                gcsInPunctuations, gcMillisInPunctuations);
        }
    }

    private static String report(Contender contender, int entries, Map<EvictionVariant, Measurement> measurements) {
        int step = expiredPerPunctuation(entries);
        MarkdownTable table = new MarkdownTable(List.of("variant", "build s", "used heap MB", "median ms",
            "worst ms", "ns per expired entry (median)", "GCs in measured punctuations (ms)"));
        measurements.forEach((variant, m) -> table.add(List.of(variant.name(),
            String.format(Locale.ROOT, "%.1f", m.buildNanos() / 1e9),
            String.format(Locale.ROOT, "%,d", m.usedHeapBytes() >> 20),
            String.format(Locale.ROOT, "%.2f", m.medianNanos() / 1e6),
            String.format(Locale.ROOT, "%.2f", m.worstNanos() / 1e6),
            String.format(Locale.ROOT, "%,.0f", (double) m.medianNanos() / step),
            String.format(Locale.ROOT, "%d (%d)", m.gcs(), m.gcMillis()))));
        double ratio = (double) measurements.get(EvictionVariant.STORE_SCAN).medianNanos()
            / measurements.get(EvictionVariant.DEADLINE_INDEX).medianNanos();
        return String.format(Locale.ROOT, "%n### %s: %,d pending, %,d expiring per punctuation%n%n"
                + "%d warm-up punctuations, %d measured.%n%n%s%n"
                + "STORE_SCAN / DEADLINE_INDEX, median per punctuation: %.1fx (goal >= %dx: %s)%n",
            contender.label(), entries, step, WARMUP_PUNCTUATIONS, PUNCTUATIONS, table, ratio, GOAL_RATIO,
            ratio >= GOAL_RATIO ? "met" : "missed");
    }

    /** How many entries each punctuation expires when {@code entries} are pending. */
    static int expiredPerPunctuation(int entries) {
        return entries / EXPIRED_ONE_IN;
    }

    /** Adds the entries of sequences {@code from} (inclusive) to {@code to} (exclusive). */
    static void add(PendingEntries pending, long from, long to) {
        for (long sequence = from; sequence < to; sequence++) {
            pending.add(id(sequence), value(sequence), sequence);
        }
    }

    /**
     * Punctuation {@code punctuation} (from 1) over {@code entries} pending entries: expires the due ones and
     * checks that they were exactly those due.
     *
     * @return nanoseconds of the expire call alone
     * @throws IllegalStateException if the handler did not see each due deadline exactly once
     */
    static long expireDue(PendingEntries pending, int entries, int punctuation) {
        int step = expiredPerPunctuation(entries);
        long firstDue = (long) (punctuation - 1) * step;
        DueDeadlines due = new DueDeadlines(firstDue, step);
        long started = System.nanoTime();
        int expired = pending.expire(firstDue + step - 1, due);
        long elapsed = System.nanoTime() - started;
        due.checkAllSeen(expired);
        return elapsed;
    }

    /** After punctuation {@code punctuation}: adds as many entries as it expired, with the next deadlines. */
    static void addNext(PendingEntries pending, int entries, int punctuation) {
        int step = expiredPerPunctuation(entries);
        long first = entries + (long) (punctuation - 1) * step;
        add(pending, first, first + step);
    }

    /** The key of entry {@code sequence}: a risk-event key, its id a bijective scramble of the sequence. */
    static byte[] id(long sequence) {
        return RiskEvents.key((sequence * ID_SCRAMBLER) & ID_MASK);
    }

    /** The value of entry {@code sequence}: pseudo-random bytes, its length spread evenly over 56..92. */
    static byte[] value(long sequence) {
        SplittableRandom random = new SplittableRandom(sequence);
        byte[] value = new byte[random.nextInt(MIN_VALUE_BYTES, MAX_VALUE_BYTES + 1)];
        random.nextBytes(value);
        return value;
    }

    /**
     * The handler of one punctuation: checks that each expired entry's deadline is one of the due ones and comes
     * once, and that its value is whole. A bit per due deadline, so the check costs both variants the same few
     * nanoseconds per expired entry.
     */
    private static final class DueDeadlines implements ExpiryHandler<byte[], byte[]> {
        private final long first;
        private final int count;
        private final BitSet seen;

        DueDeadlines(long first, int count) {
            this.first = first;
            this.count = count;
            this.seen = new BitSet(count);
        }

        @Override
        public void expired(byte[] id, byte[] value, long deadline) {
            long offset = deadline - first;
            if (offset < 0 || offset >= count || seen.get((int) offset)) {
                throw new IllegalStateException("expired an entry that was not due, or twice: deadline " + deadline);
            }
            if (value.length < MIN_VALUE_BYTES || value.length > MAX_VALUE_BYTES) {
                throw new IllegalStateException("expired a value of " + value.length + " bytes");
            }
            seen.set((int) offset);
        }

        void checkAllSeen(int expired) {
            if (expired != count || seen.cardinality() != count) {
                throw new IllegalStateException("expected " + count + " due entries, expired " + expired
                    + ", handler saw " + seen.cardinality());
            }
        }
    }
}
