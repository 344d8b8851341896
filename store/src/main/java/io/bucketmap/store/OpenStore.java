package io.bucketmap.store;

import io.bucketmap.core.BucketMap;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.query.Position;

import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Everything one open of a {@link BucketMapKeyValueStore} holds, from its {@code init} to its {@code close}: the
 * context, the map and the chain of layers around it ({@link StoreData}), the IQ position, the local copy, the undo
 * record of transactional writes, the metrics. A store object keeps only its configuration and a reference to the
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
    final StateStoreContext context;
    final BucketMap map;
    /** The chain the store's reads and writes go through, assembled once by {@link #open}. */
    final StoreData data;
    final Position position;
    final LocalCopy copy;
    /** The undo record under transactional state stores, which {@code READ_COMMITTED} readers consult; else null. */
    final UncommittedWrites undoRecord;
    /** What {@code approximateNumUncommittedBytes} reports: the bytes a commit would clear. */
    private final LongSupplier uncommittedBytes;
    private final String storeName;
    private final BucketMapMetrics metrics;
    private volatile boolean closed;

    private OpenStore(String storeName, StateStoreContext context, BucketMap map, StoreData data, Position position,
                      LocalCopy copy, UncommittedWrites undoRecord, LongSupplier uncommittedBytes,
                      BucketMapMetrics metrics) {
        this.storeName = storeName;
        this.context = context;
        this.map = map;
        this.data = data;
        this.position = position;
        this.copy = copy;
        this.undoRecord = undoRecord;
        this.uncommittedBytes = uncommittedBytes;
        this.metrics = metrics;
    }

    /**
     * Opens the store's data for one {@code init}: a new map, the local copy ({@code localCopies}: none for the
     * in-memory store), and the chain of layers this open needs, outermost first: the iteration refusal
     * ({@code iterationRefusal} non-null), the undo record (transactional state stores), the copy's change tracking
     * and load (persistent), the map. Registers the map's metrics. Init thread.
     */
    static OpenStore open(BucketMapKeyValueStore store, StateStoreContext context, LocalCopy.Factory localCopies,
                          String iterationRefusal) {
        BucketMap map = store.isOrdered() ? BucketMap.ordered() : BucketMap.hashOrdered();
        map.whenRebuildLeavesLongChains(() -> store.warnOfCollidingKeysOnce(map.stats()));
        Position position = Position.emptyPosition();
        LocalCopy copy = localCopies.open(context, store.localCopyName(), map, position);
        MapData mapData = new MapData(map);
        StoreData data = copy.load().<StoreData>map(load -> new LoadingData(load, mapData)).orElse(mapData);
        LongSupplier uncommittedBytes = () -> 0;
        if (localCopies.persistent()) {
            data = new CopyTrackingData(data, copy);
            uncommittedBytes = copy::uncommittedBytes; // what a commit hands to the copy writer
        }
        // made after the copy merged its position: a store opened from its copy starts with that position committed
        UncommittedWrites undoRecord = null;
        if (StoreSettings.transactionalStateStores(context.appConfigs())) {
            undoRecord = new UncommittedWrites(position);
            data = new UndoRecordData(data, undoRecord);
            if (!localCopies.persistent()) {
                uncommittedBytes = undoRecord::uncommittedBytes;
            }
        }
        if (iterationRefusal != null) {
            data = new IterationRefusingData(data, iterationRefusal);
        }
        BucketMapMetrics metrics = BucketMapMetrics.register(context, store.metricsScope(), store.name(), map::stats);
        return new OpenStore(store.name(), context, map, data, position, copy, undoRecord, uncommittedBytes, metrics);
    }

    /** The bytes a commit would clear (see {@code BucketMapKeyValueStore.approximateNumUncommittedBytes}). Any thread. */
    long uncommittedBytes() {
        return uncommittedBytes.getAsLong();
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
