package io.bucketmap.store;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.ResultOrder;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.TimestampedBytesStore;
import org.apache.kafka.streams.state.internals.BucketMapRocksDbIterator;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/**
 * Runs IQv2 queries that reach the innermost key-value store as raw bytes: {@link KeyQuery}{@code <Bytes, byte[]>}
 * and {@link RangeQuery}{@code <Bytes, byte[]>}. Results, failures and execution info are those of Kafka's own
 * stores (which use the internal {@code StoreQueryUtils.handleBasicQueries}), built from the public query API only.
 *
 * <p>Unlike Kafka's helper, it holds no lock while it runs: it copies the store's position <em>before</em> reading
 * the data, so the result reflects at least the position it reports, and an IQ thread never makes the stream thread
 * wait for a query. Cost: a copy of the position plus the query's own cost. Any thread.
 *
 * <p>A persistent store that does not declare timestamped values answers range queries with a
 * {@link BucketMapRocksDbIterator}, the type Kafka's timestamp adapter requires of it (see that class).
 */
final class KeyValueQueries {
    private KeyValueQueries() {
    }

    /**
     * Answers {@code query} on {@code store}: "unknown query type" for anything but key and range queries, "not up
     * to bound" if {@code position} is behind {@code bound} for this task's partition, a
     * {@link FailureReason#STORE_EXCEPTION} failure if the store throws, and the result otherwise.
     */
    static <R> QueryResult<R> run(Query<R> query, PositionBound bound, QueryConfig config,
                                  KeyValueStore<Bytes, byte[]> store, Position position, StateStoreContext context) {
        return run(query, bound, config, store, store, position, context);
    }

    /**
     * As above, reading through {@code reader} (the store's view for the query's isolation level) and reporting
     * {@code store} in execution info and failures.
     */
    static <R> QueryResult<R> run(Query<R> query, PositionBound bound, QueryConfig config, StateStore store,
                                  ReadOnlyKeyValueStore<Bytes, byte[]> reader, Position position,
                                  StateStoreContext context) {
        long start = config.isCollectExecutionInfo() ? System.nanoTime() : -1L;
        Position seen = position.copy();
        QueryResult<R> result;
        if (!(query instanceof KeyQuery) && !(query instanceof RangeQuery)) {
            result = QueryResult.forUnknownQueryType(query, store);
        } else if (context == null || !isPermitted(seen, bound, context.taskId().partition())) {
            result = QueryResult.notUpToBound(seen, bound, context == null ? null : context.taskId().partition());
        } else {
            result = execute(query, store, reader);
        }
        if (config.isCollectExecutionInfo()) {
            result.addExecutionInfo("Handled in " + store.getClass() + " in " + (System.nanoTime() - start) + "ns");
        }
        result.setPosition(seen);
        return result;
    }

    @SuppressWarnings("unchecked")
    private static <R> QueryResult<R> execute(Query<R> query, StateStore store,
                                              ReadOnlyKeyValueStore<Bytes, byte[]> reader) {
        try {
            if (query instanceof KeyQuery<?, ?> keyQuery) {
                return (QueryResult<R>) QueryResult.forResult(reader.get((Bytes) keyQuery.getKey()));
            }
            KeyValueIterator<Bytes, byte[]> range = rangeOf((RangeQuery<Bytes, byte[]>) query, reader);
            return (QueryResult<R>) QueryResult.forResult(
                    mayBeUnderTimestampAdapter(store) ? new BucketMapRocksDbIterator(store.name(), range) : range);
        } catch (RuntimeException e) {
            return QueryResult.forFailure(FailureReason.STORE_EXCEPTION, describe(e, store, query));
        }
    }

    private static KeyValueIterator<Bytes, byte[]> rangeOf(RangeQuery<Bytes, byte[]> query,
                                                           ReadOnlyKeyValueStore<Bytes, byte[]> store) {
        Bytes lower = query.getLowerBound().orElse(null);
        Bytes upper = query.getUpperBound().orElse(null);
        return query.resultOrder() == ResultOrder.DESCENDING
                ? store.reverseRange(lower, upper)
                : store.range(lower, upper);
    }

    /**
     * Whether Kafka's builders may put their {@code KeyValueToTimestampedKeyValueByteStoreAdapter} around
     * {@code store}: they do around every persistent store that does not declare timestamped values, under
     * {@code Stores.timestampedKeyValueStoreBuilder} and {@code Materialized.as}, and that adapter accepts only Kafka's
     * RocksDB iterator type as a range result. Such a store hands out its range results in that type wherever it sits,
     * as Kafka's RocksDB stores do; in-memory stores only ever get Kafka's marker layers, which take any iterator.
     */
    private static boolean mayBeUnderTimestampAdapter(StateStore store) {
        return store.persistent() && !(store instanceof TimestampedBytesStore);
    }

    /** Whether {@code position} has reached {@code bound} for {@code partition}; topics the bound omits pass. */
    private static boolean isPermitted(Position position, PositionBound bound, int partition) {
        Position required = bound.position();
        for (String topic : required.getTopics()) {
            Long requiredOffset = required.getPartitionPositions(topic).get(partition);
            if (requiredOffset == null) {
                continue;
            }
            Map<Integer, Long> seen = position.getPartitionPositions(topic);
            Long seenOffset = seen.get(partition);
            if (seenOffset == null || seenOffset < requiredOffset) {
                return false;
            }
        }
        return true;
    }

    private static String describe(RuntimeException e, StateStore store, Query<?> query) {
        StringWriter text = new StringWriter();
        PrintWriter printer = new PrintWriter(text);
        printer.println(store.getClass() + " failed to handle query " + query + ":");
        e.printStackTrace(printer);
        printer.flush();
        return text.toString();
    }
}
