package io.bucketmap.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One writer grows the map, deletes and shrinks it, over and over, while reader threads get and scan. Stable keys
 * (written before the readers start, never touched again) must always read right and appear exactly once in
 * every scan; churning keys must never read as null or with another key's value; nothing may throw.
 */
class ConcurrentReadersStressTest {
    private static final int STABLE_KEYS = 20_000;
    private static final int CHURN_KEYS = 200_000;
    private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(3);

    private static byte[] stableKey(int i) {
        return ("stable-" + i).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] churnKey(int i) {
        return ("churn-" + i).getBytes(StandardCharsets.US_ASCII);
    }

    /** Every value names its key, so a reader can tell a value that belongs to another key. */
    private static byte[] valueFor(byte[] key, int version) {
        return (new String(key, StandardCharsets.US_ASCII) + "=" + version).getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean belongsTo(byte[] value, byte[] key) {
        String text = new String(value, StandardCharsets.US_ASCII);
        return text.startsWith(new String(key, StandardCharsets.US_ASCII) + "=");
    }

    @ParameterizedTest(name = "ordered={0}")
    @ValueSource(booleans = {true, false})
    void readersSeeStableKeysExactlyOnceAndNeverANullOrForeignValueWhileTheWriterGrowsAndShrinks(boolean ordered)
            throws Exception {
        BucketMap map = BucketMap.withSeed(ordered, 7);
        for (int i = 0; i < STABLE_KEYS; i++) {
            map.put(stableKey(i), valueFor(stableKey(i), 0));
        }
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong scans = new AtomicLong();
        AtomicLong gets = new AtomicLong();
        AtomicLong migrationsSeen = new AtomicLong();

        List<Thread> threads = new ArrayList<>();
        threads.add(new Thread(guard(failures, () -> {
            long deadline = System.nanoTime() + RUN_NANOS;
            for (int round = 1; System.nanoTime() < deadline; round++) {
                for (int i = 0; i < CHURN_KEYS; i++) {
                    map.put(churnKey(i), valueFor(churnKey(i), round));
                }
                for (int i = 0; i < CHURN_KEYS; i += 3) {
                    map.put(churnKey(i), valueFor(churnKey(i), -round));
                }
                for (int i = 0; i < CHURN_KEYS; i++) {
                    map.delete(churnKey(i));
                }
            }
            migrationsSeen.set(map.stats().migrationsFinished());
            stop.set(true);
        }), "writer"));
        threads.add(new Thread(guard(failures, () -> {
            while (!stop.get()) {
                scanOnce(map, ordered);
                scans.incrementAndGet();
            }
        }), "scanner"));
        threads.add(new Thread(guard(failures, () -> {
            for (int i = 0; !stop.get(); i++) {
                byte[] stable = stableKey(i % STABLE_KEYS);
                assertThat(map.get(stable)).isEqualTo(valueFor(stable, 0));
                byte[] churn = churnKey(i % CHURN_KEYS);
                byte[] value = map.get(churn);
                if (value != null) {
                    assertThat(belongsTo(value, churn)).as("value %s for %s", new String(value), new String(churn)).isTrue();
                }
                gets.incrementAndGet();
            }
        }), "getter"));
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        }
        stop.set(true);

        assertThat(failures).isEmpty();
        assertThat(scans.get()).as("full scans").isPositive();
        assertThat(gets.get()).as("gets").isPositive();
        assertThat(migrationsSeen.get()).as("migrations during the run").isGreaterThan(10);
    }

    private static void scanOnce(BucketMap map, boolean ordered) {
        BitSet stableSeen = new BitSet(STABLE_KEYS);
        byte[] previous = null;
        try (BucketMapIterator iterator = map.iterator()) {
            while (iterator.hasNext()) {
                BucketMap.Entry entry = iterator.next();
                assertThat(entry.value()).isNotNull();
                assertThat(belongsTo(entry.value(), entry.key())).isTrue();
                if (ordered && previous != null) {
                    assertThat(java.util.Arrays.compareUnsigned(previous, entry.key())).isNegative();
                }
                previous = entry.key();
                String key = new String(entry.key(), StandardCharsets.US_ASCII);
                if (key.startsWith("stable-")) {
                    int index = Integer.parseInt(key.substring("stable-".length()));
                    assertThat(stableSeen.get(index)).as("stable key %s seen twice", key).isFalse();
                    stableSeen.set(index);
                }
            }
        }
        assertThat(stableSeen.cardinality()).as("stable keys seen by one scan").isEqualTo(STABLE_KEYS);
    }

    private static Runnable guard(ConcurrentLinkedQueue<Throwable> failures, Runnable body) {
        return () -> {
            try {
                body.run();
            } catch (Throwable thrown) {
                failures.add(thrown);
            }
        };
    }
}
