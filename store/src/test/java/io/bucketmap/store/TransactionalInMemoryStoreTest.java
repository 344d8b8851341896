package io.bucketmap.store;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-memory bucket-map store under {@code enable.transactional.statestores=true}: as Kafka's
 * {@code InMemoryKeyValueStore} there, readers at {@code READ_UNCOMMITTED} (the default) see every write, readers at
 * {@code READ_COMMITTED} see the last commit, and the store reports the bytes written since that commit.
 */
@RequiresKafkaStreams("4.4")
class TransactionalInMemoryStoreTest {
    @Test
    void readCommittedSeesTheLastCommitWhileReadUncommittedSeesEveryWrite() {
        KeyValueStore<Bytes, byte[]> store = transactionalStore(true);
        store.put(key("a"), value("1"));
        store.put(key("gone"), value("x"));
        store.commit(Map.of());
        store.put(key("a"), value("2"));
        store.put(key("new"), value("n"));
        store.delete(key("gone"));

        ReadOnlyKeyValueStore<Bytes, byte[]> committed = store.readOnly(IsolationLevel.READ_COMMITTED);
        assertThat(text(committed.get(key("a")))).isEqualTo("1");
        assertThat(committed.get(key("new"))).isNull();
        assertThat(text(committed.get(key("gone")))).isEqualTo("x");
        assertThat(text(store.get(key("a")))).isEqualTo("2");
        assertThat(text(store.readOnly(IsolationLevel.READ_UNCOMMITTED).get(key("new")))).isEqualTo("n");
        assertThat(store.get(key("gone"))).isNull();

        store.commit(Map.of());
        assertThat(text(committed.get(key("a")))).isEqualTo("2");
        assertThat(text(committed.get(key("new")))).isEqualTo("n");
        assertThat(committed.get(key("gone"))).isNull();
    }

    @Test
    void readCommittedRangesShowDeletedKeysAndHideInsertedOnesInKeyOrder() {
        KeyValueStore<Bytes, byte[]> store = transactionalStore(true);
        for (String k : List.of("b", "d", "f", "h")) {
            store.put(key(k), value(k + "0"));
        }
        store.commit(Map.of());
        store.delete(key("d"));
        store.put(key("e"), value("e1"));
        store.put(key("f"), value("f1"));
        store.delete(key("h"));
        ReadOnlyKeyValueStore<Bytes, byte[]> committed = store.readOnly(IsolationLevel.READ_COMMITTED);

        assertThat(drain(committed.all())).containsExactly("b=b0", "d=d0", "f=f0", "h=h0");
        assertThat(drain(committed.reverseAll())).containsExactly("h=h0", "f=f0", "d=d0", "b=b0");
        assertThat(drain(committed.range(key("c"), key("g")))).containsExactly("d=d0", "f=f0");
        assertThat(drain(committed.reverseRange(key("c"), key("h")))).containsExactly("h=h0", "f=f0", "d=d0");
        assertThat(drain(committed.range(key("g"), key("c")))).isEmpty();
        assertThat(drain(committed.prefixScan("d", new StringSerializer()))).containsExactly("d=d0");
        assertThat(drain(store.all())).containsExactly("b=b0", "e=e1", "f=f1");
    }

    @Test
    void iqv2AtReadCommittedAnswersFromTheLastCommitAndAtReadUncommittedFromTheLatestWrite() {
        KeyValueStore<Bytes, byte[]> store = transactionalStore(true);
        store.put(key("a"), value("1"));
        store.commit(Map.of());
        store.put(key("a"), value("2"));
        store.put(key("b"), value("3"));

        QueryResult<byte[]> committed = store.query(KeyQuery.withKey(key("a")), PositionBound.unbounded(),
                new QueryConfig(false, IsolationLevel.READ_COMMITTED));
        QueryResult<byte[]> latest = store.query(KeyQuery.withKey(key("a")), PositionBound.unbounded(),
                new QueryConfig(false, IsolationLevel.READ_UNCOMMITTED));
        QueryResult<KeyValueIterator<Bytes, byte[]>> committedRange = store.query(
                RangeQuery.<Bytes, byte[]>withNoBounds().withDescendingKeys(), PositionBound.unbounded(),
                new QueryConfig(false, IsolationLevel.READ_COMMITTED));

        assertThat(text(committed.getResult())).isEqualTo("1");
        assertThat(text(latest.getResult())).isEqualTo("2");
        try (KeyValueIterator<Bytes, byte[]> entries = committedRange.getResult()) {
            assertThat(drain(entries)).containsExactly("a=1");
        }
    }

    @Test
    void uncommittedBytesCountEachWriteUntilTheCommitAndStayZeroWithoutTransactionalStores() {
        KeyValueStore<Bytes, byte[]> store = transactionalStore(true);
        store.put(key("ab"), value("xyz"));
        store.put(key("ab"), value("x"));
        store.delete(key("cd"));
        assertThat(store.approximateNumUncommittedBytes()).isEqualTo(2 + 3 + 2 + 1 + 2);
        store.commit(Map.of());
        assertThat(store.approximateNumUncommittedBytes()).isZero();

        KeyValueStore<Bytes, byte[]> plain = transactionalStore(false);
        plain.put(key("ab"), value("xyz"));
        assertThat(plain.approximateNumUncommittedBytes()).isZero();
        assertThat(plain.readOnly(IsolationLevel.READ_COMMITTED)).isSameAs(plain);
    }

    @Test
    void closingDropsTheUncommittedRecordSoTheNextOpenStartsClean() {
        KeyValueStore<Bytes, byte[]> store = BucketMapStores.keyValueStore("s").get();
        RestoringContext context = new RestoringContext(transactional(true));
        store.init(context, store);
        store.put(key("a"), value("1"));
        store.close();
        store.init(context, store);

        assertThat(store.approximateNumUncommittedBytes()).isZero();
        assertThat(store.readOnly(IsolationLevel.READ_COMMITTED).get(key("a"))).isNull();
    }

    @ParameterizedTest(name = "ordered={0}")
    @ValueSource(booleans = {true, false})
    void theCommittedViewAlwaysEqualsTheStateAtTheLastCommit(boolean ordered) {
        KeyValueStore<Bytes, byte[]> store = (ordered ? BucketMapStores.keyValueStore("s")
                : BucketMapStores.hashOrderKeyValueStore("s")).get();
        store.init(new RestoringContext(transactional(true)), store);
        TreeMap<String, String> latest = new TreeMap<>();
        TreeMap<String, String> atCommit = new TreeMap<>();
        Random random = new Random(42);
        ReadOnlyKeyValueStore<Bytes, byte[]> committed = store.readOnly(IsolationLevel.READ_COMMITTED);
        for (int step = 0; step < 5_000; step++) {
            String k = "k" + random.nextInt(300);
            int op = random.nextInt(20);
            if (op < 12) {
                String v = "v" + step;
                store.put(key(k), value(v));
                latest.put(k, v);
            } else if (op < 19) {
                store.delete(key(k));
                latest.remove(k);
            } else {
                store.commit(Map.of());
                atCommit = new TreeMap<>(latest);
            }
            if (step % 97 == 0) {
                List<String> expected = new ArrayList<>();
                atCommit.forEach((key, value) -> expected.add(key + "=" + value));
                List<String> actual = drain(committed.all());
                if (ordered) {
                    assertThat(actual).as("step %d", step).containsExactlyElementsOf(expected);
                } else {
                    assertThat(actual).as("step %d", step).containsExactlyInAnyOrderElementsOf(expected);
                }
                List<String> descending = new ArrayList<>();
                atCommit.descendingMap().forEach((key, value) -> descending.add(key + "=" + value));
                if (ordered) {
                    assertThat(drain(committed.reverseAll())).containsExactlyElementsOf(descending);
                }
                assertThat(text(committed.get(key(k)))).isEqualTo(atCommit.get(k));
            }
        }
    }

    private static KeyValueStore<Bytes, byte[]> transactionalStore(boolean transactional) {
        KeyValueStore<Bytes, byte[]> store = BucketMapStores.keyValueStore("s").get();
        store.init(new RestoringContext(transactional(transactional)), store);
        return store;
    }

    private static Properties transactional(boolean on) {
        Properties config = new Properties();
        config.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, Boolean.toString(on));
        return config;
    }

    private static List<String> drain(KeyValueIterator<Bytes, byte[]> iterator) {
        List<String> entries = new ArrayList<>();
        try (iterator) {
            while (iterator.hasNext()) {
                KeyValue<Bytes, byte[]> entry = iterator.next();
                entries.add(text(entry.key.get()) + "=" + text(entry.value));
            }
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
