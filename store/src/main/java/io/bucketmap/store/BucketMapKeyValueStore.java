package io.bucketmap.store;

import io.bucketmap.core.BucketMap;
import io.bucketmap.core.BucketMapStats;
import io.bucketmap.core.KeyRange;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.FailureReason;
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
 * <h2>Layers</h2>
 * This class holds Kafka's API, the lifecycle, the IQ position, queries and the value format. What a read or write
 * does to the data is a chain of layers that each {@link #init} assembles once for what that open needs (the undo
 * record of transactional state stores, the local copy's change tracking and load, the map; see {@link StoreData}), so
 * a put walks one way down the chain and no call asks which mode the store is in.
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
 * <h2>Lifecycle</h2>
 * Each {@link #init} creates an {@link OpenStore} holding everything of that open (map, chain, position, local copy,
 * metrics)
 * and each {@link #close} drops it, so a store object that Kafka Streams closes, wipes and initialises again starts
 * from nothing of its previous open. A second {@code init} of an open store fails.
 *
 * <h2>Failures</h2>
 * Every operation on a store that is not open (before {@link #init}, after {@link #close}) throws
 * {@link InvalidStateStoreException}, and so does an iterator step after the open it came from closed (also once
 * the store has been initialised again). A null key throws
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

    private final String name;
    private final boolean ordered;
    private final String metricsScope;
    private final LocalCopy.Factory localCopies;
    private final ValueFormat format;

    /** The current open; null before the first init and after each close (a closed store holds none of its data). */
    private volatile OpenStore current;
    private volatile boolean everInitialised;
    /** One warning per store object about colliding keys is enough; the metric counts every occurrence. */
    private volatile boolean warnedOfCollidingKeys;

    BucketMapKeyValueStore(String name, boolean ordered, String metricsScope, LocalCopy.Factory localCopies) {
        this(name, ordered, metricsScope, localCopies, ValueFormat.PLAIN);
    }

    BucketMapKeyValueStore(String name, boolean ordered, String metricsScope, LocalCopy.Factory localCopies,
                           ValueFormat format) {
        this.name = Objects.requireNonNull(name, "name cannot be null");
        this.ordered = ordered;
        this.metricsScope = Objects.requireNonNull(metricsScope, "metricsScope cannot be null");
        this.localCopies = Objects.requireNonNull(localCopies, "localCopies cannot be null");
        this.format = Objects.requireNonNull(format, "format cannot be null");
    }

    /** The name given to the supplier. O(1); any thread. */
    @Override
    public String name() {
        return name;
    }

    /**
     * Registers {@code root} for changelog restoration (batched; tombstones delete) and this store's metrics in the
     * context's metrics registry, then opens the store: a new map and the chain of layers this open needs
     * ({@link OpenStore#open}). Uses only the public {@link StateStoreContext} API, so it works under any context,
     * {@code MockProcessorContext.getStateStoreContext()} included. Call on the thread that owns the store; again after
     * {@link #close} to reopen it, with nothing of the previous open carried over. Cost: O(1) for the in-memory store;
     * the persistent store also opens RocksDB and reads its offsets (milliseconds), and loads its copy later, in the
     * background.
     *
     * @throws IllegalStateException if the store is open (a second init would otherwise drop its data)
     */
    @Override
    public void init(StateStoreContext stateStoreContext, StateStore root) {
        Objects.requireNonNull(stateStoreContext, "stateStoreContext cannot be null");
        if (current != null) {
            throw new IllegalStateException("Store " + name + " is already open: close it before initialising it again");
        }
        String iterationRefusal = null;
        if (!ordered && CachingLayerCheck.isCached(root)) {
            iterationRefusal = "Store " + name + " is a hash-order bucket-map store under Kafka's caching layer, which"
                    + " merges its cache with the store's iterators assuming both are sorted: range, all and prefix"
                    + " scans would return duplicates and stale values. Build the store with caching disabled, or use"
                    + " the ordered BucketMapStores.keyValueStore. get, put and delete work either way.";
            LOG.warn(iterationRefusal);
        }
        OpenStore opened = OpenStore.open(this, stateStoreContext, localCopies, iterationRefusal);
        // open before registering: a context may start restoring from inside register()
        current = opened;
        everInitialised = true;
        if (root != null) {
            stateStoreContext.register(root, new ChangelogRestoreCallback(this, stateStoreContext.appConfigs()));
        }
    }

    /**
     * False for the in-memory store (the data lives on the heap only and is rebuilt from the changelog after a
     * restart); true for the persistent store, whose local copy survives it. O(1); any thread.
     */
    @Override
    public boolean persistent() {
        return localCopies.persistent();
    }

    /** Whether {@link #init} ran and {@link #close} did not. O(1); any thread. */
    @Override
    public boolean isOpen() {
        return current != null;
    }

    /**
     * The changelog positions this open of the store has applied: the live object, updated by every write made while
     * processing a record and by restoration (when IQ consistency vectors are enabled); an empty position when the
     * store is not open. Thread-safe to read.
     */
    @Override
    public Position getPosition() {
        OpenStore opened = current;
        return opened == null ? Position.emptyPosition() : opened.position;
    }

    /**
     * Answers IQv2 {@code KeyQuery} and {@code RangeQuery} on raw bytes (Kafka's metered layers turn the timestamped,
     * header-aware and descending queries into these), honouring the position bound; other queries get an "unknown
     * query type" result. Under {@code READ_COMMITTED} on a store run with transactional state stores it answers from
     * {@link #readOnly(IsolationLevel) the committed view} and reports the position of the last commit, as Kafka's
     * in-memory store does. Any thread; does not block the writer. A range result is an iterator the caller must
     * close; on a hash-order store it is in hash order.
     */
    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        OpenStore opened = current;
        if (opened == null) {
            // what Kafka's stores answer when their read throws on a closed store
            return QueryResult.forFailure(FailureReason.STORE_EXCEPTION,
                    InvalidStateStoreException.class.getName() + ": Store " + name + " is not open");
        }
        // getIsolationLevel() exists only where transactional stores do (KafkaStreamsCompatibility): asked only then
        UncommittedWrites undoRecord = opened.undoRecord;
        boolean committedOnly = undoRecord != null && config.getIsolationLevel() == IsolationLevel.READ_COMMITTED;
        return KeyValueQueries.run(query, positionBound, config, this,
                committedOnly ? new CommittedView(this, undoRecord) : this,
                committedOnly ? undoRecord.committedPosition() : opened.position, opened.context);
    }

    /**
     * The store itself, except under {@code READ_COMMITTED} on a store run with
     * {@code enable.transactional.statestores=true}: then a {@link CommittedView} of what the last commit holds. Kafka
     * Streams' wrappers hand IQv1 and IQv2 readers this view for the isolation level they ask for. O(1); any thread.
     */
    @Override
    public ReadOnlyKeyValueStore<Bytes, byte[]> readOnly(IsolationLevel isolationLevel) {
        Objects.requireNonNull(isolationLevel, "isolationLevel cannot be null");
        OpenStore opened = current;
        UncommittedWrites undoRecord = opened == null ? null : opened.undoRecord;
        return undoRecord != null && isolationLevel == IsolationLevel.READ_COMMITTED
                ? new CommittedView(this, undoRecord) : this;
    }

    /**
     * The bytes a commit would clear: for an in-memory store run with {@code enable.transactional.statestores=true},
     * those of keys and values written since the last commit, counted per write as Kafka's transaction buffers count
     * them; for the persistent store, those of the changes its next commit hands to its copy writer
     * ({@link RocksDbLocalCopy#uncommittedBytes}: 0 while the writer is busy, and under {@code exactly_once_v2} without
     * transactional stores, where commits reach the store only at suspension); 0 otherwise, as for Kafka's own stores
     * outside that setting. Kafka Streams 4.4 sums this over a thread's tasks and commits early past its share of
     * {@code statestore.uncommitted.max.bytes}, which bounds the work of each commit. O(1); any thread (approximate).
     */
    @Override
    public long approximateNumUncommittedBytes() {
        OpenStore opened = current;
        return opened == null ? 0 : opened.uncommittedBytes();
    }

    /**
     * The value of {@code key}, or null. O(1) average (while a persistent store loads its copy, a RocksDB point read
     * for a key not loaded yet); any thread.
     */
    @Override
    public byte[] get(Bytes key) {
        return ensureOpen().data.get(keyBytes(key));
    }

    /**
     * Maps {@code key} to {@code value}, or deletes {@code key} if {@code value} is null. O(1) average (O(log n) more
     * on an ordered store), plus at most two buckets of growth or shrinking. Writer thread only.
     */
    @Override
    public void put(Bytes key, byte[] value) {
        OpenStore opened = ensureOpen();
        byte[] keyBytes = keyBytes(key);
        if (value == null) {
            opened.data.delete(keyBytes);
        } else {
            opened.data.put(keyBytes, value);
        }
        opened.recordPosition();
    }

    /**
     * Stores {@code value} unless {@code key} has a value; returns the existing value or null. A null
     * {@code value} changes nothing. O(1) average, as {@link #put}. Writer thread only.
     */
    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        OpenStore opened = ensureOpen();
        byte[] keyBytes = keyBytes(key);
        byte[] existing = value == null ? opened.data.get(keyBytes) : opened.data.putIfAbsent(keyBytes, value);
        opened.recordPosition();
        return existing;
    }

    /**
     * Puts every entry in list order (null values delete): O(entries) puts. A null key fails the call before any entry
     * is written. Writer thread only.
     */
    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        OpenStore opened = ensureOpen();
        EntryBatch batch = new EntryBatch(entries.size());
        for (KeyValue<Bytes, byte[]> entry : entries) {
            batch.add(keyBytes(entry.key), entry.value);
        }
        opened.data.putAll(batch);
        opened.recordPosition();
    }

    /**
     * Removes {@code key}; returns its value or null. O(1) average, as {@link #put}. Writer thread only; may start
     * shrinking the table.
     */
    @Override
    public byte[] delete(Bytes key) {
        OpenStore opened = ensureOpen();
        byte[] previous = opened.data.delete(keyBytes(key));
        opened.recordPosition();
        return previous;
    }

    /**
     * Entries with keys in {@code [from, to]}; a null bound is open. If {@code from > to}, returns an empty iterator
     * and logs a warning, exactly like Kafka's own stores. Opening costs O(log n) on an ordered store, each step
     * O(1) amortised, O(1) memory; a hash-order store walks the whole map. Any thread; the iterator must be closed.
     */
    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return iterator(rangeOf(from, to), false);
    }

    /** As {@link #range}, in descending key order (hash order on a hash-order store); same cost and threads. */
    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return iterator(rangeOf(from, to), true);
    }

    /**
     * Every entry, in ascending key order (hash order on a hash-order store). O(1) memory, O(n) to drain. Any thread;
     * the iterator must be closed.
     */
    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return iterator(KeyRange.all(), false);
    }

    /** As {@link #all}, in descending key order (hash order on a hash-order store); same cost and threads. */
    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return iterator(KeyRange.all(), true);
    }

    /**
     * Entries whose serialized key starts with the serialized {@code prefix}, in ascending key order (hash order,
     * after a full walk, on a hash-order store). Cost as {@link #range}. Any thread; the iterator must be closed.
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
        return ensureOpen().data.approximateSize();
    }

    /**
     * Kafka Streams committed the task, with the changelog offsets its changes end at: each layer of the chain commits
     * ({@link StoreData#commit}). The persistent store writes the entries changed since the last commit and
     * {@code changelogOffsets} to its local copy, atomically (an empty map clears the recorded offsets, a null offset
     * one partition's); a store run with transactional state stores marks everything written so far as committed
     * ({@code READ_COMMITTED} readers see it from now on); the map moves a growth or shrink along without a write
     * paying for it (up to {@value MapData#COMMIT_MIGRATION_BUCKETS} buckets, not while a copy loads): this is what
     * hands memory back after a punctuator deleted most of the store and writes went quiet.
     *
     * <p>Kafka Streams calls it after each commit under at-least-once and while restoring or standing by; for a running
     * active task under {@code exactly_once_v2}, after each commit when {@code enable.transactional.statestores} is
     * true, otherwise only when it suspends or closes the task ({@code StreamTask.postCommit}): then migrations advance
     * with writes alone, and the local copy is as old as the last suspension (a restart after a crash replays the
     * changelog from there). Writer thread only (Kafka Streams commits on the thread that owns the store).
     */
    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        OpenStore opened = ensureOpen();
        opened.data.commit(changelogOffsets, opened.position);
    }

    /**
     * What Kafka Streams before 4.3 calls at each commit, where 4.3 and newer call {@link #commit}: for the in-memory
     * store the same as {@link #commit} with no offsets. Writes nothing to a persistent store's local copy, which is
     * written only with the changelog offsets that {@link #commit} brings (and the persistent store refuses to be built
     * on a Kafka Streams older than 4.3). Before 4.3 {@code flush()} is abstract in {@link StateStore}, so a store
     * without it fails at its first commit with an {@link AbstractMethodError}. A store that is not open ignores it, as
     * Kafka's in-memory store does. Writer thread only.
     */
    // deprecated since 4.3, abstract before; no @Override, so that it still compiles once Kafka removes it
    @SuppressWarnings("deprecation")
    public void flush() {
        OpenStore opened = current;
        if (opened != null && !localCopies.persistent()) {
            opened.data.commit(Map.of(), opened.position);
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
        return localCopies.persistent();
    }

    /**
     * The changelog offset the persistent store's local copy on disk ends at (that of the last {@link #commit} whose
     * write has landed: commits are written in the background), or null if none; always null for the in-memory store.
     * O(1); any thread.
     */
    @Override
    public Long committedOffset(TopicPartition partition) {
        return ensureOpen().copy.committedOffset(partition);
    }

    /**
     * Closes the store: stops its copy's load, releases the copy, removes its metrics and drops its data (everything
     * of this open). Idempotent. Open iterators fail with {@link InvalidStateStoreException} on their next step. O(1)
     * for the in-memory store (the map is left to the garbage collector); the persistent store also waits for the
     * commit its copy writer is writing and closes RocksDB. On the thread that owns the store.
     */
    @Override
    public void close() {
        OpenStore opened = current;
        current = null;
        if (opened != null) {
            opened.close();
        }
    }

    /**
     * A snapshot of the bucket map's internals (what the metrics report). O(1); any thread.
     *
     * @return entry, bucket and migration counts at some recent moment
     * @throws InvalidStateStoreException if the store is not open
     */
    public BucketMapStats stats() {
        return ensureOpen().map.stats();
    }

    /**
     * Whether iterators return keys in order. O(1); any thread.
     *
     * @return false for the hash-order variant
     */
    public boolean isOrdered() {
        return ordered;
    }

    /**
     * The value format this store declares to Kafka Streams. O(1); any thread.
     *
     * @return PLAIN for this class itself, TIMESTAMPED or HEADERS for its subclasses
     */
    public ValueFormat format() {
        return format;
    }

    /** The {@code <scope>-state-id} tag of the store's metrics. */
    String metricsScope() {
        return metricsScope;
    }

    /**
     * The local copy's folder name: the store name for plain values (where copies of earlier versions live), the
     * store name and the format otherwise, so a copy is only ever read in the format it was written in.
     */
    String localCopyName() {
        return format == ValueFormat.PLAIN ? name : name + "." + format.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Writes a batch of changelog records during restoration, up to its first record with a null key (the batch is cut
     * there). A null value (tombstone) deletes. Writer thread (the state updater).
     */
    void restore(EntryBatch batch) {
        OpenStore opened = ensureOpen();
        batch.cutAtFirstNullKey();
        opened.data.restore(batch);
    }

    /** Waits until the persistent store's local copy is loaded into the map (at once if it is); for tests. */
    void awaitCopyLoaded() {
        ensureOpen().copy.load().ifPresent(CopyLoad::awaitDone);
    }

    /** The current open's local copy, for tests of the persistent store. */
    LocalCopy localCopy() {
        return ensureOpen().copy;
    }

    /**
     * The current open.
     *
     * @throws InvalidStateStoreException if the store is not open
     */
    private OpenStore ensureOpen() {
        OpenStore opened = current;
        if (opened == null) {
            throw new InvalidStateStoreException("Store " + name + " is not open: "
                    + (everInitialised ? "it has been closed" : "init() has not been called"));
        }
        return opened;
    }

    /** An iterator of the chain: refused on a hash-order store under the cache; waits while the local copy loads. */
    private KeyValueIterator<Bytes, byte[]> iterator(KeyRange range, boolean descending) {
        OpenStore opened = ensureOpen();
        return new BucketMapKeyValueIterator(opened, opened.data.iterator(range, descending));
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

    /** Called by the map, on the writer thread, when a rebuild left chains as long as before (see BucketMap). */
    void warnOfCollidingKeysOnce(BucketMapStats stats) {
        if (!warnedOfCollidingKeys) {
            warnedOfCollidingKeys = true;
            LOG.warn("Store {}: a rebuild of its bucket map left chains of colliding keys as long as before ({}). Keys"
                    + " that collide at a random seed are crafted or pathological; {}. Metric: ineffective-rebuilds-total.",
                    name, stats, ordered ? "the ordered store rebuilds once more with a fresh seed"
                            : "a hash-order store cannot change its seed (its iterators walk in hash order), so these"
                            + " keys stay slower to reach; the ordered store reseeds");
        }
    }

    private static byte[] keyBytes(Bytes key) {
        if (key == null || key.get() == null) {
            throw new NullPointerException("key cannot be null");
        }
        return key.get();
    }
}
