package io.bucketmap.store;

import io.bucketmap.core.BucketMap;
import io.bucketmap.core.KeyRange;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.ProcessorContext;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Everything one open of a {@link BucketMapKeyValueStore} holds, from its {@code init} to its {@code close}: the
 * context, the map and the chain of layers around it ({@link StoreData}), the IQ position, the local copy, the undo
 * record of transactional writes, the expiring layer, the metrics. A store object keeps only its configuration and a reference to the
 * current open; {@code init} makes a new one ({@link #open}) and {@code close} drops it.
 *
 * <p>Why one object: Kafka Streams re-initialises the same store object after closing its task dirty, having wiped the
 * task directory under {@code exactly_once_v2} ({@code TaskManager.closeDirtyAndRevive}). State kept in fields of the
 * store across that once made a wiped store report the committed offset of its previous open, and Kafka then restored
 * only the changelog after it into an empty store. Here nothing of one open is reachable from the next.
 *
 * <p>Threads: the fields are final or safely published (the store publishes an open through a volatile field); an
 * iterator or a reader holding an open that has since closed gets {@link InvalidStateStoreException} from
 * {@link #ensureOpen}, or an answer that was right before the close, never one from a later open.
 */
final class OpenStore {
    /** Added to the local copy's folder name of a plain store with a time to live (its values carry a record time). */
    static final String EXPIRING_COPY_SUFFIX = ".expiring";

    final StateStoreContext context;
    final BucketMap map;
    /** The chain the store's reads and writes go through, assembled once by {@link #open}. */
    final StoreData data;
    final Position position;
    final LocalCopy copy;
    /** The undo record under transactional state stores, which {@code READ_COMMITTED} readers consult; else null. */
    final UncommittedWrites undoRecord;
    /** What {@code READ_COMMITTED} readers read under transactional state stores; else null. */
    final ReadOnlyKeyValueStore<Bytes, byte[]> committedView;
    /** The expiring layer of a store with a time to live, which iterators filter through; else null. */
    final ExpiringData expiring;
    /** What {@code approximateNumUncommittedBytes} reports: the bytes a commit would clear. */
    private final LongSupplier uncommittedBytes;
    private final String storeName;
    private final BucketMapMetrics metrics;
    private volatile boolean closed;

    private OpenStore(String storeName, StateStoreContext context, BucketMap map, StoreData data, Position position,
                      LocalCopy copy, UncommittedWrites undoRecord, ExpiringData expiring,
                      LongSupplier uncommittedBytes, BucketMapMetrics metrics) {
        this.storeName = storeName;
        this.context = context;
        this.map = map;
        this.data = data;
        this.position = position;
        this.copy = copy;
        this.undoRecord = undoRecord;
        this.expiring = expiring;
        this.uncommittedBytes = uncommittedBytes;
        this.metrics = metrics;
        this.committedView = undoRecord == null ? null : hidingExpired(new CommittedView(this, undoRecord, map.isOrdered()));
    }

    /**
     * Opens the store's data for one {@code init}: a new map, the local copy ({@code localCopies}: none for the
     * in-memory store), and the chain of layers this open needs, outermost first: the iteration refusal
     * ({@code iterationRefusal} non-null), the undo record (transactional state stores), expiry ({@code ttl}
     * non-null), the copy's change tracking and load (persistent), the map. Registers the map's metrics. Init thread.
     *
     * @throws IllegalStateException if the store has a time to live and Kafka's caching layer, with a cache, wraps
     *                               {@code root} (the message names the fix); nothing is opened then
     */
    static OpenStore open(BucketMapKeyValueStore store, StateStoreContext context, StateStore root,
                          LocalCopy.Factory localCopies, TimeToLive ttl, String iterationRefusal) {
        if (ttl != null) {
            refuseCachingLayer(store.name(), context, root);
        }
        BucketMap map = store.isOrdered() ? BucketMap.ordered() : BucketMap.hashOrdered();
        map.whenRebuildLeavesLongChains(() -> store.warnOfCollidingKeysOnce(map.stats()));
        Position position = Position.emptyPosition();
        StreamTime streamTime = new StreamTime();
        WriteTimes writeTimes = ttl == null ? null : WriteTimes.of(ReceivedValueFormat.of(root, store), context);
        // a plain store with a time to live keeps a record time in front of each value: its copy is not a plain one
        String copyName = writeTimes != null && writeTimes.changesValues()
                ? store.localCopyName() + EXPIRING_COPY_SUFFIX : store.localCopyName();
        LocalCopy copy = localCopies.open(context, copyName, map, position, streamTime);
        MapData mapData = new MapData(map);
        StoreData data = copy.load().<StoreData>map(load -> new LoadingData(load, mapData)).orElse(mapData);
        LongSupplier uncommittedBytes = () -> 0;
        if (localCopies.persistent()) {
            data = new CopyTrackingData(data, copy);
            uncommittedBytes = copy::uncommittedBytes; // what a commit hands to the copy writer
        }
        ExpiringData expiring = null;
        if (ttl != null) {
            BooleanSupplier copyLoaded = copy.load().<BooleanSupplier>map(load -> load::isDone).orElse(null);
            LongSupplier taskStreamTime = context instanceof ProcessorContext processorContext
                    ? processorContext::currentStreamTimeMs : null;
            expiring = new ExpiringData(data, ttl, writeTimes, streamTime, taskStreamTime,
                    ChangelogTombstones.of(context, store.name()), position, copyLoaded);
            data = expiring;
        }
        // made after the copy merged its position: a store opened from its copy starts with that position committed
        UncommittedWrites undoRecord = null;
        if (StoreSettings.transactionalStateStores(context.appConfigs())) {
            undoRecord = new UncommittedWrites(position, store.isOrdered());
            data = new UndoRecordData(data, undoRecord);
            if (!localCopies.persistent()) {
                uncommittedBytes = undoRecord::uncommittedBytes;
            }
        }
        if (iterationRefusal != null) {
            data = new IterationRefusingData(data, iterationRefusal);
        }
        BucketMapMetrics metrics = BucketMapMetrics.register(context, store.metricsScope(), store.name(), map::stats,
                expiring);
        return new OpenStore(store.name(), context, map, data, position, copy, undoRecord, expiring, uncommittedBytes,
                metrics);
    }

    /**
     * {@code view} (the {@code READ_COMMITTED} view), hiding expired values where the store has a time to live and its
     * values carry their record time. O(1).
     */
    private ReadOnlyKeyValueStore<Bytes, byte[]> hidingExpired(ReadOnlyKeyValueStore<Bytes, byte[]> view) {
        return expiring == null || expiring.changesValues() ? view : new ExpiredHidingView(view, this, expiring);
    }

    /**
     * Refuses a store with a time to live under Kafka's caching layer with a cache: that layer answers reads from its
     * cache without asking the store, so it would serve an entry after its expiry, and an aggregation reading it would
     * write it back. A cache of 0 bytes ({@code statestore.cache.max.bytes=0}) holds nothing and is accepted.
     */
    private static void refuseCachingLayer(String storeName, StateStoreContext context, StateStore root) {
        if (CachingLayerCheck.isCached(root) && StoreSettings.storeCacheHasRoom(context.appConfigs())) {
            throw new IllegalStateException("Store " + storeName + " has a time to live and is wrapped by Kafka's"
                    + " caching layer, which answers reads from its cache without asking the store: expired entries"
                    + " would be read, and written back by aggregations. Disable caching for this store"
                    + " (Materialized.withCachingDisabled(), or leave StoreBuilder.withCachingEnabled() out), or set "
                    + StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG + "=0.");
        }
    }

    /** The bytes a commit would clear (see {@code BucketMapKeyValueStore.approximateNumUncommittedBytes}). Any thread. */
    long uncommittedBytes() {
        return uncommittedBytes.getAsLong();
    }

    /**
     * The value of {@code key} through the chain, or null. O(1) average.
     *
     * @throws InvalidStateStoreException once this open has been closed
     */
    byte[] get(byte[] key) {
        ensureOpen();
        return data.get(key);
    }

    /**
     * An iterator of the chain over {@code range}: refused on a hash-order store under the cache; waits while the local
     * copy loads; skips expired entries where the store has a time to live; its steps fail once this open has closed.
     * O(log n) to open on an ordered store, O(1) memory; the iterator must be closed.
     *
     * @throws InvalidStateStoreException once this open has been closed
     */
    KeyValueIterator<Bytes, byte[]> iterator(KeyRange range, boolean descending) {
        ensureOpen();
        KeyValueIterator<Bytes, byte[]> stored = new BucketMapKeyValueIterator(this, data.iterator(range, descending));
        return expiring == null ? stored : new ExpiringKeyValueIterator(this, stored, expiring);
    }

    /** Records the offset of the record being processed, if any (none during restoration or punctuation). Writer thread. */
    void recordPosition() {
        Optional<RecordMetadata> metadata = context.recordMetadata();
        if (metadata.isPresent() && metadata.get().topic() != null) {
            RecordMetadata record = metadata.get();
            position.withComponent(record.topic(), record.partition(), record.offset());
        }
    }

    /** Fails with {@link InvalidStateStoreException} once this open has been closed. Any thread. */
    void ensureOpen() {
        if (closed) {
            throw new InvalidStateStoreException("Store " + storeName + " is not open: it has been closed");
        }
    }

    /** Closes the copy (stopping its load) and removes the metrics. Idempotent. Writer thread. */
    void close() {
        closed = true;
        copy.close();
        metrics.remove();
    }
}
