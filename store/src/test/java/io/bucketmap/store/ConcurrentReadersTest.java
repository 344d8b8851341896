package io.bucketmap.store;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interactive-query readers on other threads while the stream thread writes and a punctuator scans and deletes:
 * the guarantees Kafka's {@code InMemoryKeyValueStore} does not give (its readers can get a null value).
 *
 * <p>Stable keys are written before the readers start and never touched again; churn keys are inserted in waves
 * and then deleted by a punctuator-style scan, so the table keeps growing and shrinking under the readers.
 */
class ConcurrentReadersTest {
    private static final int STABLE_KEYS = 10_000;
    private static final int CHURN_WAVE = 20_000;
    private static final long RUN_MILLIS = 2_000;
    private static final int READERS = 2;

    @ParameterizedTest(name = "ordered={0}")
    @ValueSource(booleans = {true, false})
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void readersSeeNoNullNoDuplicateAndEveryUntouchedKeyExactlyOnceWhileTheStoreGrowsAndShrinks(boolean ordered)
            throws InterruptedException {
        BucketMapKeyValueStore store = (BucketMapKeyValueStore) (ordered
                ? BucketMapStores.keyValueStore("s") : BucketMapStores.hashOrderKeyValueStore("s")).get();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        for (int i = 0; i < STABLE_KEYS; i++) {
            store.put(stableKey(i), stableValue(i));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong waves = new AtomicLong();
        AtomicLong readerChecks = new AtomicLong();

        List<Thread> threads = new ArrayList<>();
        threads.add(new Thread(guarded(failure, () -> {
            while (System.nanoTime() < deadline && failure.get() == null) {
                writeWaveThenPunctuate(store, waves.get());
                waves.incrementAndGet();
            }
        }), "stream-thread"));
        for (int r = 0; r < READERS; r++) {
            threads.add(new Thread(guarded(failure, () -> {
                while (System.nanoTime() < deadline && failure.get() == null) {
                    readOnce(store, ordered);
                    readerChecks.incrementAndGet();
                }
            }), "iq-reader-" + r));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(failure.get()).isNull();
        assertThat(waves.get()).as("writer waves").isPositive();
        assertThat(readerChecks.get()).as("reader checks").isGreaterThan(READERS);
        assertThat(store.stats().migrationsFinished()).as("growths and shrinks finished").isGreaterThan(1);
        store.close();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aSecondThreadWritingAtTheSameTimeFailsWithConcurrentModificationException() throws InterruptedException {
        BucketMapKeyValueStore store = (BucketMapKeyValueStore) BucketMapStores.keyValueStore("s").get();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        AtomicReference<Throwable> caught = new AtomicReference<>();
        Runnable writer = () -> {
            try {
                for (int i = 0; System.nanoTime() < deadline && caught.get() == null; i++) {
                    Bytes key = Bytes.wrap(bytes(Thread.currentThread().getName() + "-" + (i % 1_000)));
                    store.put(key, bytes("v"));
                }
            } catch (ConcurrentModificationException e) {
                caught.compareAndSet(null, e);
            }
        };
        Thread first = new Thread(writer, "writer-1");
        Thread second = new Thread(writer, "writer-2");
        first.start();
        second.start();
        first.join();
        second.join();

        assertThat(caught.get()).isInstanceOf(ConcurrentModificationException.class)
                .hasMessageContaining("two threads");
        store.close();
    }

    /** The stream thread: a wave of churn inserts and updates, then a punctuator that scans and deletes them. */
    private static void writeWaveThenPunctuate(KeyValueStore<Bytes, byte[]> store, long wave) {
        for (int i = 0; i < CHURN_WAVE; i++) {
            store.put(churnKey(i), bytes("churn-" + wave));
        }
        for (int i = 0; i < CHURN_WAVE; i += 3) {
            store.put(churnKey(i), bytes("churn-" + wave + "-updated"));
        }
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                Bytes key = all.next().key;
                if (key.get()[0] == 'c') {
                    store.delete(key);
                }
            }
        }
    }

    /** One interactive query of a random kind, checked. */
    private static void readOnce(BucketMapKeyValueStore store, boolean ordered) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int i = random.nextInt(STABLE_KEYS);
        switch (random.nextInt(6)) {
            case 0 -> assertThat(store.get(stableKey(i))).isEqualTo(stableValue(i));
            case 1 -> {
                byte[] churn = store.get(churnKey(random.nextInt(CHURN_WAVE)));
                assertThat(churn == null || new String(churn, StandardCharsets.UTF_8).startsWith("churn-")).isTrue();
            }
            case 2 -> checkScan(store.all(), 0, STABLE_KEYS, ordered);
            case 3 -> checkScan(store.range(stableKey(2_000), stableKey(4_999)), 2_000, 5_000, ordered);
            case 4 -> {
                QueryResult<KeyValueIterator<Bytes, byte[]>> result = store.query(
                        RangeQuery.withRange(stableKey(5_000), stableKey(5_999)),
                        PositionBound.unbounded(), new QueryConfig(false));
                assertThat(result.isSuccess()).isTrue();
                checkScan(result.getResult(), 5_000, 6_000, ordered);
            }
            default -> {
                QueryResult<byte[]> result = store.query(
                        KeyQuery.withKey(stableKey(i)), PositionBound.unbounded(), new QueryConfig(false));
                assertThat(result.getResult()).isEqualTo(stableValue(i));
            }
        }
    }

    /**
     * Drains a scan: no null value, no key twice, every stable key in {@code [from, to)} once with its value, and
     * (ordered store) keys ascending.
     */
    private static void checkScan(KeyValueIterator<Bytes, byte[]> scan, int from, int to, boolean ordered) {
        Set<Bytes> seen = new HashSet<>();
        int stable = 0;
        Bytes previous = null;
        try (scan) {
            while (scan.hasNext()) {
                KeyValue<Bytes, byte[]> next = scan.next();
                assertThat(next.value).as("value of %s", next.key).isNotNull();
                assertThat(seen.add(next.key)).as("first sight of %s", next.key).isTrue();
                if (ordered && previous != null) {
                    assertThat(next.key.compareTo(previous)).as("order").isPositive();
                }
                previous = next.key;
                if (next.key.get()[0] == 's') {
                    int index = Integer.parseInt(new String(next.key.get(), 2, 5, StandardCharsets.UTF_8));
                    assertThat(index).isBetween(from, to - 1);
                    assertThat(next.value).isEqualTo(stableValue(index));
                    stable++;
                }
            }
        }
        assertThat(stable).as("stable keys returned").isEqualTo(to - from);
    }

    private static Runnable guarded(AtomicReference<Throwable> failure, Runnable body) {
        return () -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
    }

    private static Bytes stableKey(int i) {
        return Bytes.wrap(bytes(String.format("s-%05d", i)));
    }

    private static byte[] stableValue(int i) {
        return bytes("stable-" + i);
    }

    private static Bytes churnKey(int i) {
        return Bytes.wrap(bytes(String.format("c-%07d", i)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
