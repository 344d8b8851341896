package io.bucketmap.core;

import java.nio.charset.StandardCharsets;

/**
 * The measurement behind the maximum load (6.5 entries per 8-slot bucket): fills a table of fixed size to each
 * candidate load, as a table stands just before it grows, and reports what Go's map.go reports for its own
 * choice. Run with {@code java -cp benchmarks/target/benchmarks.jar io.bucketmap.core.LoadFactorSurvey}. It lives in
 * the core's package (in the benchmarks module) to reach the table's internals.
 *
 * <ul>
 *   <li>overflow %: buckets that have at least one overflow bucket;</li>
 *   <li>bytes/entry: table bytes (tags, hashes, references, overflow) per entry, keys and values excluded;</li>
 *   <li>hit buckets: buckets read to find a present key, averaged over the keys;</li>
 *   <li>miss buckets: buckets read to learn that a key is absent (the whole chain up to an EMPTY slot).</li>
 * </ul>
 */
public final class LoadFactorSurvey {
    private static final int LOG2_BUCKETS = 16;

    private LoadFactorSurvey() {
    }

    public static void main(String[] args) {
        KeyHasher hasher = new KeyHasher(1);
        System.out.println("| load | overflow % | bytes/entry | hit buckets | miss buckets |");
        System.out.println("|-----:|-----------:|------------:|------------:|-------------:|");
        for (double load = 4.0; load <= 8.0; load += 0.5) {
            BucketTable table = new BucketTable(LOG2_BUCKETS, new EntrySlab());
            int entries = (int) (load * table.bucketCount());
            long hitBuckets = 0;
            BucketTable.ChainTail tail = new BucketTable.ChainTail();
            for (int i = 0; i < entries; i++) {
                byte[] key = String.format("risk-event-%010d", i).getBytes(StandardCharsets.US_ASCII);
                long hash = hasher.hash(key);
                table.insertAbsent(tail, (int) hash, Tags.tagOf(hash), i);
            }
            long bucketsWithOverflow = 0;
            long missBuckets = 0;
            for (int bucket = 0; bucket < table.bucketCount(); bucket++) {
                BucketArray array = table.chunkOf(bucket);
                int local = table.localOf(bucket);
                if (array.next(local) != 0) {
                    bucketsWithOverflow++;
                }
                int depth = 0;
                for (int at = local; at != -1; ) {
                    long word = array.tagWord(at);
                    depth++;
                    hitBuckets += (long) depth * Long.bitCount(Tags.occupiedSlots(word));
                    int next = Tags.hasEmpty(word) ? 0 : array.next(at);
                    at = next == 0 ? -1 : next;
                }
                missBuckets += depth;
            }
            System.out.printf("| %.2f | %10.2f | %11.2f | %11.3f | %12.3f |%n",
                    load,
                    100.0 * bucketsWithOverflow / table.bucketCount(),
                    (double) table.estimatedBytes() / entries,
                    (double) hitBuckets / entries,
                    (double) missBuckets / table.bucketCount());
        }
    }
}
