package io.bucketmap.store;

import io.bucketmap.core.BucketMap;
import io.bucketmap.core.BucketMapStats;
import io.bucketmap.core.KeyRange;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.DslStoreFormat;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link KeyValueStore} whose data lives in a {@link BucketMap}: the innermost layer of Kafka Streams' store stack
 * (Metered, Caching and ChangeLogging wrap it, as they wrap {@code InMemoryKeyValueStore}). Keys are kept as the
 * serialized {@code byte[]} itself, not as a {@code Bytes} wrapper.
 *
 * <h2>In memory or persistent</h2>
 * Every read and write is served by the map. The in-memory store keeps nothing else; a restart restores the whole
 * changelog. The persistent store ({@link BucketMapStores#persistentKeyValueStore(String)}) also keeps a local
 * RocksDB copy of its last commit with the changelog offset it ends at ({@link RocksDbLocalCopy}, written only in
 * {@link #commit}), and Kafka Streams restores only the changelog after that offset. It opens at once and loads the
 * copy into the map in the background ({@link CopyLoad}) once that restoration has completed; meanwhile reads of keys
 * not loaded yet are RocksDB point reads, writes win over the loaded values, and iterators wait for the load to end.
 *
 * <h2>Order</h2>
 * Built on an ordered map (the default, {@link BucketMapStores#keyValueStore(String)}), {@code range},
 * {@code all} and {@code prefixScan} return keys in ascending unsigned byte order and the reverse variants in
 * descending order, as Kafka's own stores do. Built on a hash-order map
 * ({@link BucketMapStores#hashOrderKeyValueStore(String)}), every iterator returns the matching keys in hash order,
 * whatever the method's direction, and a range or prefix scan walks the whole map (O(n)).
 *
 * <h2>Costs</h2>
 * {@code get}, {@code put}, {@code delete}: O(1) on average, plus at most two buckets of table growth or shrinking
 * per write (no write ever rehashes the whole table); an ordered store adds O(log n) for inserting or removing a
 * key in its index. Opening an iterator: O(log n) (ordered) and O(1) memory; it never copies the key set.
 *
 * <h2>Threads</h2>
 * One writer at a time (the stream thread, or the state-updater thread while restoring); a second thread writing
 * at the same moment fails with {@link java.util.ConcurrentModificationException}. Any number of interactive-query
 * threads may call {@code get}, the iterators and {@link #query} meanwhile: they never see a null value or a
 * duplicate key, and a key untouched during an iteration is returned exactly once (the iteration contract of
 * {@link BucketMap}). A reader delays the writer by one bucket or one index node at most. While a persistent store
 * loads its copy, the loader thread writes the map too, taking turns with the writer under {@link CopyLoad}'s lock.
 *
 * <h2>Failures</h2>
 * Every operation on a store that is not open (before {@link #init}, after {@link #close}) throws
 * {@link InvalidStateStoreException}, and so does an iterator step after the store closed. A null key throws
 * {@link NullPointerException}; a null value deletes the key, as in every Kafka store. An iterator used after its
 * own {@code close()} throws {@link IllegalStateException}. A hash-order store wrapped by Kafka's caching layer
 * refuses to open iterators ({@link UnsupportedOperationException} naming the fix): that layer's merge would
 * otherwise return duplicates and stale values from its unsorted iterators.
 *
 * <h2>Value format</h2>
 * The store keeps values as the bytes it is given. This class declares no format, so Kafka's timestamped and
 * headers builders treat it as a plain store (in memory: a marker wrapper, no conversion; persistent: an adapter that
 * converts every value on every access). Its two subclasses declare the format they hold, as Kafka's own RocksDB
 * stores do: {@link TimestampedBucketMapKeyValueStore} ({@code TimestampedBytesStore}:
 * {@code [8-byte timestamp][value]}) and {@link HeadersBucketMapKeyValueStore} ({@code HeadersBytesStore}:
 * {@code [varint headers size][headers][8-byte timestamp][value]}); the builders then use them as they are, and
 * changelog restoration converts records into that format. A persistent store keeps its local copy in a folder per
 * format, so a copy written in one format is never read as another: after a format change the store restores from
 * the changelog once.
 */
public sealed class BucketMapKeyValueStore implements KeyValueStore<Bytes, byte[]>
        permits TimestampedBucketMapKeyValueStore, HeadersBucketMapKeyValueStore {
    private static final Logger LOG = LoggerFactory.getLogger(BucketMapKeyValueStore.class);
    /** Buckets a commit may move of a running growth or shrink. */
    static final int COMMIT_MIGRATION_BUCKETS = 4_096;

    private final String name;
    private final boolean ordered;
    private final String metricsScope;
    private final LocalCopy localCopy;
    private final DslStoreFormat format;
    private final Position position = Position.emptyPosition();

    // Replaced by an empty map on close, so a closed store frees its data even while something still holds it.
    private volatile BucketMap map;
    /** The local copy's load into {@link #map} while it runs; null once done, and always for the in-memory store. */
    private volatile CopyLoad copyLoad;
    private volatile boolean open;
    // Volatile: interactive-query threads read it in query() without passing through ensureOpen().
    private volatile StateStoreContext context;
    private BucketMapMetrics metrics;
    /**
     * Made by init for an in-memory store under {@code enable.transactional.statestores=true}; null otherwise (the
     * persistent store's commit path under that setting is its local copy's). Dropped by close.
     */
    private volatile UncommittedWrites uncommitted;
    /** Set on init for a hash-order store under Kafka's caching layer, whose merge needs sorted iterators. */
    private volatile String iterationRefusal;

    BucketMapKeyValueStore(String name, boolean ordered, String metricsScope, LocalCopy localCopy) {
        this(name, ordered, metricsScope, localCopy, DslStoreFormat.PLAIN);
    }

    BucketMapKeyValueStore(String name, boolean ordered, String metricsScope, LocalCopy localCopy,
                           DslStoreFormat format) {
        this.name = Objects.requireNonNull(name, "name cannot be null");
        this.ordered = ordered;
        this.metricsScope = Objects.requireNonNull(metricsScope, "metricsScope cannot be null");
        this.localCopy = Objects.requireNonNull(localCopy, "localCopy cannot be null");
        this.format = Objects.requireNonNull(format, "format cannot be null");
        this.map = newMap();
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Registers {@code root} for changelog restoration (batched; tombstones delete) and this store's metrics in the
     * context's metrics registry, then opens the store. Uses only the public {@link StateStoreContext} API, so it
     * works under any context, {@code MockProcessorContext.getStateStoreContext()} included. Call once, on the
     * thread that owns the store.
     */
    @Override
    public void init(StateStoreContext stateStoreContext, StateStore root) {
        this.context = Objects.requireNonNull(stateStoreContext, "stateStoreContext cannot be null");
        if (!ordered && CachingLayerCheck.isCached(root)) {
            iterationRefusal = "Store " + name + " is a hash-order bucket-map store under Kafka's caching layer, which"
                    + " merges its cache with the store's iterators assuming both are sorted: range, all and prefix"
                    + " scans would return duplicates and stale values. Build the store with caching disabled, or use"
                    + " the ordered BucketMapStores.keyValueStore. get, put and delete work either way.";
            LOG.warn(iterationRefusal);
        }
        map = newMap();
        uncommitted = !localCopy.persistent() && StreamsConfig.InternalConfig.getBoolean(
                stateStoreContext.appConfigs(), StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, false)
                ? new UncommittedWrites(position) : null;
        copyLoad = localCopy.open(stateStoreContext, localCopyName(), map, position).orElse(null);
        metrics = BucketMapMetrics.register(stateStoreContext, metricsScope, name, this::stats);
        // open before registering: a context may start restoring from inside register()
        open = true;
        if (root != null) {
            stateStoreContext.register(root, new ChangelogRestoreCallback(this, stateStoreContext.appConfigs()));
        }
    }

    /**
     * False for the in-memory store (the data lives on the heap only and is rebuilt from the changelog after a
     * restart); true for the persistent store, whose local copy survives it.
     */
    @Override
    public boolean persistent() {
        return localCopy.persistent();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /**
     * The changelog positions this store has applied: the live object, updated by every write made while
     * processing a record and by restoration (when IQ consistency vectors are enabled). Thread-safe to read.
     */
    @Override
    public Position getPosition() {
        return position;
    }

    /**
     * Answers IQv2 {@code KeyQuery} and {@code RangeQuery} on raw bytes (Kafka's metered layers turn the timestamped,
     * header-aware and descending queries into these), honouring the position bound; other queries get an "unknown
     * query type" result. Under {@code READ_COMMITTED} on a transactional in-memory store it answers from
     * {@link #readOnly(IsolationLevel) the committed view} and reports the position of the last commit, as Kafka's
     * in-memory store does. Any thread; does not block the writer. A range result is an iterator the caller must
     * close; on a hash-order store it is in hash order.
     */
    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        UncommittedWrites writes = uncommitted;
        boolean committedOnly = writes != null && config.getIsolationLevel() == IsolationLevel.READ_COMMITTED;
        return KeyValueQueries.run(query, positionBound, config, this, readOnly(config.getIsolationLevel()),
                committedOnly ? writes.committedPosition() : position, context);
    }

    /**
     * The store itself, except under {@code READ_COMMITTED} on an in-memory store run with
     * {@code enable.transactional.statestores=true}: then a {@link CommittedView} of what the last commit holds. Kafka
     * Streams' wrappers hand IQv1 and IQv2 readers this view for the isolation level they ask for. O(1); any thread.
     */
    @Override
    public ReadOnlyKeyValueStore<Bytes, byte[]> readOnly(IsolationLevel isolationLevel) {
        Objects.requireNonNull(isolationLevel, "isolationLevel cannot be null");
        UncommittedWrites writes = uncommitted;
        return writes != null && isolationLevel == IsolationLevel.READ_COMMITTED ? new CommittedView(this, writes) : this;
    }

    /**
     * The bytes of keys and values written since the last commit, counted per write as Kafka's transaction buffers
     * count them, on an in-memory store run with {@code enable.transactional.statestores=true}; 0 otherwise, as for
     * Kafka's own stores outside that setting. The stream thread sums this over its tasks and commits early past
     * {@code statestore.uncommitted.max.bytes}. O(1).
     */
    @Override
    public long approximateNumUncommittedBytes() {
        UncommittedWrites writes = uncommitted;
        return writes == null ? 0 : writes.uncommittedBytes();
    }

    /**
     * The value of {@code key}, or null. O(1) average (while a persistent store loads its copy, a RocksDB point read
     * for a key not loaded yet); any thread.
     */
    @Override
    public byte[] get(Bytes key) {
        CopyLoad load = loadUnderWay();
        return valueOf(load, keyBytes(key));
    }

    /** Maps {@code key} to {@code value}, or deletes {@code key} if {@code value} is null. Writer thread only. */
    @Override
    public void put(Bytes key, byte[] value) {
        CopyLoad load = loadUnderWayNeededNow();
        byte[] keyBytes = keyBytes(key);
        recordUncommitted(load, keyBytes, value);
        write(load, keyBytes, value);
        updatePosition();
    }

    /**
     * Stores {@code value} unless {@code key} has a value; returns the existing value or null. A null
     * {@code value} changes nothing. Writer thread only.
     */
    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        CopyLoad load = loadUnderWayNeededNow();
        byte[] keyBytes = keyBytes(key);
        byte[] existing;
        if (value == null) {
            existing = valueOf(load, keyBytes);
        } else {
            recordUncommitted(load, keyBytes, value);
            existing = load != null ? load.putIfAbsent(keyBytes, value) : map.putIfAbsent(keyBytes, value);
            if (existing == null) {
                localCopy.putApplied(keyBytes, false);
            }
        }
        updatePosition();
        return existing;
    }

    /** Puts every entry in list order (null values delete). Not atomic: a failure leaves earlier entries applied. */
    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        CopyLoad load = loadUnderWayNeededNow();
        if (load != null) {
            load.holdingOffTheLoader(() -> writeAll(load, entries));
        } else {
            writeAll(null, entries);
        }
    }

    private void writeAll(CopyLoad load, List<KeyValue<Bytes, byte[]>> entries) {
        for (KeyValue<Bytes, byte[]> entry : entries) {
            byte[] keyBytes = keyBytes(entry.key);
            recordUncommitted(load, keyBytes, entry.value);
            write(load, keyBytes, entry.value);
            updatePosition();
        }
    }

    /** Removes {@code key}; returns its value or null. Writer thread only; may start shrinking the table. */
    @Override
    public byte[] delete(Bytes key) {
        CopyLoad load = loadUnderWayNeededNow();
        byte[] keyBytes = keyBytes(key);
        recordUncommitted(load, keyBytes, null);
        byte[] previous = remove(load, keyBytes);
        updatePosition();
        return previous;
    }

    /**
     * Entries with keys in {@code [from, to]}; a null bound is open. If {@code from > to}, returns an empty iterator
     * and logs a warning, exactly like Kafka's own stores. Any thread; the iterator must be closed.
     */
    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return iterator(rangeOf(from, to), false);
    }

    /** As {@link #range}, in descending key order (hash order on a hash-order store). */
    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return iterator(rangeOf(from, to), true);
    }

    /** Every entry, in ascending key order (hash order on a hash-order store). The iterator must be closed. */
    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return iterator(KeyRange.all(), false);
    }

    /** Every entry, in descending key order (hash order on a hash-order store). The iterator must be closed. */
    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return iterator(KeyRange.all(), true);
    }

    /**
     * Entries whose serialized key starts with the serialized {@code prefix}, in ascending key order (hash order,
     * after a full walk, on a hash-order store). The iterator must be closed.
     *
     * @throws NullPointerException if {@code prefixKeySerializer} is null
     */
    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        Objects.requireNonNull(prefixKeySerializer, "prefixKeySerializer cannot be null");
        byte[] serializedPrefix = prefixKeySerializer.serialize(null, prefix);
        return iterator(KeyRange.withPrefix(serializedPrefix), false);
    }

    /**
     * The exact number of entries at some recent moment; while a persistent store loads its copy, RocksDB's estimate
     * of the copy's entries if larger. O(1); any thread.
     */
    @Override
    public long approximateNumEntries() {
        CopyLoad load = loadUnderWay();
        return load != null ? load.approximateSize() : map.size();
    }

    /**
     * The persistent store writes the entries changed since the last commit and {@code changelogOffsets} to its local
     * copy, atomically (an empty map clears the recorded offsets, a null offset one partition's); the in-memory
     * store has nothing to write. Then either moves a growth or shrink along without a write paying for it: up to
     * {@value #COMMIT_MIGRATION_BUCKETS} buckets, a few hundred microseconds at most. This is what hands memory back
     * after a punctuator deleted most of the store and writes went quiet.
     *
     * <p>Kafka Streams 4.4.0 calls it after each commit under at-least-once and while restoring or standing by; for a
     * running active task under {@code exactly_once_v2}, after each commit when {@code enable.transactional.statestores}
     * is true, otherwise only when it suspends or closes the task ({@code StreamTask.postCommit}); in that last case
     * migrations advance with writes alone, and the local copy is as old as the last suspension (a restart after a
     * crash replays the changelog from there). An in-memory store run with transactional state stores also marks
     * everything written so far as committed here ({@code READ_COMMITTED} readers see it from now on). While the copy loads, no migration is advanced (the loader writes
     * the map too). Writer thread only (Kafka Streams commits on the thread that owns the store).
     */
    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        UncommittedWrites writes = uncommitted;
        if (writes != null) {
            writes.commit(position);
        }
        CopyLoad load = loadUnderWayStarted();
        localCopy.commit(key -> valueOf(load, key), changelogOffsets, position);
        if (load == null) {
            map.advanceMigration(COMMIT_MIGRATION_BUCKETS);
        }
    }

    /**
     * Whether the store keeps the changelog offsets itself: true for the persistent store, which records them with
     * its local copy in one atomic write; false for the in-memory store, which has nothing that survives a restart
     * to keep them with (Kafka Streams keeps them, as for its own in-memory stores, and a restart restores the whole
     * changelog anyway).
     */
    @Override
    @SuppressWarnings("deprecation") // overriding is the only way to state the answer until Kafka removes the method
    public boolean managesOffsets() {
        return localCopy.persistent();
    }

    /**
     * The changelog offset the persistent store's local copy ends at (written by the last {@link #commit}), or null
     * if none; always null for the in-memory store.
     */
    @Override
    public Long committedOffset(TopicPartition partition) {
        ensureOpen();
        return localCopy.committedOffset(partition);
    }

    /**
     * Closes the store: removes its metrics and drops its data. Idempotent. Open iterators fail with
     * {@link InvalidStateStoreException} on their next step.
     */
    @Override
    public void close() {
        open = false;
        uncommitted = null;
        localCopy.close();
        copyLoad = null;
        map = newMap();
        if (metrics != null) {
            metrics.remove();
            metrics = null;
        }
    }

    /** A snapshot of the bucket map's internals (what the metrics report). O(1); any thread. */
    public BucketMapStats stats() {
        return map.stats();
    }

    /** Whether iterators return keys in order; false for the hash-order variant. */
    public boolean isOrdered() {
        return ordered;
    }

    /** The value format this store declares to Kafka Streams (PLAIN for this class itself). */
    public DslStoreFormat format() {
        return format;
    }

    /**
     * The local copy's folder name: the store name for plain values (where copies of earlier versions live), the
     * store name and the format otherwise, so a copy is only ever read in the format it was written in.
     */
    private String localCopyName() {
        return format == DslStoreFormat.PLAIN ? name : name + "." + format.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Applies one changelog record during restoration: a null value (tombstone) deletes. */
    void restoreRecord(byte[] key, byte[] value) {
        write(loadUnderWay(), Objects.requireNonNull(key, "changelog record key cannot be null"), value);
    }

    /**
     * Runs {@code restoreRecords} (calls of {@link #restoreRecord} for one changelog batch); while the local copy
     * loads, the loader waits for the whole batch instead of interleaving with each record.
     */
    void restoreBatch(Runnable restoreRecords) {
        CopyLoad load = loadUnderWay();
        if (load != null) {
            load.applyRestoredBatch(restoreRecords);
        } else {
            restoreRecords.run();
        }
    }

    /** Waits until the persistent store's local copy is loaded into the map (at once if it is); for tests. */
    void awaitCopyLoaded() {
        CopyLoad load = loadUnderWay();
        if (load != null) {
            load.awaitDone();
        }
    }

    /** The local copy, for tests of the persistent store. */
    LocalCopy localCopy() {
        return localCopy;
    }

    /** Fails with {@link InvalidStateStoreException} unless the store is open; for iterators, per step. */
    void ensureOpen() {
        if (!open) {
            throw new InvalidStateStoreException("Store " + name + " is not open: "
                    + (context == null ? "init() has not been called" : "it has been closed"));
        }
    }

    /**
     * Checks that the store is open; returns the local copy's load if it is still under way (every operation then
     * goes through it), null if the map alone holds the data.
     */
    private CopyLoad loadUnderWay() {
        ensureOpen();
        CopyLoad load = copyLoad;
        if (load != null && load.isDone()) {
            copyLoad = null; // any thread may drop it: a done load answers exactly as the map does
            return null;
        }
        return load;
    }

    /**
     * As {@link #loadUnderWay}, and starts the load if it has not started; it then waits for a lull in changelog
     * restoration (see {@link CopyLoad}). Called by commits.
     */
    private CopyLoad loadUnderWayStarted() {
        CopyLoad load = loadUnderWay();
        if (load != null) {
            load.start();
        }
        return load;
    }

    /**
     * As {@link #loadUnderWay}, and has the load go ahead without waiting: called by writes from processing (the task
     * runs, so its restoration is over), not by restored records.
     */
    private CopyLoad loadUnderWayNeededNow() {
        CopyLoad load = loadUnderWay();
        if (load != null) {
            load.startNow();
        }
        return load;
    }

    /** Under transactional state stores, records what {@code key} held at the last commit before it changes. */
    private void recordUncommitted(CopyLoad load, byte[] key, byte[] value) {
        UncommittedWrites writes = uncommitted;
        if (writes != null) {
            writes.beforeWrite(key, value == null ? 0 : value.length, k -> valueOf(load, k));
        }
    }

    private byte[] valueOf(CopyLoad load, byte[] key) {
        return load != null ? load.get(key) : map.get(key);
    }

    private void write(CopyLoad load, byte[] key, byte[] value) {
        if (value == null) {
            remove(load, key);
        } else {
            boolean mayHaveHadValue = load != null ? load.put(key, value) : map.put(key, value) != null;
            localCopy.putApplied(key, mayHaveHadValue);
        }
    }

    private byte[] remove(CopyLoad load, byte[] key) {
        byte[] previous = load != null ? load.delete(key) : map.delete(key);
        if (previous != null) {
            localCopy.deleteApplied(key);
        }
        return previous;
    }

    /** An iterator of the map; while the local copy loads, opening one waits for the load to end. */
    private KeyValueIterator<Bytes, byte[]> iterator(KeyRange range, boolean descending) {
        CopyLoad load = loadUnderWay();
        if (iterationRefusal != null) {
            throw new UnsupportedOperationException(iterationRefusal);
        }
        if (load != null) {
            load.awaitDone();
        }
        return new BucketMapKeyValueIterator(this, map.iterator(range, descending));
    }

    /** The range {@code [from, to]}; empty, with Kafka's warning, if the bounds are the wrong way round. */
    private static KeyRange rangeOf(Bytes from, Bytes to) {
        if (from != null && to != null && from.compareTo(to) > 0) {
            LOG.warn("Returning empty iterator for fetch with invalid key range: from > to. "
                    + "This may be due to range arguments set in the wrong order, "
                    + "or serdes that don't preserve ordering when lexicographically comparing the serialized bytes. "
                    + "Note that the built-in numerical serdes do not follow this for negative numbers");
        }
        return KeyRange.closed(from == null ? null : from.get(), to == null ? null : to.get());
    }

    /** Records the offset of the record being processed, if any (none during restoration or punctuation). */
    private void updatePosition() {
        Optional<RecordMetadata> metadata = context.recordMetadata();
        if (metadata.isPresent() && metadata.get().topic() != null) {
            RecordMetadata record = metadata.get();
            position.withComponent(record.topic(), record.partition(), record.offset());
        }
    }

    private BucketMap newMap() {
        return ordered ? BucketMap.ordered() : BucketMap.hashOrdered();
    }

    private static byte[] keyBytes(Bytes key) {
        if (key == null || key.get() == null) {
            throw new NullPointerException("key cannot be null");
        }
        return key.get();
    }
}
