package io.bucketmap.store;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bare store (no Kafka wrappers) under {@code MockProcessorContext.getStateStoreContext()}, the context users
 * unit-test their processors with.
 */
class BucketMapKeyValueStoreTest {
    private final MockProcessorContext<Object, Object> processorContext = new MockProcessorContext<>();
    private final BucketMapKeyValueStore store = open(BucketMapStores.keyValueStore("store").get());

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void initialisesUnderMockProcessorContextAndReadsItsOwnWrites() {
        store.put(key("a"), bytes("1"));

        assertThat(store.isOpen()).isTrue();
        assertThat(store.persistent()).isFalse();
        assertThat(store.get(key("a"))).isEqualTo(bytes("1"));
        assertThat(store.get(key("missing"))).isNull();
    }

    @Test
    void rangeAndAllReturnKeysInAscendingUnsignedByteOrder() {
        putAll("b", "a", "c");
        store.put(Bytes.wrap(new byte[] {(byte) 0x80}), bytes("high"));

        assertThat(keys(store.all())).containsExactly("a", "b", "c", "\u0080");
        assertThat(keys(store.range(key("a"), key("b")))).containsExactly("a", "b");
        assertThat(keys(store.range(null, key("b")))).containsExactly("a", "b");
        assertThat(keys(store.range(key("b"), null))).containsExactly("b", "c", "\u0080");
        assertThat(keys(store.range(null, null))).containsExactly("a", "b", "c", "\u0080");
    }

    @Test
    void reverseRangeAndReverseAllReturnKeysInDescendingOrder() {
        putAll("b", "a", "c", "d");

        assertThat(keys(store.reverseAll())).containsExactly("d", "c", "b", "a");
        assertThat(keys(store.reverseRange(key("b"), key("c")))).containsExactly("c", "b");
        assertThat(keys(store.reverseRange(null, key("b")))).containsExactly("b", "a");
        assertThat(keys(store.reverseRange(key("c"), null))).containsExactly("d", "c");
    }

    @Test
    void rangeWithFromAboveToIsEmptyLikeKafkasStores() {
        putAll("a", "b", "c");

        assertThat(keys(store.range(key("c"), key("a")))).isEmpty();
        assertThat(keys(store.reverseRange(key("c"), key("a")))).isEmpty();
    }

    @Test
    void prefixScanReturnsTheKeysThatStartWithTheSerializedPrefixInOrder() {
        putAll("prefix_2", "k1", "prefix_1", "prefiy", "prefix", "pre");

        try (var serde = Serdes.String()) {
            assertThat(keys(store.prefixScan("prefix", serde.serializer())))
                    .containsExactly("prefix", "prefix_1", "prefix_2");
            assertThat(keys(store.prefixScan("none", serde.serializer()))).isEmpty();
        }
    }

    @Test
    void prefixScanOfAllOnesBytesHasNoUpperBound() {
        byte[] ff = {(byte) 0xFF};
        byte[] ffKey = {(byte) 0xFF, 1};
        store.put(Bytes.wrap(ffKey), bytes("v"));
        store.put(key("a"), bytes("v"));

        try (var serde = Serdes.ByteArray()) {
            List<KeyValue<Bytes, byte[]>> found = drain(store.prefixScan(ff, serde.serializer()));
            assertThat(found).extracting(kv -> kv.key).containsExactly(Bytes.wrap(ffKey));
        }
    }

    @Test
    void putWithNullValueDeletesTheKey() {
        store.put(key("a"), bytes("1"));
        store.put(key("a"), null);

        assertThat(store.get(key("a"))).isNull();
        assertThat(store.approximateNumEntries()).isZero();
    }

    @Test
    void putAllAppliesEntriesInOrderAndNullValuesDelete() {
        store.put(key("gone"), bytes("0"));

        store.putAll(List.of(
                KeyValue.pair(key("a"), bytes("1")),
                KeyValue.pair(key("a"), bytes("2")),
                KeyValue.pair(key("gone"), null)));

        assertThat(store.get(key("a"))).isEqualTo(bytes("2"));
        assertThat(store.get(key("gone"))).isNull();
    }

    @Test
    void putIfAbsentKeepsAnExistingValueAndReturnsIt() {
        assertThat(store.putIfAbsent(key("a"), bytes("1"))).isNull();
        assertThat(store.putIfAbsent(key("a"), bytes("2"))).isEqualTo(bytes("1"));
        assertThat(store.putIfAbsent(key("b"), null)).isNull();

        assertThat(store.get(key("a"))).isEqualTo(bytes("1"));
        assertThat(store.approximateNumEntries()).isEqualTo(1);
    }

    @Test
    void deleteReturnsThePreviousValue() {
        store.put(key("a"), bytes("1"));

        assertThat(store.delete(key("a"))).isEqualTo(bytes("1"));
        assertThat(store.delete(key("a"))).isNull();
    }

    @Test
    void approximateNumEntriesIsTheExactCountWhenQuiet() {
        for (int i = 0; i < 1_000; i++) {
            store.put(key("k" + i), bytes("v"));
        }
        for (int i = 0; i < 300; i++) {
            store.delete(key("k" + i));
        }

        assertThat(store.approximateNumEntries()).isEqualTo(700);
    }

    @Test
    void valuesWithKafkasTimestampPrefixPassThroughUnchanged() {
        byte[] timestamped = {0, 0, 0, 0, 0, 0, 0, 42, 'v'};
        store.put(key("a"), timestamped);

        assertThat(store.get(key("a"))).isEqualTo(timestamped);
        assertThat(drain(store.all()).get(0).value).isEqualTo(timestamped);
    }

    @Test
    void nullKeysFailWithANullPointerExceptionThatSaysSo() {
        assertThatThrownBy(() -> store.get(null)).isInstanceOf(NullPointerException.class).hasMessage("key cannot be null");
        assertThatThrownBy(() -> store.put(null, bytes("v"))).isInstanceOf(NullPointerException.class)
                .hasMessage("key cannot be null");
        assertThatThrownBy(() -> store.putIfAbsent(null, bytes("v"))).isInstanceOf(NullPointerException.class)
                .hasMessage("key cannot be null");
        assertThatThrownBy(() -> store.delete(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("key cannot be null");
        assertThatThrownBy(() -> store.putAll(List.of(KeyValue.pair(null, bytes("v")))))
                .isInstanceOf(NullPointerException.class).hasMessage("key cannot be null");
    }

    @Test
    void everyOperationOnAClosedStoreFailsWithInvalidStateStoreException() {
        store.put(key("a"), bytes("1"));
        store.close();

        assertThat(store.isOpen()).isFalse();
        assertThatThrownBy(() -> store.get(key("a"))).isInstanceOf(InvalidStateStoreException.class)
                .hasMessageContaining("store").hasMessageContaining("closed");
        assertThatThrownBy(() -> store.put(key("a"), bytes("2"))).isInstanceOf(InvalidStateStoreException.class);
        assertThatThrownBy(() -> store.delete(key("a"))).isInstanceOf(InvalidStateStoreException.class);
        assertThatThrownBy(store::all).isInstanceOf(InvalidStateStoreException.class);
        assertThatThrownBy(store::approximateNumEntries).isInstanceOf(InvalidStateStoreException.class);
    }

    @Test
    void aStoreUsedBeforeInitFailsWithInvalidStateStoreException() {
        BucketMapKeyValueStore fresh = (BucketMapKeyValueStore) BucketMapStores.keyValueStore("fresh").get();

        assertThatThrownBy(() -> fresh.put(key("a"), bytes("1"))).isInstanceOf(InvalidStateStoreException.class)
                .hasMessageContaining("init()");
    }

    @Test
    void anIteratorStepAfterTheStoreClosedFailsWithInvalidStateStoreException() {
        putAll("a", "b");
        KeyValueIterator<Bytes, byte[]> iterator = store.all();
        iterator.next();

        store.close();

        assertThatThrownBy(iterator::hasNext).isInstanceOf(InvalidStateStoreException.class);
        iterator.close();
    }

    @Test
    void anIteratorUsedAfterItsCloseFailsAndClosingTwiceIsHarmless() {
        putAll("a");
        KeyValueIterator<Bytes, byte[]> iterator = store.all();
        iterator.close();
        iterator.close();

        assertThatThrownBy(iterator::hasNext).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("close");
        assertThatThrownBy(iterator::next).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(iterator::peekNextKey).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anIteratorSeesWritesMadeDuringIterationWithoutException() {
        putAll("a", "b", "c", "d");
        List<String> seen = new ArrayList<>();

        try (KeyValueIterator<Bytes, byte[]> iterator = store.all()) {
            seen.add(string(iterator.next().key));
            store.delete(key("c"));
            store.put(key("e"), bytes("v"));
            store.put(key("b"), bytes("updated"));
            KeyValue<Bytes, byte[]> b = iterator.next();
            assertThat(b.value).isEqualTo(bytes("updated"));
            seen.add(string(b.key));
            iterator.forEachRemaining(kv -> seen.add(string(kv.key)));
        }

        assertThat(seen).containsExactly("a", "b", "d", "e");
    }

    @Test
    void peekNextKeyDoesNotAdvance() {
        putAll("a", "b");

        try (KeyValueIterator<Bytes, byte[]> iterator = store.all()) {
            assertThat(iterator.peekNextKey()).isEqualTo(key("a"));
            assertThat(iterator.next().key).isEqualTo(key("a"));
            assertThat(iterator.peekNextKey()).isEqualTo(key("b"));
        }
    }

    @Test
    void writesWhileProcessingARecordAdvanceThePositionToThatRecordsOffset() {
        processorContext.setRecordMetadata("input", 2, 7L);
        store.put(key("a"), bytes("1"));
        processorContext.setRecordMetadata("input", 2, 8L);
        store.delete(key("a"));

        assertThat(store.getPosition()).isEqualTo(Position.fromMap(Map.of("input", Map.of(2, 8L))));
    }

    @Test
    void commitKeepsEverythingAndOffsetsAreLeftToKafkaStreams() {
        store.put(key("a"), bytes("1"));

        store.commit(Map.of(new TopicPartition("changelog", 0), 10L));

        assertThat(store.get(key("a"))).isEqualTo(bytes("1"));
        assertThat(store.managesOffsets()).isFalse();
        assertThat(store.committedOffset(new TopicPartition("changelog", 0))).isNull();
    }

    @Test
    void commitsFinishAShrinkThatWritesLeftHalfDone() {
        for (int i = 0; i < 100_000; i++) {
            store.put(key("k" + i), bytes("v"));
        }
        int deleted = 0;
        while (store.stats().migration() != io.bucketmap.core.BucketMapStats.MigrationState.SHRINKING) {
            store.delete(key("k" + deleted++));
        }

        int commits = 0;
        while (store.stats().migration() != io.bucketmap.core.BucketMapStats.MigrationState.IDLE) {
            store.commit(Map.of());
            commits++;
        }

        assertThat(commits).isBetween(1, 100);
        assertThat(store.approximateNumEntries()).isEqualTo(100_000 - deleted);
        assertThat(store.get(key("k" + deleted))).isEqualTo(bytes("v"));
    }

    @Test
    @SuppressWarnings("deprecation")
    void flushFinishesAShrinkAsCommitDoesForKafkaStreamsBefore43WhichCallsFlushInstead() {
        for (int i = 0; i < 100_000; i++) {
            store.put(key("k" + i), bytes("v"));
        }
        int deleted = 0;
        while (store.stats().migration() != io.bucketmap.core.BucketMapStats.MigrationState.SHRINKING) {
            store.delete(key("k" + deleted++));
        }

        int flushes = 0;
        while (store.stats().migration() != io.bucketmap.core.BucketMapStats.MigrationState.IDLE) {
            store.flush();
            flushes++;
        }

        assertThat(flushes).isBetween(1, 100);
        assertThat(store.approximateNumEntries()).isEqualTo(100_000 - deleted);
    }

    @Test
    void theHashOrderStoreReturnsExactlyTheMatchingKeysInSomeOrder() {
        BucketMapKeyValueStore hashOrder = open(BucketMapStores.hashOrderKeyValueStore("hash").get());
        try {
            for (String k : List.of("a", "b", "c", "d", "pa", "pb", "q")) {
                hashOrder.put(key(k), bytes(k));
            }

            assertThat(hashOrder.isOrdered()).isFalse();
            assertThat(keys(hashOrder.all())).containsExactlyInAnyOrder("a", "b", "c", "d", "pa", "pb", "q");
            assertThat(keys(hashOrder.reverseAll())).containsExactlyInAnyOrder("a", "b", "c", "d", "pa", "pb", "q");
            assertThat(keys(hashOrder.range(key("b"), key("d")))).containsExactlyInAnyOrder("b", "c", "d");
            assertThat(keys(hashOrder.reverseRange(key("b"), null)))
                    .containsExactlyInAnyOrder("b", "c", "d", "pa", "pb", "q");
            try (var serde = Serdes.String()) {
                assertThat(keys(hashOrder.prefixScan("p", serde.serializer()))).containsExactlyInAnyOrder("pa", "pb");
            }
        } finally {
            hashOrder.close();
        }
    }

    private BucketMapKeyValueStore open(org.apache.kafka.streams.state.KeyValueStore<Bytes, byte[]> supplied) {
        BucketMapKeyValueStore bucketMapStore = (BucketMapKeyValueStore) supplied;
        bucketMapStore.init(processorContext.getStateStoreContext(), bucketMapStore);
        return bucketMapStore;
    }

    private void putAll(String... keys) {
        for (String k : keys) {
            store.put(key(k), bytes(k));
        }
    }

    private static List<String> keys(KeyValueIterator<Bytes, byte[]> iterator) {
        return drain(iterator).stream().map(kv -> string(kv.key)).toList();
    }

    private static List<KeyValue<Bytes, byte[]>> drain(KeyValueIterator<Bytes, byte[]> iterator) {
        try (iterator) {
            List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>();
            iterator.forEachRemaining(entries::add);
            entries.forEach(kv -> assertThat(kv.value).isNotNull());
            return entries;
        }
    }

    private static Bytes key(String text) {
        return Bytes.wrap(bytes(text));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String string(Bytes key) {
        return new String(key.get(), StandardCharsets.ISO_8859_1);
    }
}
