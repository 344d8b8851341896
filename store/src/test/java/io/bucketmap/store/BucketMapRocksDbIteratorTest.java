package io.bucketmap.store;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.BucketMapRocksDbIterator;
import org.apache.kafka.streams.state.internals.ManagedKeyValueIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store's iterator in the type Kafka's timestamp adapter casts range results to: an instance of Kafka's own
 * {@code RocksDbIterator} (what 4.3 casts to) and {@link ManagedKeyValueIterator} (4.4), whose every step is the
 * store iterator's.
 */
class BucketMapRocksDbIteratorTest {
    private final KeyValueStore<Bytes, byte[]> store = BucketMapStores.keyValueStore("s").get();

    BucketMapRocksDbIteratorTest() {
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        store.put(key("a"), bytes("1"));
        store.put(key("b"), bytes("2"));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void itIsAKafkaRocksDbIteratorAndAManagedKeyValueIterator() throws ClassNotFoundException {
        try (KeyValueIterator<Bytes, byte[]> iterator = new BucketMapRocksDbIterator("s", store.all())) {
            assertThat(Class.forName("org.apache.kafka.streams.state.internals.RocksDbIterator")).isAssignableFrom(
                    iterator.getClass());
            assertThat(iterator).isInstanceOf(ManagedKeyValueIterator.class);
        }
    }

    @Test
    void everyStepIsTheStoreIteratorsStep() {
        try (KeyValueIterator<Bytes, byte[]> iterator =
                     new BucketMapRocksDbIterator("s", store.range(key("a"), null))) {
            assertThat(iterator.peekNextKey()).isEqualTo(key("a"));
            KeyValue<Bytes, byte[]> first = iterator.next();
            assertThat(first.key).isEqualTo(key("a"));
            assertThat(first.value).isEqualTo(bytes("1"));
            assertThat(iterator.hasNext()).isTrue();
            assertThat(iterator.next().key).isEqualTo(key("b"));
            assertThat(iterator.hasNext()).isFalse();
        }
    }

    @Test
    void closingRunsTheCloseCallbackOnceAndClosesTheStoreIterator() {
        AtomicInteger callbacks = new AtomicInteger();
        BucketMapRocksDbIterator iterator = new BucketMapRocksDbIterator("s", store.all());
        iterator.onClose(callbacks::incrementAndGet);

        iterator.close();
        iterator.close();

        assertThat(callbacks).hasValue(1);
        assertThatThrownBy(iterator::hasNext).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aStepAfterTheStoreClosedFailsAsTheStoreIteratorDoes() {
        BucketMapRocksDbIterator iterator = new BucketMapRocksDbIterator("s", store.all());

        store.close();

        assertThatThrownBy(iterator::next).isInstanceOf(InvalidStateStoreException.class);
    }

    private static Bytes key(String text) {
        return Bytes.wrap(bytes(text));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
