package io.bucketmap.store;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.internals.PositionSerde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The position a store run with {@code enable.transactional.statestores=true} reports and checks bounds against under
 * {@code READ_COMMITTED}: it follows the data that is committed. A restored changelog record is committed by
 * definition, so a standby or a restoring task answers a bound as soon as the batch holding it is applied, as Kafka's
 * in-memory store does; a processing write moves it only at the next commit; a persistent store opened from its local
 * copy starts at the copy's position.
 */
@RequiresKafkaStreams(value = "4.4", reason = "transactional state stores and IQv2 isolation levels")
class CommittedPositionTest {
    private static final String INPUT = "input";
    private static final TopicPartition CHANGELOG = new TopicPartition("app-store-changelog", 0);
    private static final QueryConfig READ_COMMITTED = new QueryConfig(false, IsolationLevel.READ_COMMITTED);
    private static final QueryConfig READ_UNCOMMITTED = new QueryConfig(false, IsolationLevel.READ_UNCOMMITTED);

    @TempDir
    File stateDir;
    private final List<BucketMapKeyValueStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(BucketMapKeyValueStore::close);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"in-memory", "hash-order", "persistent"})
    void aReadCommittedQueryBoundAtARestoredRecordIsAnsweredOnceItsBatchIsApplied(String kind) {
        RestoringContext context = context(kind);
        BucketMapKeyValueStore store = open(kind, context);

        context.restore(List.of(restored(0, "a", "1", 10), restored(1, "b", "2", 11)));

        QueryResult<byte[]> answer = store.query(KeyQuery.withKey(key("b")), boundAt(11), READ_COMMITTED);
        assertThat(answer.isSuccess()).as("%s", answer).isTrue();
        assertThat(text(answer.getResult())).isEqualTo("2");
        assertThat(answer.getPosition()).isEqualTo(positionAt(11));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"in-memory", "hash-order", "persistent"})
    void aStandbyThatIsNeverCommittedFollowsEachRestoredBatchUnderReadCommitted(String kind) {
        RestoringContext context = context(kind);
        BucketMapKeyValueStore store = open(kind, context);
        for (int batch = 0; batch < 5; batch++) {
            context.restore(List.of(restored(2L * batch, "k", "v" + batch, 100 + 2L * batch),
                    restored(2L * batch + 1, "other", "o" + batch, 101 + 2L * batch)));

            long lastInput = 101 + 2L * batch;
            QueryResult<KeyValueIterator<Bytes, byte[]>> range =
                    store.query(RangeQuery.withNoBounds(), boundAt(lastInput), READ_COMMITTED);
            assertThat(range.isSuccess()).as("batch %d: %s", batch, range).isTrue();
            assertThat(drain(range.getResult())).containsExactlyInAnyOrder("k=v" + batch, "other=o" + batch);
            assertThat(range.getPosition()).isEqualTo(positionAt(lastInput));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"in-memory", "persistent"})
    void aProcessingWriteMovesTheReadCommittedPositionOnlyAtTheNextCommit(String kind) {
        RestoringContext context = context(kind);
        BucketMapKeyValueStore store = open(kind, context);
        context.processorContext().setRecordMetadata(INPUT, 0, 5L);
        store.put(key("a"), bytes("1"));

        QueryResult<byte[]> beforeCommit = store.query(KeyQuery.withKey(key("a")), boundAt(5), READ_COMMITTED);
        assertThat(beforeCommit.getFailureReason()).isEqualTo(FailureReason.NOT_UP_TO_BOUND);
        assertThat(store.query(KeyQuery.withKey(key("a")), boundAt(5), READ_UNCOMMITTED).isSuccess()).isTrue();

        store.commit(Map.of(CHANGELOG, 0L));
        QueryResult<byte[]> afterCommit = store.query(KeyQuery.withKey(key("a")), boundAt(5), READ_COMMITTED);
        assertThat(afterCommit.isSuccess()).as("%s", afterCommit).isTrue();
        assertThat(text(afterCommit.getResult())).isEqualTo("1");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"in-memory", "persistent"})
    void aBatchRestoredAfterUncommittedProcessingWritesLeavesTheirPositionOutOfTheCommittedOne(String kind) {
        // Kafka Streams restores a store only before its task processes; if a context did both, the committed
        // position may lag (a bound refused until the next commit), but must never cover an uncommitted write.
        RestoringContext context = context(kind);
        BucketMapKeyValueStore store = open(kind, context);
        context.processorContext().setRecordMetadata(INPUT, 0, 50L);
        store.put(key("processed"), bytes("uncommitted"));

        context.restore(List.of(restored(0, "restored", "r", 20)));

        QueryResult<byte[]> atProcessed = store.query(KeyQuery.withKey(key("processed")), boundAt(50), READ_COMMITTED);
        assertThat(atProcessed.getFailureReason()).isEqualTo(FailureReason.NOT_UP_TO_BOUND);
        assertThat(atProcessed.getPosition().getPartitionPositions(INPUT).getOrDefault(0, -1L)).isLessThan(50L);
    }

    @Test
    void aPersistentStoreOpenedFromItsCopyStartsWithTheCopysPositionAsItsCommittedOne() {
        RestoringContext firstContext = context("persistent");
        BucketMapKeyValueStore first = open("persistent", firstContext);
        firstContext.processorContext().setRecordMetadata(INPUT, 0, 7L);
        first.put(key("a"), bytes("committed"));
        first.commit(Map.of(CHANGELOG, 0L));
        first.close();

        BucketMapKeyValueStore reopened = open("persistent", context("persistent"));

        QueryResult<byte[]> answer = reopened.query(KeyQuery.withKey(key("a")), boundAt(7), READ_COMMITTED);
        assertThat(answer.isSuccess()).as("%s", answer).isTrue();
        assertThat(text(answer.getResult())).isEqualTo("committed");
        assertThat(answer.getPosition()).isEqualTo(positionAt(7));
    }

    @Test
    void aPersistentStoreReopenedFromItsCopyAddsTheRestoredTailToItsCommittedPosition() {
        RestoringContext firstContext = context("persistent");
        BucketMapKeyValueStore first = open("persistent", firstContext);
        firstContext.processorContext().setRecordMetadata(INPUT, 0, 7L);
        first.put(key("a"), bytes("1"));
        first.commit(Map.of(CHANGELOG, 0L));
        first.close();
        RestoringContext context = context("persistent");
        BucketMapKeyValueStore reopened = open("persistent", context);

        context.restore(List.of(restored(1, "a", "2", 8)));

        QueryResult<byte[]> answer = reopened.query(KeyQuery.withKey(key("a")), boundAt(8), READ_COMMITTED);
        assertThat(answer.isSuccess()).as("%s", answer).isTrue();
        assertThat(text(answer.getResult())).isEqualTo("2");
    }

    private RestoringContext context(String kind) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "committed-position-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:0");
        config.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "true");
        config.put(StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, true);
        return kind.equals("persistent") ? new RestoringContext(config, stateDir) : new RestoringContext(config);
    }

    private BucketMapKeyValueStore open(String kind, RestoringContext context) {
        KeyValueBytesStoreSupplier supplier = switch (kind) {
            case "in-memory" -> BucketMapStores.keyValueStore("store");
            case "hash-order" -> BucketMapStores.hashOrderKeyValueStore("store");
            case "persistent" -> BucketMapStores.persistentKeyValueStore("store");
            default -> throw new IllegalArgumentException(kind);
        };
        BucketMapKeyValueStore store = (BucketMapKeyValueStore) supplier.get();
        opened.add(store);
        store.init(context, store);
        return store;
    }

    /** A changelog record as Kafka's logging layer writes it with consistency vectors on: the input offset in a header. */
    private static ConsumerRecord<byte[], byte[]> restored(long changelogOffset, String key, String value,
                                                           long inputOffset) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader("v", new byte[] {0}));
        headers.add(new RecordHeader("c", PositionSerde.serialize(positionAt(inputOffset)).array()));
        byte[] valueBytes = value == null ? null : bytes(value);
        return new ConsumerRecord<>(CHANGELOG.topic(), CHANGELOG.partition(), changelogOffset, 0L,
                TimestampType.CREATE_TIME, key.length(), valueBytes == null ? 0 : valueBytes.length, bytes(key),
                valueBytes, headers, Optional.empty());
    }

    private static Position positionAt(long inputOffset) {
        return Position.emptyPosition().withComponent(INPUT, 0, inputOffset);
    }

    private static PositionBound boundAt(long inputOffset) {
        return PositionBound.at(positionAt(inputOffset));
    }

    private static List<String> drain(KeyValueIterator<Bytes, byte[]> iterator) {
        List<String> entries = new ArrayList<>();
        try (iterator) {
            iterator.forEachRemaining(entry -> entries.add(text(entry.key.get()) + "=" + text(entry.value)));
        }
        return entries;
    }

    private static Bytes key(String key) {
        return Bytes.wrap(bytes(key));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
