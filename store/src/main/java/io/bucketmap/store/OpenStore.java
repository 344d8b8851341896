package io.bucketmap.store;

import io.bucketmap.core.BucketMap;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Everything one open of a {@link BucketMapKeyValueStore} holds, from its {@code init} to its {@code close}: the
 * context, the map, the IQ position, the local copy and its load, the undo record of transactional writes, the metrics. A store object keeps only its
 * configuration and a reference to the current open; {@code init} makes a new one and {@code close} drops it.
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
    final Position position;
    final LocalCopy copy;
    /** The undo record of an in-memory store under transactional state stores (READ_COMMITTED readers); else null. */
    final UncommittedWrites uncommitted;
    /** Non-null on a hash-order store under Kafka's caching layer: why iterators are refused. */
    final String iterationRefusal;
    private final String storeName;
    /** The copy's load while it runs; swapped to null by the first thread that finds it done. */
    private final AtomicReference<CopyLoad> load;
    private BucketMapMetrics metrics;
    private volatile boolean closed;

    OpenStore(String storeName, StateStoreContext context, BucketMap map, Position position, LocalCopy copy,
              UncommittedWrites uncommitted, String iterationRefusal) {
        this.storeName = storeName;
        this.context = context;
        this.map = map;
        this.position = position;
        this.copy = copy;
        this.uncommitted = uncommitted;
        this.iterationRefusal = iterationRefusal;
        this.load = new AtomicReference<>(copy.load().orElse(null));
    }

    /** Registers the metrics of this open's map; {@link #close} removes them. Init thread. */
    void registerMetrics(String metricsScope) {
        metrics = BucketMapMetrics.register(context, metricsScope, storeName, map::stats);
    }

    /**
     * The copy's load if it is still under way (every operation then goes through it), null once the map alone holds
     * the data. Any thread: a done load answers exactly as the map does, so whoever sees it done first drops it, by
     * compare-and-set so that nothing but this load is ever cleared.
     *
     * @throws InvalidStateStoreException if this open has been closed
     */
    CopyLoad loadUnderWay() {
        ensureOpen();
        CopyLoad running = load.get();
        if (running != null && running.isDone()) {
            load.compareAndSet(running, null);
            return null;
        }
        return running;
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
        if (metrics != null) {
            metrics.remove();
            metrics = null;
        }
    }
}
