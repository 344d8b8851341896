package io.bucketmap.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Changelog restore rate, item 6 of issue 6: records per second through the restore callback a Kafka Streams store
 * registers on init, fed as Kafka's state updater feeds it: batches of {@value #BATCH_SIZE} raw changelog records
 * (the restore consumer's default {@code max.poll.records}), through {@link RestoreCapturingContext}.
 *
 * <p>The changelog: record {@code i} puts event {@code i} (21-byte key, 64-256-byte value), except every
 * {@value #TOMBSTONE_EVERY}th record, a tombstone for the key put {@value #TOMBSTONE_EVERY}-1 records before
 * (as events in the risk example are deleted once decided): 90% puts of new keys, 10% deletes. In key order
 * {@code ASCENDING} (the default) event {@code i} has id {@code i}, so keys arrive in ascending order (a changelog of
 * sequential ids); in {@code RANDOM} its id is {@code i} scrambled by an odd multiplier modulo 2^33, so keys arrive
 * in no order (a changelog of user ids, issue 22). All records are made
 * before timing. The JIT is warmed by {@value #WARMUP_ROUNDS} untimed restores of the whole changelog into throwaway
 * stores (a warm-up of 200,000 records left the bucket-map stores' growth paths uncompiled: their first timed rounds
 * took 2-3x their later ones, while Kafka's in-memory store was warm after it); then {@value #ROUNDS} rounds each restore the whole changelog into a fresh store, after a {@code System.gc()} so
 * that no earlier round's garbage is collected on this round's time. Each round is checked (the first ten ids
 * present or deleted as the changelog says) before its store closes.
 *
 * <p>Usage: {@code RestoreRate <contender> <records> <results.csv> [ASCENDING|RANDOM]}; appends one row. Run one
 * contender per JVM.
 */
public final class RestoreRate {
    static final String HEADER = "contender,records,tombstones,batch_size,rounds,median_ms,min_ms,max_ms,key_order";
    /** Odd, so multiplying by it modulo 2^33 is a bijection: distinct offsets get distinct ids below 10^10. */
    private static final long ID_SCRAMBLER = 0x9E3779B1L;
    private static final long ID_MASK = (1L << 33) - 1;
    /** Records per batch handed to the callback. */
    static final int BATCH_SIZE = 1_000;
    private static final int TOMBSTONE_EVERY = 10;
    private static final int WARMUP_ROUNDS = 2;
    private static final int ROUNDS = 5;
    private static final String TOPIC = "bench-changelog";
    /** Read-only: with IQ consistency vectors off, as by default, the callbacks never look at the headers. */
    private static final RecordHeaders NO_HEADERS = new RecordHeaders();

    private RestoreRate() {
    }

    public static void main(String[] args) {
        if (args.length != 3 && args.length != 4) {
            throw new IllegalArgumentException("usage: RestoreRate <contender> <records> <results.csv> [ASCENDING|RANDOM]");
        }
        Contender contender = Contender.valueOf(args[0]);
        int records = Integer.parseInt(args[1]);
        Path results = Path.of(args[2]);
        boolean random = args.length == 4 && args[3].equals("RANDOM");
        if (!contender.isKafkaStore()) {
            throw new IllegalArgumentException(contender + " is not a Kafka Streams store: it has no restore callback");
        }

        List<List<ConsumerRecord<byte[], byte[]>>> changelog = changelog(records, random);
        for (int round = 0; round < WARMUP_ROUNDS; round++) {
            restoreAndCheck(contender, changelog, random);
        }
        long[] millis = new long[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            System.gc();
            millis[round] = restoreAndCheck(contender, changelog, random) / 1_000_000;
        }
        Arrays.sort(millis);

        String row = String.join(",", contender.name(), Integer.toString(records),
                Integer.toString(records / TOMBSTONE_EVERY), Integer.toString(BATCH_SIZE), Integer.toString(ROUNDS),
                Long.toString(millis[ROUNDS / 2]), Long.toString(millis[0]), Long.toString(millis[ROUNDS - 1]),
                random ? "RANDOM" : "ASCENDING");
        CsvFile.append(results, HEADER, row);
        System.out.println(HEADER);
        System.out.println(row);
        System.out.printf(Locale.ROOT, "%s: %,.0f records/s (median of %d rounds)%n",
                contender, records * 1000.0 / millis[ROUNDS / 2], ROUNDS);
    }

    /**
     * The changelog of {@code records} records in batches of {@value #BATCH_SIZE}, offsets from 0.
     *
     * @throws IllegalArgumentException unless {@code records} is a positive multiple of {@value #BATCH_SIZE}
     */
    static List<List<ConsumerRecord<byte[], byte[]>>> changelog(int records) {
        return changelog(records, false);
    }

    /** The changelog of {@code records} records, its keys in random order if {@code random}; see {@link #changelog(int)}. */
    static List<List<ConsumerRecord<byte[], byte[]>>> changelog(int records, boolean random) {
        if (records <= 0 || records % BATCH_SIZE != 0) {
            throw new IllegalArgumentException("records must be a positive multiple of " + BATCH_SIZE + ": " + records);
        }
        List<List<ConsumerRecord<byte[], byte[]>>> batches = new ArrayList<>();
        for (int start = 0; start < records; start += BATCH_SIZE) {
            List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(BATCH_SIZE);
            for (int offset = start; offset < start + BATCH_SIZE; offset++) {
                batch.add(isTombstone(offset)
                        ? record(offset, RiskEvents.key(idOf(offset - TOMBSTONE_EVERY + 1, random)), null)
                        : record(offset, RiskEvents.key(idOf(offset, random)), RiskEvents.value(offset)));
            }
            batches.add(batch);
        }
        return batches;
    }

    /** The event id record {@code offset} puts: the offset itself, or scrambled for a changelog in random key order. */
    static long idOf(long offset, boolean random) {
        return random ? (offset * ID_SCRAMBLER) & ID_MASK : offset;
    }

    /** Whether the record at {@code offset} is a tombstone (and the event of that id was never put). */
    static boolean isTombstone(long offset) {
        return offset % TOMBSTONE_EVERY == TOMBSTONE_EVERY - 1;
    }

    /** Whether the event of id {@code offset} is in the store after a restore of the whole changelog. */
    static boolean isLive(long offset) {
        return !isTombstone(offset) && !isTombstone(offset + TOMBSTONE_EVERY - 1);
    }

    /** Restores {@code changelog} into a fresh store of {@code contender}, checks it, closes it. @return nanos */
    private static long restoreAndCheck(Contender contender, List<List<ConsumerRecord<byte[], byte[]>>> changelog,
                                        boolean random) {
        try (KafkaBenchStore store = KafkaBenchStore.open(contender.storeSupplier("bench"))) {
            long started = System.nanoTime();
            for (List<ConsumerRecord<byte[], byte[]>> batch : changelog) {
                store.restore(batch);
            }
            long elapsed = System.nanoTime() - started;
            for (long offset = 0; offset < TOMBSTONE_EVERY; offset++) {
                if ((store.get(RiskEvents.key(idOf(offset, random))) != null) != isLive(offset)) {
                    throw new IllegalStateException(contender + " does not hold what its changelog says");
                }
            }
            return elapsed;
        }
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, byte[] key, byte[] value) {
        return new ConsumerRecord<>(TOPIC, 0, offset, 0L, TimestampType.CREATE_TIME, key.length,
                value == null ? 0 : value.length, key, value, NO_HEADERS, Optional.empty());
    }
}
