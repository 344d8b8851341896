package io.bucketmap.bench;

/**
 * Counts of non-negative durations (nanoseconds) in log-linear buckets: exact below 32, above that 16 buckets
 * per power of two, so a reported percentile is at most 1/16 (6.25%) above the true value, in 8 KiB whatever
 * the count. The maximum is kept exactly. Written for the growth harness instead of pulling in HdrHistogram:
 * recording is a few shifts and one array increment, no allocation.
 *
 * <p>Not thread-safe.
 */
public final class LatencyHistogram {
    private static final int SUB_BUCKET_BITS = 4;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    /** Values below this are counted one per bucket. */
    private static final int EXACT_BELOW = 2 * SUB_BUCKETS;
    private static final int EXACT_BITS = 5;

    private final long[] counts = new long[EXACT_BELOW + (64 - EXACT_BITS) * SUB_BUCKETS];
    private long count;
    private long max;

    /**
     * Counts one duration.
     *
     * @throws IllegalArgumentException if {@code nanos} is negative
     */
    public void record(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("negative duration: " + nanos);
        }
        counts[indexOf(nanos)]++;
        count++;
        max = Math.max(max, nanos);
    }

    /** How many durations were recorded. */
    public long count() {
        return count;
    }

    /** The largest duration recorded, exactly; 0 if none. */
    public long max() {
        return max;
    }

    /**
     * The smallest bucket bound that at least {@code percentile}% of the recorded durations do not exceed
     * (never above {@link #max()}); 0 if none were recorded.
     *
     * @throws IllegalArgumentException unless {@code 0 < percentile <= 100}
     */
    public long valueAtPercentile(double percentile) {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + percentile);
        }
        long wanted = (long) Math.ceil(count * percentile / 100);
        long seen = 0;
        for (int index = 0; index < counts.length; index++) {
            seen += counts[index];
            if (seen >= wanted && seen > 0) {
                return Math.min(highestValueIn(index), max);
            }
        }
        return 0;
    }

    private static int indexOf(long value) {
        if (value < EXACT_BELOW) {
            return (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value);
        int subBucket = (int) (value >>> (exponent - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1);
        return EXACT_BELOW + (exponent - EXACT_BITS) * SUB_BUCKETS + subBucket;
    }

    private static long highestValueIn(int index) {
        if (index < EXACT_BELOW) {
            return index;
        }
        int exponent = (index - EXACT_BELOW) / SUB_BUCKETS + EXACT_BITS;
        int subBucket = (index - EXACT_BELOW) % SUB_BUCKETS;
        long width = 1L << (exponent - SUB_BUCKET_BITS);
        return (SUB_BUCKETS + subBucket + 1) * width - 1;
    }
}
