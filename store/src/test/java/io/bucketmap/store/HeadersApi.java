package io.bucketmap.store;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.ReadOnlyRecord;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.TimestampedKeyWithHeadersQuery;
import org.apache.kafka.streams.query.TimestampedRangeWithHeadersQuery;
import org.apache.kafka.streams.DslStoreFormat;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.state.DslKeyValueParams;
import org.apache.kafka.streams.state.DslSessionParams;
import org.apache.kafka.streams.state.DslStoreSuppliers;
import org.apache.kafka.streams.state.DslWindowParams;
import org.apache.kafka.streams.state.HeadersBytesStoreSupplier;
import org.apache.kafka.streams.state.SessionBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStoreWithHeaders;
import org.apache.kafka.streams.state.ValueTimestampHeaders;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header-aware types of Kafka Streams, for tests that also run on versions without them: the headers store
 * builder and values (4.3) and the header-aware IQv2 queries (4.4). Only this class names them, and a test calls it
 * only where {@link KafkaStreamsCompatibility} says the Kafka Streams under test has them, so that the other test classes load
 * on every version of the compatibility matrix.
 */
final class HeadersApi {
    private HeadersApi() {
    }

    /** {@code Stores.timestampedKeyValueStoreWithHeadersBuilder} for string keys and values (4.3). */
    static StoreBuilder<?> headersBuilder(KeyValueBytesStoreSupplier supplier) {
        return Stores.timestampedKeyValueStoreWithHeadersBuilder(supplier, Serdes.String(), Serdes.String());
    }

    /** Puts the record, with its timestamp and headers, into a headers store; a null value deletes (4.3). */
    static void write(StateStore store, Record<String, String> record) {
        @SuppressWarnings("unchecked")
        TimestampedKeyValueStoreWithHeaders<String, String> headersStore =
                (TimestampedKeyValueStoreWithHeaders<String, String>) store;
        if (record.value() == null) {
            headersStore.delete(record.key());
        } else {
            headersStore.put(record.key(),
                    ValueTimestampHeaders.make(record.value(), record.timestamp(), record.headers()));
        }
    }

    /**
     * {@code Stores.inMemoryKeyValueStore} declared as a headers supplier, so that {@code Materialized.as} puts it in
     * the headers builder, where it puts a bucket-map headers supplier (4.3). Kafka has no in-memory headers supplier.
     */
    static KeyValueBytesStoreSupplier inMemoryAsHeadersSupplier(String name) {
        return new InMemoryHeadersSupplier(Stores.inMemoryKeyValueStore(name));
    }

    /**
     * The header-aware key and range queries, labelled; the label of the range with its bounds the wrong way round
     * ends with {@code wrongWayRound} (4.4).
     */
    static Map<String, Query<?>> queries(String present, String absent, String lower, String upper,
                                         String wrongWayRound) {
        Map<String, Query<?>> queries = new LinkedHashMap<>();
        queries.put("TimestampedKeyWithHeadersQuery " + present, TimestampedKeyWithHeadersQuery.withKey(present));
        queries.put("TimestampedKeyWithHeadersQuery " + absent, TimestampedKeyWithHeadersQuery.withKey(absent));
        queries.put("TimestampedKeyWithHeadersQuery " + present + " skipCache",
                TimestampedKeyWithHeadersQuery.withKey(present).skipCache());
        queries.put("TimestampedRangeWithHeadersQuery all", TimestampedRangeWithHeadersQuery.withNoBounds());
        queries.put("TimestampedRangeWithHeadersQuery all descending",
                TimestampedRangeWithHeadersQuery.withNoBounds().withDescendingKeys());
        queries.put("TimestampedRangeWithHeadersQuery [" + lower + ", " + upper + "]",
                TimestampedRangeWithHeadersQuery.withRange(lower, upper));
        queries.put("TimestampedRangeWithHeadersQuery [" + lower + ", " + upper + "] descending",
                TimestampedRangeWithHeadersQuery.withRange(lower, upper).withDescendingKeys());
        queries.put("TimestampedRangeWithHeadersQuery [" + lower + ", ...)",
                TimestampedRangeWithHeadersQuery.withLowerBound(lower));
        queries.put("TimestampedRangeWithHeadersQuery (..., " + upper + "] descending",
                TimestampedRangeWithHeadersQuery.withUpperBound(upper).withDescendingKeys());
        queries.put("TimestampedRangeWithHeadersQuery [" + upper + ", " + lower + "] " + wrongWayRound,
                TimestampedRangeWithHeadersQuery.withRange(upper, lower));
        return queries;
    }

    /** A value of a header-aware type as text, or null if it is none (4.3 for values, 4.4 for records). */
    static String describe(Object value) {
        if (value instanceof ValueTimestampHeaders<?> row) {
            return row.value() + "@" + row.timestamp() + describe(row.headers());
        }
        if (!KafkaStreamsCompatibility.runsAtLeast("4.4")) {
            return null;
        }
        return describeRecord(value);
    }

    private static String describeRecord(Object value) {
        if (value instanceof ReadOnlyRecord<?, ?> record) {
            return record.key() + "=" + record.value() + "@" + record.timestamp() + describe(record.headers());
        }
        return null;
    }

    private static String describe(Headers headers) {
        List<String> all = new ArrayList<>();
        for (Header header : headers) {
            all.add(header.key() + ":" + (header.value() == null ? null
                    : new String(header.value(), StandardCharsets.UTF_8)));
        }
        return all.toString();
    }

    /**
     * Kafka's in-memory DSL suppliers, except that a key-value store of {@code dsl.store.format=headers} comes from
     * {@link #inMemoryAsHeadersSupplier}, so that the DSL builds it with the headers builder (Kafka's own in-memory
     * suppliers ignore that format). Kafka Streams instantiates it by name (4.3).
     */
    public static final class InMemoryHeadersDslStoreSuppliers implements DslStoreSuppliers {
        private final DslStoreSuppliers inMemory = new BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers();

        @Override
        public KeyValueBytesStoreSupplier keyValueStore(DslKeyValueParams params) {
            return params.dslStoreFormat() == DslStoreFormat.HEADERS
                    ? inMemoryAsHeadersSupplier(params.name()) : inMemory.keyValueStore(params);
        }

        @Override
        public WindowBytesStoreSupplier windowStore(DslWindowParams params) {
            return inMemory.windowStore(params);
        }

        @Override
        public SessionBytesStoreSupplier sessionStore(DslSessionParams params) {
            return inMemory.sessionStore(params);
        }
    }

    /** A supplier of Kafka's in-memory store that says it supplies headers stores. */
    private record InMemoryHeadersSupplier(KeyValueBytesStoreSupplier inMemory)
            implements KeyValueBytesStoreSupplier, HeadersBytesStoreSupplier {
        @Override
        public String name() {
            return inMemory.name();
        }

        @Override
        public KeyValueStore<Bytes, byte[]> get() {
            return inMemory.get();
        }

        @Override
        public String metricsScope() {
            return inMemory.metricsScope();
        }
    }
}
