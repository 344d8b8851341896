package io.bucketmap.store;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Metric;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The expiry semantics of a store with a time to live, on a timestamped store (the DSL's format) under a context with
 * no changelog, where removals need no tombstone: an entry expires {@code ttl} of stream time after the timestamp of
 * its last write, is absent from every read from then on, and leaves the store within a bounded number of writes.
 * Tombstones and the other formats are {@link ExpiringTopologyTest}'s.
 */
class ExpiringStoreTest {
    private static final Duration TTL = Duration.ofSeconds(10);
    private final List<KeyValueStore<Bytes, byte[]>> opened = new ArrayList<>();
    private final List<RestoringContext> contexts = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(KeyValueStore::close);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anEntryIsReadableUntilStreamTimeReachesItsWriteTimePlusTheTtl(boolean ordered) {
        KeyValueStore<Bytes, byte[]> store = open(supplier(ordered).withTtl(TTL));
        store.put(key("a"), value(1_000, "A"));

        store.put(key("clock"), value(10_999, "tick"));
        assertThat(store.get(key("a"))).isEqualTo(value(1_000, "A"));

        store.put(key("clock"), value(11_000, "tick"));
        assertThat(store.get(key("a"))).isNull();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void everyIteratorSkipsExpiredEntries(boolean ordered) {
        KeyValueStore<Bytes, byte[]> store = open(supplier(ordered).withTtl(TTL));
        store.put(key("a1"), value(0, "old"));
        store.put(key("a2"), value(5_000, "young"));
        store.put(key("a3"), value(0, "old"));
        store.put(key("b"), value(10_000, "now"));

        assertThat(keys(store.all())).containsExactlyInAnyOrder("a2", "b");
        assertThat(keys(store.reverseAll())).containsExactlyInAnyOrder("a2", "b");
        assertThat(keys(store.range(key("a1"), key("a3")))).containsExactly("a2");
        assertThat(keys(store.reverseRange(key("a1"), key("a3")))).containsExactly("a2");
        assertThat(keys(store.prefixScan("a", new StringSerializer()))).containsExactly("a2");
    }

    @Test
    void peekNextKeySkipsExpiredEntriesAsNextDoes() {
        KeyValueStore<Bytes, byte[]> store = open(supplier(true).withTtl(TTL));
        store.put(key("a"), value(0, "old"));
        store.put(key("b"), value(10_000, "now"));

        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            assertThat(all.peekNextKey()).isEqualTo(key("b"));
            assertThat(all.next().key).isEqualTo(key("b"));
            assertThat(all.hasNext()).isFalse();
        }
    }

    @Test
    void aWriteRefreshesTheEntrysExpiry() {
        KeyValueStore<Bytes, byte[]> store = open(supplier(true).withTtl(TTL));
        store.put(key("a"), value(0, "first"));
        store.put(key("a"), value(8_000, "second"));

        store.put(key("clock"), value(15_000, "tick"));

        assertThat(store.get(key("a"))).isEqualTo(value(8_000, "second"));
    }

    @Test
    void aWriteWhoseRecordTimeIsAlreadyExpiredRemovesTheKey() {
        KeyValueStore<Bytes, byte[]> store = open(supplier(true).withTtl(TTL));
        store.put(key("a"), value(20_000, "live"));
        store.put(key("late"), value(25_000, "live"));

        store.put(key("a"), value(5_000, "late write"));

        assertThat(store.get(key("a"))).isNull();
        assertThat(store.approximateNumEntries()).isEqualTo(1);
    }

    @Test
    void putIfAbsentWritesOverAnExpiredEntry() {
        KeyValueStore<Bytes, byte[]> store = open(supplier(true).withTtl(TTL));
        store.put(key("a"), value(0, "old"));
        store.put(key("clock"), value(10_000, "tick"));

        assertThat(store.putIfAbsent(key("a"), value(10_000, "new"))).isNull();
        assertThat(store.putIfAbsent(key("a"), value(10_000, "newer"))).isEqualTo(value(10_000, "new"));
        assertThat(store.get(key("a"))).isEqualTo(value(10_000, "new"));
    }

    @Test
    void deletingAnExpiredEntryReturnsNull() {
        KeyValueStore<Bytes, byte[]> store = open(supplier(true).withTtl(TTL));
        store.put(key("a"), value(0, "old"));
        store.put(key("clock"), value(10_000, "tick"));

        assertThat(store.delete(key("a"))).isNull();
    }

    @Test
    void putAllMovesStreamTimeOverTheWholeBatchAndSkipsWhatItExpires() {
        KeyValueStore<Bytes, byte[]> store = open(supplier(true).withTtl(TTL));
        store.putAll(List.of(
                KeyValue.pair(key("old"), value(0, "old")),
                KeyValue.pair(key("new"), value(10_000, "new"))));

        assertThat(store.get(key("old"))).isNull();
        assertThat(store.get(key("new"))).isEqualTo(value(10_000, "new"));
        assertThat(store.approximateNumEntries()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void writesRemoveExpiredEntriesAFewAtATimeUntilNoneIsLeft(boolean ordered) {
        KeyValueStore<Bytes, byte[]> store = open(supplier(ordered).withTtl(TTL));
        for (int i = 0; i < 1_000; i++) {
            store.put(key("old-" + i), value(i, "v"));
        }
        store.put(key("new-0"), value(1_000_000, "v"));
        assertThat(store.approximateNumEntries())
                .as("one write removes at most %d", ExpiringData.REMOVED_PER_WRITE)
                .isEqualTo(1_001 - ExpiringData.REMOVED_PER_WRITE);

        for (int i = 1; i < 500; i++) {
            store.put(key("new-" + i), value(1_000_000, "v"));
        }

        assertThat(store.approximateNumEntries()).isEqualTo(500);
        assertThat(metric(store, "expired-entries-total")).isEqualTo(1_000.0);
    }

    @Test
    void aCommitRemovesExpiredEntriesWhenNoTombstoneIsOwed() {
        KeyValueStore<Bytes, byte[]> store = open(supplier(true).withTtl(TTL));
        for (int i = 0; i < 100; i++) {
            store.put(key("old-" + i), value(i, "v"));
        }
        store.put(key("new"), value(1_000_000, "v"));

        commit(store);

        assertThat(store.approximateNumEntries()).isEqualTo(1);
    }

    @Test
    void onAWallClockEntriesExpireAsTheClockMovesWithoutWrites() {
        MutableClock clock = new MutableClock(Instant.ofEpochMilli(100_000));
        KeyValueStore<Bytes, byte[]> store = open(supplier(true).withTtl(TTL, clock));
        store.put(key("a"), value(100_000, "A"));

        clock.advance(Duration.ofMillis(9_999));
        assertThat(store.get(key("a"))).isNotNull();

        clock.advance(Duration.ofMillis(1));
        assertThat(store.get(key("a"))).isNull();
        assertThat(keys(store.all())).isEmpty();
    }

    @Test
    void onAWallClockARecordTimestampedLongerAgoThanTheTtlIsExpiredOnArrival() {
        MutableClock clock = new MutableClock(Instant.ofEpochMilli(100_000));
        KeyValueStore<Bytes, byte[]> store = open(supplier(true).withTtl(TTL, clock));

        store.put(key("history"), value(50_000, "old record"));

        assertThat(store.get(key("history"))).isNull();
    }

    @Test
    void aValueWithANegativeTimestampNeverExpires() {
        KeyValueStore<Bytes, byte[]> store = open(supplier(true).withTtl(TTL));
        store.put(key("unknown"), value(-1, "converted from a plain store"));

        store.put(key("clock"), value(Long.MAX_VALUE - 1, "tick"));

        assertThat(store.get(key("unknown"))).isEqualTo(value(-1, "converted from a plain store"));
    }

    @Test
    void restoreMovesStreamTimeOverTheWholeBatchThenDropsWhatIsExpired() {
        RestoringContext context = new RestoringContext();
        KeyValueStore<Bytes, byte[]> store = open(supplier(true).withTtl(TTL), context);

        context.restore(List.of(
                record(0, "old", value(0, "old")),
                record(1, "kept", value(5_000, "kept")),
                record(2, "clock", value(12_000, "tick"))));

        assertThat(store.get(key("old"))).isNull();
        assertThat(store.get(key("kept"))).isEqualTo(value(5_000, "kept"));
        assertThat(store.approximateNumEntries()).as("the expired record is not kept").isEqualTo(2);
    }

    @Test
    void aLaterRestoredBatchExpiresEntriesOfAnEarlierOne() {
        RestoringContext context = new RestoringContext();
        KeyValueStore<Bytes, byte[]> store = open(supplier(true).withTtl(TTL), context);
        context.restore(List.of(record(0, "early", value(0, "early"))));
        assertThat(store.get(key("early"))).isNotNull();

        context.restore(List.of(record(1, "clock", value(10_000, "tick"))));
        assertThat(store.get(key("early"))).isNull();

        context.restore(List.of(record(2, "clock", value(10_000 + slotWidth(), "tick"))));
        assertThat(store.approximateNumEntries()).as("removed once its index slot is due").isEqualTo(1);
    }

    @Test
    @RequiresKafkaStreams(value = "4.4", reason = "transactional state stores")
    void theReadCommittedViewHidesACommittedValueThatHasExpiredSince() {
        Properties transactional = new Properties();
        transactional.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "true");
        KeyValueStore<Bytes, byte[]> store = open(supplier(true).withTtl(TTL), new RestoringContext(transactional));
        store.put(key("a"), value(0, "committed"));
        commit(store);
        store.put(key("a"), value(5_000, "uncommitted"));
        // through the class: KeyValueStore.readOnly is Kafka Streams 4.4's, the store's own method is there on every version
        ReadOnlyKeyValueStore<Bytes, byte[]> committed =
                ((BucketMapKeyValueStore) store).readOnly(IsolationLevel.READ_COMMITTED);
        assertThat(committed.get(key("a"))).isEqualTo(value(0, "committed"));

        store.put(key("clock"), value(10_000, "tick"));

        assertThat(committed.get(key("a"))).isNull();
        assertThat(keys(committed.all())).isEmpty();
        assertThat(store.get(key("a"))).isEqualTo(value(5_000, "uncommitted"));
    }

    @Test
    void aTtlMustBePositiveAndAtLeastAMillisecond() {
        BucketMapStoreSupplier supplier = supplier(true);
        assertThatThrownBy(() -> supplier.withTtl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> supplier.withTtl(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> supplier.withTtl(Duration.ofNanos(999_999)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("millisecond");
        assertThatThrownBy(() -> supplier.withTtl(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> supplier.withTtl(TTL, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    @RequiresKafkaStreams(value = "4.3", reason = "stores of values with headers (HeadersBytesStoreSupplier)")
    void theSupplierSaysItsTtlAndKeepsItAcrossItsOtherSettings() {
        BucketMapStoreSupplier supplier = BucketMapStores.timestampedKeyValueStoreWithHeaders("s").withTtl(TTL)
                .withBackgroundExecutor(Runnable::run);

        assertThat(supplier).isInstanceOf(org.apache.kafka.streams.state.HeadersBytesStoreSupplier.class);
        assertThat(supplier.ttl()).contains(TTL);
        assertThat(supplier.isTtlOnWallClock()).isFalse();
        assertThat(BucketMapStores.keyValueStore("s").ttl()).isEmpty();
    }

    @Test
    void theChangelogConfigAgesRecordsOutOnlyForAWallClockTtl() {
        assertThat(BucketMapStores.keyValueStore("s").withTtl(TTL).changelogConfig()).isEmpty();
        assertThat(BucketMapStores.keyValueStore("s").withTtl(TTL, Clock.systemUTC()).changelogConfig())
                .containsEntry("cleanup.policy", "compact,delete")
                .containsEntry("retention.ms", Long.toString(TTL.toMillis() + 24 * 3_600_000L));
    }

    @Test
    void theStoreReportsItsExpiryMetrics() {
        KeyValueStore<Bytes, byte[]> store = open(supplier(true).withTtl(TTL));
        store.put(key("a"), value(0, "A"));
        store.put(key("b"), value(1, "B"));

        assertThat(metric(store, "entries-waiting-to-expire")).isEqualTo(2.0);
        assertThat(metric(store, "expired-entries-total")).isEqualTo(0.0);
        assertThat(metric(store, "expiry-tombstones-owed")).isEqualTo(0.0);
    }

    /** Through the class: {@code KeyValueStore.commit(Map)} is Kafka Streams 4.3's, the store's own method is on every version. */
    private static void commit(KeyValueStore<Bytes, byte[]> store) {
        ((BucketMapKeyValueStore) store).commit(Map.of());
    }

    private KeyValueStore<Bytes, byte[]> open(BucketMapStoreSupplier supplier) {
        return open(supplier, new RestoringContext(new Properties()));
    }

    private KeyValueStore<Bytes, byte[]> open(BucketMapStoreSupplier supplier, RestoringContext context) {
        KeyValueStore<Bytes, byte[]> store = supplier.get();
        store.init(context, store);
        opened.add(store);
        contexts.add(context);
        return store;
    }

    private static BucketMapStoreSupplier supplier(boolean ordered) {
        return ordered ? BucketMapStores.timestampedKeyValueStore("ttl")
                : new BucketMapStoreSupplier("ttl", false, false, ValueFormat.TIMESTAMPED);
    }

    /** A metric of the store {@code store} (named "ttl"), read from the context it was opened with. */
    private double metric(KeyValueStore<Bytes, byte[]> store, String name) {
        Metric found = contexts.get(opened.indexOf(store)).metrics().metrics().entrySet().stream()
                .filter(entry -> entry.getKey().name().equals(name))
                .filter(entry -> entry.getKey().tags().entrySet().stream().anyMatch(
                        tag -> tag.getKey().endsWith("-state-id") && tag.getValue().equals("ttl")))
                .map(Map.Entry::getValue)
                .findFirst().orElseThrow(() -> new AssertionError("no metric " + name));
        return ((Number) found.metricValue()).doubleValue();
    }

    /** How late after its deadline an entry may leave: one slot of the expiry index. */
    private static long slotWidth() {
        return TTL.toMillis() / ExpiringData.SLOTS_PER_TTL;
    }

    static Bytes key(String key) {
        return Bytes.wrap(key.getBytes(StandardCharsets.UTF_8));
    }

    /** A timestamped value, {@code [8-byte timestamp][text]}. */
    static byte[] value(long timestamp, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(Long.BYTES + bytes.length).putLong(timestamp).put(bytes).array();
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, String key, byte[] value) {
        return new ConsumerRecord<>("app-ttl-changelog", 0, offset, key.getBytes(StandardCharsets.UTF_8), value);
    }

    private static List<String> keys(KeyValueIterator<Bytes, byte[]> iterator) {
        List<String> keys = new ArrayList<>();
        try (iterator) {
            iterator.forEachRemaining(entry -> keys.add(new String(entry.key.get(), StandardCharsets.UTF_8)));
        }
        return keys;
    }

    /** A clock a test moves. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
