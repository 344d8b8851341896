package io.bucketmap.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Garbage collections since construction, from the {@link GarbageCollectorMXBean}s (for G1 on JDK 17: young,
 * mixed and full collections; not the remark and cleanup pauses of a concurrent cycle, which no bean reports).
 * The longest collection is sampled from each bean's last-collection info when {@link #poll()} sees its count
 * change, so two collections between polls report only the later one's length; count and total are exact.
 *
 * <p>Not thread-safe. Each call costs a few JMX reads: call it between the operations you time.
 */
final class GcPauses {
    private final List<GarbageCollectorMXBean> beans = ManagementFactory.getGarbageCollectorMXBeans();
    private final long[] countsSeen = new long[beans.size()];
    private final long startCount;
    private final long startMillis;
    private long longestMillis;

    GcPauses() {
        for (int i = 0; i < beans.size(); i++) {
            countsSeen[i] = beans.get(i).getCollectionCount();
        }
        startCount = collections();
        startMillis = totalMillis();
    }

    private long collections() {
        long sum = 0;
        for (GarbageCollectorMXBean bean : beans) {
            sum += bean.getCollectionCount();
        }
        return sum;
    }

    /**
     * Looks at the collectors that collected since the last poll, updating {@link #longestMillis()}.
     *
     * @return the longest of those collections in milliseconds (sampled as described above), 0 if there were none
     */
    long poll() {
        long longestSincePoll = 0;
        for (int i = 0; i < beans.size(); i++) {
            GarbageCollectorMXBean bean = beans.get(i);
            long count = bean.getCollectionCount();
            if (count != countsSeen[i]) {
                countsSeen[i] = count;
                if (bean instanceof com.sun.management.GarbageCollectorMXBean detailed
                        && detailed.getLastGcInfo() != null) {
                    longestSincePoll = Math.max(longestSincePoll, detailed.getLastGcInfo().getDuration());
                }
            }
        }
        longestMillis = Math.max(longestMillis, longestSincePoll);
        return longestSincePoll;
    }

    /** Collections since construction. */
    long count() {
        return collections() - startCount;
    }

    /** Milliseconds spent collecting since construction. */
    long elapsedMillis() {
        return totalMillis() - startMillis;
    }

    /** The longest collection seen by {@link #poll()}, in milliseconds. */
    long longestMillis() {
        return longestMillis;
    }

    private long totalMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean bean : beans) {
            sum += bean.getCollectionTime();
        }
        return sum;
    }
}
