package io.bucketmap.store;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.WindowKeyQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** IQv2 queries as they reach the innermost store: raw bytes, with position bounds. */
class KeyValueQueriesTest {
    private final MockProcessorContext<Object, Object> processorContext = new MockProcessorContext<>();
    private final BucketMapKeyValueStore store = (BucketMapKeyValueStore) BucketMapStores.keyValueStore("s").get();
    private final QueryConfig config = new QueryConfig(false);

    KeyValueQueriesTest() {
        store.init(processorContext.getStateStoreContext(), store);
        int offset = 0;
        for (String k : List.of("a", "b", "c", "d")) {
            processorContext.setRecordMetadata("input", 0, offset++);
            store.put(key(k), bytes("value-" + k));
        }
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void aKeyQueryReturnsTheValueAndTheStoresPosition() {
        QueryResult<byte[]> result = store.query(KeyQuery.withKey(key("b")), PositionBound.unbounded(), config);

        assertThat(result.isSuccess()).isTrue();
        assertThat(result.getResult()).isEqualTo(bytes("value-b"));
        assertThat(result.getPosition()).isEqualTo(Position.emptyPosition().withComponent("input", 0, 3L));
    }

    @Test
    void aKeyQueryForAMissingKeyReturnsNull() {
        QueryResult<byte[]> result = store.query(KeyQuery.withKey(key("zz")), PositionBound.unbounded(), config);

        assertThat(result.isSuccess()).isTrue();
        assertThat(result.getResult()).isNull();
    }

    @Test
    void rangeQueriesHonourBoundsAndOrder() {
        assertThat(keys(store.query(RangeQuery.withRange(key("b"), key("c")), PositionBound.unbounded(), config)))
                .containsExactly("b", "c");
        assertThat(keys(store.query(RangeQuery.<Bytes, byte[]>withLowerBound(key("c")), PositionBound.unbounded(),
                config))).containsExactly("c", "d");
        assertThat(keys(store.query(RangeQuery.<Bytes, byte[]>withNoBounds().withDescendingKeys(),
                PositionBound.unbounded(), config))).containsExactly("d", "c", "b", "a");
        assertThat(keys(store.query(RangeQuery.<Bytes, byte[]>withUpperBound(key("b")).withDescendingKeys(),
                PositionBound.unbounded(), config))).containsExactly("b", "a");
    }

    @Test
    void aQueryBoundAheadOfTheStoreIsNotUpToBound() {
        PositionBound ahead = PositionBound.at(Position.emptyPosition().withComponent("input", 0, 4L));

        QueryResult<byte[]> result = store.query(KeyQuery.withKey(key("a")), ahead, config);

        assertThat(result.isFailure()).isTrue();
        assertThat(result.getFailureReason()).isEqualTo(FailureReason.NOT_UP_TO_BOUND);
    }

    @Test
    void aQueryBoundTheStoreHasReachedIsAnswered() {
        PositionBound reached = PositionBound.at(Position.emptyPosition()
                .withComponent("input", 0, 3L)
                .withComponent("other-topic", 5, 100L));

        QueryResult<byte[]> result = store.query(KeyQuery.withKey(key("a")), reached, config);

        assertThat(result.isSuccess()).isTrue();
        assertThat(result.getResult()).isEqualTo(bytes("value-a"));
    }

    @Test
    void anUnknownQueryTypeIsReportedAsSuch() {
        QueryResult<WindowStoreIterator<byte[]>> result = store.query(
                WindowKeyQuery.withKeyAndWindowStartRange(key("a"), Instant.EPOCH, Instant.now()),
                PositionBound.unbounded(), config);

        assertThat(result.getFailureReason()).isEqualTo(FailureReason.UNKNOWN_QUERY_TYPE);
    }

    @Test
    void aQueryOnAClosedStoreIsAStoreExceptionFailure() {
        store.close();

        QueryResult<byte[]> result = store.query(KeyQuery.withKey(key("a")), PositionBound.unbounded(), config);

        assertThat(result.getFailureReason()).isEqualTo(FailureReason.STORE_EXCEPTION);
        assertThat(result.getFailureMessage()).contains("InvalidStateStoreException");
    }

    @Test
    void executionInfoIsCollectedWhenAsked() {
        QueryResult<byte[]> result = store.query(KeyQuery.withKey(key("a")), PositionBound.unbounded(),
                new QueryConfig(true));

        assertThat(result.getExecutionInfo()).singleElement().asString().contains("BucketMapKeyValueStore");
    }

    private static List<String> keys(QueryResult<KeyValueIterator<Bytes, byte[]>> result) {
        assertThat(result.isSuccess()).isTrue();
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> iterator = result.getResult()) {
            while (iterator.hasNext()) {
                KeyValue<Bytes, byte[]> next = iterator.next();
                keys.add(new String(next.key.get(), StandardCharsets.UTF_8));
            }
        }
        return keys;
    }

    private static Bytes key(String text) {
        return Bytes.wrap(bytes(text));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
