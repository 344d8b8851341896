package io.bucketmap.store;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code READ_COMMITTED} view of a store run with transactional state stores, read while the writer writes and
 * commits: every value it returns is one its key held in a committed state during the read, no key comes twice, and
 * on an ordered store a range returns, in order, every key committed for the whole iteration, even one the writer
 * deletes (uncommitted) while the iterator walks.
 */
@RequiresKafkaStreams(value = "4.4", reason = "transactional state stores and IQv2 isolation levels")
class CommittedViewTest {
    private static final int KEYS = 200;
    private final List<KeyValueStore<Bytes, byte[]>> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(KeyValueStore::close);
    }

    @ParameterizedTest(name = "descending={0}")
    @ValueSource(booleans = {false, true})
    void anOrderedRangeReturnsACommittedKeyThatTheWriterDeletesAfterTheIteratorOpened(boolean descending) {
        KeyValueStore<Bytes, byte[]> store = transactionalStore(true);
        for (String k : List.of("a", "b", "c", "d", "e")) {
            store.put(key(k), value(k + "0"));
        }
        store.commit(Map.of());
        ReadOnlyKeyValueStore<Bytes, byte[]> committed = store.readOnly(IsolationLevel.READ_COMMITTED);

        List<String> seen = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = descending ? committed.reverseAll() : committed.all()) {
            seen.add(entry(all.next()));
            store.delete(key(descending ? "b" : "d")); // not reached yet, and not changed when the iterator opened
            all.forEachRemaining(entry -> seen.add(entry(entry)));
        }

        List<String> expected = List.of("a=a0", "b=b0", "c=c0", "d=d0", "e=e0");
        assertThat(seen).containsExactlyElementsOf(descending ? reversed(expected) : expected);
    }

    @Test
    void aValueReadFromTheMapBeforeACommitIsNotReturnedUnlessItWasCommitted() {
        KeyValueStore<Bytes, byte[]> store = transactionalStore(true);
        store.put(key("a"), value("a0"));
        store.put(key("b"), value("b0"));
        store.put(key("c"), value("c0"));
        store.commit(Map.of());
        store.delete(key("b"));
        store.put(key("c"), value("c1"));
        ReadOnlyKeyValueStore<Bytes, byte[]> committed = store.readOnly(IsolationLevel.READ_COMMITTED);

        List<String> seen = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = committed.all()) {
            seen.add(entry(all.next())); // a
            seen.add(entry(all.next())); // b, from the record; c1 read from the map meanwhile
            store.put(key("c"), value("c2"));
            store.commit(Map.of()); // c1 was never committed
            all.forEachRemaining(entry -> seen.add(entry(entry)));
        }

        assertThat(seen).startsWith("a=a0", "b=b0").hasSize(3);
        assertThat(seen.get(2)).as("c's value: committed before or after the second commit").isIn("c=c0", "c=c2");
    }

    @ParameterizedTest(name = "ordered={0}")
    @ValueSource(booleans = {true, false})
    void rangesAndPrefixScansCutTheChangedKeysToTheirBounds(boolean ordered) {
        KeyValueStore<Bytes, byte[]> store = transactionalStore(ordered);
        for (String k : List.of("a1", "a2", "b1", "b2", "b3", "c1")) {
            store.put(key(k), value(k));
        }
        store.commit(Map.of());
        for (String k : List.of("a1", "b1", "b3", "c1")) {
            store.delete(key(k));
        }
        store.put(key("b2"), value("new"));
        store.put(key("b0"), value("inserted"));
        ReadOnlyKeyValueStore<Bytes, byte[]> committed = store.readOnly(IsolationLevel.READ_COMMITTED);

        List<String> range = drain(committed.range(key("a2"), key("b2")));
        List<String> prefix = drain(committed.prefixScan("b", new StringSerializer()));
        List<String> reverse = drain(committed.reverseRange(key("b1"), key("c1")));
        if (ordered) {
            assertThat(range).containsExactly("a2=a2", "b1=b1", "b2=b2");
            assertThat(prefix).containsExactly("b1=b1", "b2=b2", "b3=b3");
            assertThat(reverse).containsExactly("c1=c1", "b3=b3", "b2=b2", "b1=b1");
        } else {
            assertThat(range).containsExactlyInAnyOrder("a2=a2", "b1=b1", "b2=b2");
            assertThat(prefix).containsExactlyInAnyOrder("b1=b1", "b2=b2", "b3=b3");
            assertThat(reverse).containsExactlyInAnyOrder("c1=c1", "b3=b3", "b2=b2", "b1=b1");
        }
    }

    /**
     * Iterator steps interleaved with writes and commits on one thread, against a model of every committed state the
     * iteration lived through.
     */
    @ParameterizedTest(name = "ordered={0}, descending={1}")
    @CsvSource({"true, false", "true, true", "false, false"})
    void everyIteratorStepReturnsAValueOfACommittedStateAndNoKeyTwiceAndMissesNoKeyCommittedThroughout(
            boolean ordered, boolean descending) {
        KeyValueStore<Bytes, byte[]> store = transactionalStore(ordered);
        ReadOnlyKeyValueStore<Bytes, byte[]> committed = store.readOnly(IsolationLevel.READ_COMMITTED);
        Random random = new Random(ordered ? (descending ? 7 : 11) : 13);
        TreeMap<String, String> live = new TreeMap<>();
        TreeMap<String, String> atCommit = new TreeMap<>();
        int[] version = {0};
        for (int trial = 0; trial < 500; trial++) {
            String from = keyName(random.nextInt(60));
            String to = keyName(random.nextInt(60));
            boolean wholeStore = random.nextInt(4) == 0;
            List<TreeMap<String, String>> statesSeen = new ArrayList<>(List.of(atCommit));
            Set<String> deletedFromMap = new HashSet<>();
            List<KeyValue<Bytes, byte[]>> returned = new ArrayList<>();
            try (KeyValueIterator<Bytes, byte[]> entries = wholeStore
                    ? (descending ? committed.reverseAll() : committed.all())
                    : (descending ? committed.reverseRange(key(from), key(to)) : committed.range(key(from), key(to)))) {
                while (true) {
                    for (int w = random.nextInt(4); w > 0; w--) {
                        String k = keyName(random.nextInt(60));
                        int op = random.nextInt(10);
                        if (op < 5) {
                            String v = k + "#" + version[0]++;
                            store.put(key(k), value(v));
                            live.put(k, v);
                        } else if (op < 9) {
                            if (store.delete(key(k)) != null) {
                                deletedFromMap.add(k);
                            }
                            live.remove(k);
                        } else {
                            store.commit(Map.of());
                            atCommit = new TreeMap<>(live);
                            statesSeen.add(atCommit);
                        }
                        String probe = keyName(random.nextInt(60));
                        assertThat(text(committed.get(key(probe)))).isEqualTo(atCommit.get(probe));
                    }
                    if (!entries.hasNext()) {
                        break;
                    }
                    returned.add(entries.next());
                }
            }

            List<String> keys = returned.stream().map(entry -> text(entry.key.get())).toList();
            assertThat(new HashSet<>(keys)).as("trial %d: no key twice in %s", trial, keys).hasSize(keys.size());
            if (ordered) {
                assertThat(keys).as("trial %d", trial).isSortedAccordingTo(
                        descending ? java.util.Comparator.<String>reverseOrder() : java.util.Comparator.naturalOrder());
            }
            for (KeyValue<Bytes, byte[]> entry : returned) {
                String k = text(entry.key.get());
                String v = text(entry.value);
                assertThat(wholeStore || (k.compareTo(from) >= 0 && k.compareTo(to) <= 0)).as("trial %d: %s in range",
                        trial, k).isTrue();
                assertThat(statesSeen.stream().anyMatch(state -> v.equals(state.get(k))))
                        .as("trial %d: %s=%s was committed during the iteration", trial, k, v).isTrue();
            }
            for (String k : statesSeen.get(0).keySet()) {
                boolean inRange = wholeStore || (k.compareTo(from) >= 0 && k.compareTo(to) <= 0);
                boolean committedThroughout = statesSeen.stream().allMatch(state -> state.containsKey(k));
                // the hash order gives no place to look again for a key deleted before the walk reached it
                boolean guaranteed = ordered || !deletedFromMap.contains(k);
                if (inRange && committedThroughout && guaranteed) {
                    assertThat(keys).as("trial %d: %s committed throughout", trial, k).contains(k);
                }
            }
        }
    }

    @ParameterizedTest(name = "ordered={0}")
    @ValueSource(booleans = {true, false})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void readersOnOtherThreadsSeeOnlyCommittedValuesAndEachKeyOnceWhileTheWriterDeletesRewritesAndCommits(
            boolean ordered) throws InterruptedException {
        readWhileRewriting(ordered, (view, random) -> {
            String k = keyName(random.nextInt(KEYS));
            assertThat(isEven(view.get(key(k)))).as("committed value of %s", k).isTrue();
            int lo = random.nextInt(KEYS);
            int hi = Math.min(KEYS - 1, lo + random.nextInt(40));
            boolean descending = random.nextBoolean();
            List<String> seen = new ArrayList<>();
            try (KeyValueIterator<Bytes, byte[]> range = descending
                    ? view.reverseRange(key(keyName(lo)), key(keyName(hi)))
                    : view.range(key(keyName(lo)), key(keyName(hi)))) {
                range.forEachRemaining(entry -> {
                    assertThat(isEven(entry.value)).as("value of %s", text(entry.key.get())).isTrue();
                    seen.add(text(entry.key.get()));
                });
            }
            if (ordered) {
                List<String> expected = new ArrayList<>();
                for (int i = lo; i <= hi; i++) {
                    expected.add(keyName(i));
                }
                assertThat(seen).containsExactlyElementsOf(descending ? reversed(expected) : expected);
            } else {
                assertThat(new HashSet<>(seen)).as("no key twice").hasSize(seen.size());
            }
        });
    }

    /**
     * Runs {@code read} on two reader threads while the writer, round after round, deletes keys and writes them back
     * with an odd value, then an even one, and commits: every committed state holds every key with an even value.
     * Fails with the first reader failure.
     */
    private void readWhileRewriting(
            boolean ordered, java.util.function.BiConsumer<ReadOnlyKeyValueStore<Bytes, byte[]>, Random> read)
            throws InterruptedException {
        KeyValueStore<Bytes, byte[]> store = transactionalStore(ordered);
        for (int k = 0; k < KEYS; k++) {
            store.put(key(keyName(k)), value("0"));
        }
        store.commit(Map.of());
        ReadOnlyKeyValueStore<Bytes, byte[]> committed = store.readOnly(IsolationLevel.READ_COMMITTED);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong reads = new AtomicLong();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Random random = new Random(100 + r);
            readers.add(new Thread(() -> {
                try {
                    while (writing.get() && failure.get() == null) {
                        read.accept(committed, random);
                        reads.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "iq-reader-" + r));
        }
        readers.forEach(Thread::start);
        Random random = new Random(3);
        for (int round = 1; round <= 3_000 && failure.get() == null; round++) {
            for (int i = 0; i < 8; i++) {
                Bytes k = key(keyName(random.nextInt(KEYS)));
                store.delete(k);
                store.put(k, value(Integer.toString(2 * round - 1)));
                store.put(k, value(Integer.toString(2 * round)));
            }
            store.commit(Map.of());
        }
        writing.set(false);
        for (Thread reader : readers) {
            reader.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a reader failed", failure.get());
        }
        assertThat(reads.get()).as("reads checked").isPositive();
    }

    private KeyValueStore<Bytes, byte[]> transactionalStore(boolean ordered) {
        KeyValueStore<Bytes, byte[]> store = (ordered ? BucketMapStores.keyValueStore("s")
                : BucketMapStores.hashOrderKeyValueStore("s")).get();
        Properties config = new Properties();
        config.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "true");
        store.init(new RestoringContext(config), store);
        opened.add(store);
        return store;
    }

    private static List<String> reversed(List<String> list) {
        List<String> copy = new ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }

    private static boolean isEven(byte[] value) {
        return value != null && Long.parseLong(text(value)) % 2 == 0;
    }

    private static String keyName(int k) {
        return String.format("k%03d", k);
    }

    private static String entry(KeyValue<Bytes, byte[]> entry) {
        return text(entry.key.get()) + "=" + text(entry.value);
    }

    private static List<String> drain(KeyValueIterator<Bytes, byte[]> iterator) {
        List<String> entries = new ArrayList<>();
        try (iterator) {
            iterator.forEachRemaining(entry -> entries.add(entry(entry)));
        }
        return entries;
    }

    private static Bytes key(String k) {
        return Bytes.wrap(k.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] value(String v) {
        return v.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
