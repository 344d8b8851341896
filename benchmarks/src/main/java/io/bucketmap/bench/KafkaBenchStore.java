package io.bucketmap.bench;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A Kafka Streams byte store ({@code Stores.inMemoryKeyValueStore}, {@code Stores.persistentKeyValueStore}, the
 * bucket-map stores of {@code BucketMapStores}), the innermost layer alone: no metering, caching or changelogging
 * wrappers. Every contender behind this class is called through the same {@code KeyValueStore<Bytes, byte[]>}
 * API, with a {@code Bytes} wrapper per call.
 *
 * <p>Kafka's stores need a {@link StateStoreContext} to open. This class is the one place that makes one:
 * {@link MockProcessorContext#getStateStoreContext()} from {@code kafka-streams-test-utils}, public API that
 * opens both the in-memory store and RocksDB (which also needs the state directory and metrics it provides),
 * wrapped in a {@link RestoreCapturingContext} so that {@link #restore} can replay a changelog.
 * Each store gets its own temporary state directory, deleted on {@link #close()}.
 */
final class KafkaBenchStore implements BenchStore {
    private static final ByteArraySerializer PREFIX_SERIALIZER = new ByteArraySerializer();

    private final KeyValueStore<Bytes, byte[]> store;
    private final RestoreCapturingContext context;
    private final Path stateDir;

    private KafkaBenchStore(KeyValueStore<Bytes, byte[]> store, RestoreCapturingContext context, Path stateDir) {
        this.store = store;
        this.context = context;
        this.stateDir = stateDir;
    }

    /** Builds the supplier's store and initialises it in a fresh temporary state directory. */
    static KafkaBenchStore open(KeyValueBytesStoreSupplier supplier) {
        return open(supplier, new Properties());
    }

    /**
     * As {@link #open(KeyValueBytesStoreSupplier)}, with application {@code settings} the store reads at init (such as
     * {@code enable.transactional.statestores}).
     */
    static KafkaBenchStore open(KeyValueBytesStoreSupplier supplier, Properties settings) {
        Path stateDir = TempDirs.create("bucketmap-bench-");
        Properties config = new Properties();
        config.putAll(settings);
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "bucketmap-bench");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:0");
        RestoreCapturingContext context = new RestoreCapturingContext(
                new MockProcessorContext<>(config, new TaskId(0, 0), stateDir.toFile()).getStateStoreContext());
        KeyValueStore<Bytes, byte[]> store = supplier.get();
        store.init(context, store);
        return new KafkaBenchStore(store, context, stateDir);
    }

    /** Commits the store with these changelog offsets, as Kafka Streams does (the persistent stores write here). */
    void commit(Map<TopicPartition, Long> changelogOffsets) {
        store.commit(changelogOffsets);
    }

    /** The entries the store holds, as it reports them ({@code approximateNumEntries()}). */
    long approximateNumEntries() {
        return store.approximateNumEntries();
    }

    /** What the store reports as uncommitted bytes ({@code StateStore.approximateNumUncommittedBytes()}, Kafka 4.4). */
    long uncommittedBytes() {
        return store.approximateNumUncommittedBytes();
    }

    /** Replays a batch of changelog records through the restore callback the store registered on init. */
    void restore(Collection<ConsumerRecord<byte[], byte[]>> batch) {
        context.restore(batch);
    }

    /**
     * Runs an IQv2 query on the store as Kafka Streams hands it to the innermost store of one partition: raw bytes,
     * from any thread.
     */
    <R> QueryResult<R> query(Query<R> query, PositionBound bound, QueryConfig config) {
        return store.query(query, bound, config);
    }

    @Override
    public byte[] get(byte[] key) {
        return store.get(Bytes.wrap(key));
    }

    @Override
    public void put(byte[] key, byte[] value) {
        store.put(Bytes.wrap(key), value);
    }

    @Override
    public byte[] delete(byte[] key) {
        return store.delete(Bytes.wrap(key));
    }

    /** Deletes through the store while its {@code all()} iterator is open, as a punctuator does. */
    @Override
    public int scanDeleting(int everyNth, BiConsumer<byte[], byte[]> deleted) {
        int seen = 0;
        try (KeyValueIterator<Bytes, byte[]> entries = store.all()) {
            while (entries.hasNext()) {
                KeyValue<Bytes, byte[]> entry = entries.next();
                ConsumedValues.read(entry.value);
                if (++seen % everyNth == 0) {
                    store.delete(entry.key);
                    deleted.accept(entry.key.get(), entry.value);
                }
            }
        }
        return seen;
    }

    @Override
    public int range(byte[] from, byte[] to) {
        return walk(store.range(Bytes.wrap(from), Bytes.wrap(to)));
    }

    @Override
    public int prefixScan(byte[] prefix) {
        return walk(store.prefixScan(prefix, PREFIX_SERIALIZER));
    }

    private static int walk(KeyValueIterator<Bytes, byte[]> iterator) {
        int seen = 0;
        try (iterator) {
            while (iterator.hasNext()) {
                ConsumedValues.read(iterator.next().value);
                seen++;
            }
        }
        return seen;
    }

    @Override
    public void close() {
        store.close();
        TempDirs.deleteRecursively(stateDir);
    }
}
