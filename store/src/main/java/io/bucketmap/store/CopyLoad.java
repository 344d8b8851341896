package io.bucketmap.store;

import io.bucketmap.core.BucketMap;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.processor.TaskId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Loads a persistent store's local copy into its map in the background, on the store's executor, while the store
 * already serves reads and writes, so Kafka Streams restores the changelog tail and processes records as soon as the
 * store opens instead of waiting for the whole copy to reach the heap ({@code docs/persistent-store.md}).
 *
 * <h2>Why every answer is exact while the map is incomplete</h2>
 * The copy (RocksDB) holds the last commit. The map holds the copy entries loaded so far and every write made since
 * the store opened; {@link #deletedSinceOpen} holds the keys deleted since then. Invariant, kept under
 * {@link #writeLock}: a key's current value is its value in the map if it has one; otherwise none if it was deleted
 * since open or the load is {@link #done}; otherwise the copy's value. So:
 * <ul>
 *   <li>A read that misses the map answers from the copy (a RocksDB point read), unless the key was deleted since
 *       open or the load is done.</li>
 *   <li>The loader inserts a copy entry only if the key is neither in the map (a write since open is newer) nor
 *       deleted since open, holding the lock that writes take, so no write falls between its check and its insert.
 *   </li>
 *   <li>Commits during the load change the copy only for keys written since open, which the map or
 *       {@link #deletedSinceOpen} answers first; which snapshot the loader reads therefore does not matter.</li>
 * </ul>
 *
 * <h2>Threads and visibility: the map's one-writer rule</h2>
 * {@link BucketMap} allows one writer at a time (it fails a second concurrent one with
 * {@link java.util.ConcurrentModificationException}). During the load the map has two: the store's writer thread and
 * the loader. The rule holds because both write only under {@link #writeLock}: the store's writes and the loader's
 * inserts, which holds it for {@value #INSERTS_PER_LOCK} inserts at most, the longest a write waits (the lock is
 * fair, so a write that waits gets it before the loader's next chunk). A batch of writes (a restored changelog batch,
 * a {@code putAll}) holds the lock once for all its writes ({@link #holdingOffTheLoader}). Once {@link #done} is set
 * (under the lock, after the last insert) the loader writes no more and the store's writer alone writes the map. Reads
 * take no lock: both maps allow readers beside their writer. A read takes {@link #done} <em>before</em> it looks in
 * the map: a miss that follows a true {@code done} is a true miss. An interactive query racing a write may see the
 * value from just before the write, as with any concurrent read.
 *
 * <h2>When it starts</h2>
 * After the changelog restoration, which a load beside it slows several times over on a small machine, and which
 * decides when the task can run. Kafka Streams gives a store no signal at the end of its restoration, so the load goes
 * by what the store sees:
 * <ul>
 *   <li>It starts waiting at the store's first commit ({@link #start}): Kafka Streams commits a store when its
 *       restoration completes, and also every commit interval while restoring or standing by, which under
 *       {@code exactly_once_v2} (100 ms) may come before the first restored batch.</li>
 *   <li>It then reads once no restored batch has arrived for a while ({@link #AFTER_RESTORATION}; the restore
 *       consumer hands batches over back to back while it catches up), or when it has waited long enough (a standby's
 *       restoration never ends). The wait holds no thread: it is a delayed check on the executor.</li>
 *   <li>It starts at once on a write from processing (the task runs) or an iterator (it needs the whole map):
 *       {@link #startNow}.</li>
 * </ul>
 * Until it starts, reads are answered as while it runs: from the map, else from the copy.
 *
 * <h2>What waits</h2>
 * Iterators (and so range, all and prefix scans) {@linkplain #awaitDone wait} for the load to end: an incomplete
 * map cannot return keys in order. Nothing else waits. Writes of keys not yet loaded cost a RocksDB point read only
 * where the result must be returned ({@code delete}, {@code putIfAbsent}). The ordered index fills its nodes
 * fully only when every insert appends, so writes during the load leave it somewhat less dense.
 *
 * <h2>Failures</h2>
 * If the load fails (an unreadable copy, such as a corrupt block met half-way), readers get
 * {@link InvalidStateStoreException} (the store is being restored; they may retry) and the writer gets a
 * {@link TaskCorruptedException}: Kafka Streams closes the task dirty, the copy discards itself on close
 * ({@link RocksDbLocalCopy}), and the next open restores the whole changelog, the source of truth.
 * A refusal of the executor counts as such a failure. {@link #cancel} (the store closing) interrupts the load and
 * waits for it to stop.
 */
final class CopyLoad {
    /** Loader inserts per hold of the write lock: what a write may have to wait for. */
    static final int INSERTS_PER_LOCK = 64;
    /**
     * The stores' policy: 200 ms without a restored batch, at most 10 s. The lull is longer than the gaps between
     * restored batches while the restore consumer catches up and than Kafka Streams takes from the end of a
     * restoration to RUNNING, so the load starts once the task runs; a write from processing starts it sooner.
     */
    static final StartPolicy AFTER_RESTORATION = new StartPolicy(Duration.ofMillis(200), Duration.ofSeconds(10));
    private static final Logger LOG = LoggerFactory.getLogger(CopyLoad.class);
    /** The value of every key in {@link #deletedSinceOpen}. */
    private static final byte[] DELETED = new byte[0];
    private static final int NOT_STARTED = 0;
    private static final int WAITING_FOR_LULL = 1;
    private static final int LOADING = 2;
    private static final int CANCELLED = 3;

    /** Reads the whole copy into a sink; see {@link CopyLoader#load}. */
    @FunctionalInterface
    interface Source {
        void readInto(CopyLoader.BatchSink sink) throws Exception;
    }

    /** When the started loader reads: after {@code restoreLull} without a restored batch, or {@code maxWait}. */
    record StartPolicy(Duration restoreLull, Duration maxWait) {
    }

    /** A point read of the copy: the committed value of a key, or null. Any thread. */
    @FunctionalInterface
    interface CommittedValues {
        byte[] get(byte[] key);
    }

    private final BucketMap map;
    private final CommittedValues committed;
    private final Source source;
    private final StartPolicy startPolicy;
    private final String storeName;
    /** The task whose state a failed load corrupts: writers then fail with a {@link TaskCorruptedException} naming it. */
    private final TaskId taskId;
    private final int estimatedEntries;
    /** Fair: a waiting write goes before the loader's next chunk, instead of losing to it again and again. */
    private final ReentrantLock writeLock = new ReentrantLock(true);
    /** Keys deleted since the store opened; written under {@link #writeLock}, read by any thread. */
    private final BucketMap deletedSinceOpen = BucketMap.hashOrdered();
    private final Executor executor;
    /** The load itself, on the executor; submitted once, by whoever moves {@link #phase} to LOADING. */
    private final BackgroundTask loading = new BackgroundTask(this::load);
    /** NOT_STARTED, then WAITING_FOR_LULL and/or LOADING; CANCELLED once the store closes. */
    private final AtomicInteger phase = new AtomicInteger(NOT_STARTED);
    /** Set under {@link #writeLock} after the last insert; never unset. */
    private volatile boolean done;
    private volatile Throwable failure;
    /** When {@link #start} was called ({@link System#nanoTime}). */
    private volatile long startedNanos;
    /** When the last restored changelog batch was applied ({@link System#nanoTime}); 0 if none. */
    private volatile long lastRestoredBatchNanos;

    /**
     * A load of what {@code source} reads into {@code map} (empty, presized for {@code estimatedEntries}), not
     * started yet, which reads when {@code startPolicy} says, on {@code executor}; {@code committed} answers point
     * reads of the copy meanwhile.
     */
    CopyLoad(BucketMap map, CommittedValues committed, Source source, StartPolicy startPolicy, Executor executor,
             String storeName, TaskId taskId, int estimatedEntries) {
        this.map = map;
        this.executor = executor;
        this.committed = committed;
        this.source = source;
        this.startPolicy = startPolicy;
        this.storeName = storeName;
        this.taskId = taskId;
        this.estimatedEntries = estimatedEntries;
    }

    /**
     * Starts the load, unless it has started already or the load was cancelled: it waits for a lull in changelog
     * restoration (see "When it starts") without holding a thread, then reads on the executor, inserts what the source
     * reads, and marks the load done. Any thread.
     */
    void start() {
        if (phase.compareAndSet(NOT_STARTED, WAITING_FOR_LULL)) {
            startedNanos = System.nanoTime();
            loadAfterLull();
        }
    }

    /** Starts the load now, skipping or ending its wait for a lull in restoration: something needs it. Any thread. */
    void startNow() {
        if (phase.compareAndSet(NOT_STARTED, LOADING) || phase.compareAndSet(WAITING_FOR_LULL, LOADING)) {
            submitLoad();
        }
    }

    /** Whether every copy entry is in the map; once true, the map alone answers everything. Any thread. */
    boolean isDone() {
        return done;
    }

    /** The key's current value, or null. Any thread; a RocksDB point read if the key is not loaded yet. */
    byte[] get(byte[] key) {
        throwIfFailedForReaders();
        boolean complete = done;
        byte[] value = map.get(key);
        if (value != null || complete || deletedSinceOpen.get(key) != null) {
            return value;
        }
        return committed.get(key);
    }

    /**
     * Maps {@code key} to {@code value}; returns whether the key may have had a value before (true if the map held
     * one, or the copy may hold one not loaded yet). Writer thread.
     */
    boolean put(byte[] key, byte[] value) {
        writeLock.lock();
        try {
            throwIfFailedForWriters();
            return map.set(key, value) >= 0 || !done && deletedSinceOpen.get(key) == null;
        } finally {
            writeLock.unlock();
        }
    }

    /** Stores {@code value} unless {@code key} has a value; returns the existing value or null. Writer thread. */
    byte[] putIfAbsent(byte[] key, byte[] value) {
        writeLock.lock();
        try {
            throwIfFailedForWriters();
            byte[] existing = map.get(key);
            if (existing == null && !done && deletedSinceOpen.get(key) == null) {
                existing = committed.get(key);
            }
            if (existing == null) {
                map.set(key, value);
            }
            return existing;
        } finally {
            writeLock.unlock();
        }
    }

    /** Removes {@code key}; returns its value or null. Writer thread. */
    byte[] delete(byte[] key) {
        writeLock.lock();
        try {
            throwIfFailedForWriters();
            if (done) {
                return map.delete(key);
            }
            boolean deletedBefore = deletedSinceOpen.get(key) != null;
            // Recorded before the key leaves the map: a reader that misses the map in between must find it here, not
            // fall back to the copy's older value. It also keeps the loader from bringing the key back.
            deletedSinceOpen.put(key, DELETED);
            byte[] previous = map.delete(key);
            if (previous == null && !deletedBefore) {
                previous = committed.get(key);
            }
            return previous;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Applies one batch of restored changelog records ({@code writes}, as {@link #holdingOffTheLoader}) and notes
     * that restoration is going on, which the loader waits out. Writer thread.
     */
    void applyRestoredBatch(Runnable writes) {
        holdingOffTheLoader(writes);
        lastRestoredBatchNanos = System.nanoTime();
    }

    /**
     * Runs {@code writes} (calls of this load's write methods, which take the lock again at no cost) while holding
     * the write lock, so the loader inserts nothing in between. Writer thread.
     */
    void holdingOffTheLoader(Runnable writes) {
        writeLock.lock();
        try {
            writes.run();
        } finally {
            writeLock.unlock();
        }
    }

    /** About the number of entries: the map's once done, RocksDB's estimate of the copy's until then. */
    long approximateSize() {
        return done ? map.size() : Math.max(map.size(), estimatedEntries);
    }

    /**
     * Starts the load if it has not started, and waits for it to end, so the map alone holds every entry (iterators
     * need that). Any thread.
     *
     * @throws InvalidStateStoreException if the load failed, or the store closed before the load ended
     * @throws InterruptException if the waiting thread is interrupted
     */
    void awaitDone() {
        startNow();
        try {
            loading.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException("interrupted while waiting for store " + storeName + " to load", e);
        }
        throwIfFailedForReaders();
        if (!done) {
            throw new InvalidStateStoreException("Store " + storeName + " closed "
                    + (loading.ran() ? "while loading" : "before loading") + " its local copy");
        }
    }

    /**
     * Stops the load and waits until it has stopped (it no longer reads the copy afterwards); a load not started yet
     * never starts. Idempotent.
     */
    void cancel() {
        phase.set(CANCELLED);
        loading.cancelAndWait();
    }

    /** Inserts copy entries that no write since open has superseded. Loader thread (tests: any one thread). */
    void insert(byte[][] keys, byte[][] values, int count) {
        for (int start = 0; start < count; start += INSERTS_PER_LOCK) {
            int end = Math.min(count, start + INSERTS_PER_LOCK);
            writeLock.lock();
            try {
                boolean anyDeleted = deletedSinceOpen.size() > 0;
                for (int i = start; i < end; i++) {
                    if (!anyDeleted || deletedSinceOpen.get(keys[i]) == null) {
                        map.putIfAbsent(keys[i], values[i]);
                    }
                }
            } finally {
                writeLock.unlock();
            }
        }
    }

    /** Marks the load done: every copy entry has been inserted. */
    void finish() {
        writeLock.lock();
        try {
            done = true;
        } finally {
            writeLock.unlock();
        }
    }

    /** Waits out the lull: loads now if it is over (or the wait too long), or looks again when it would be. */
    private void loadAfterLull() {
        if (phase.get() != WAITING_FOR_LULL) {
            return;
        }
        long deadline = startedNanos + startPolicy.maxWait().toNanos();
        long lullEnds = Math.max(startedNanos, lastRestoredBatchNanos) + startPolicy.restoreLull().toNanos();
        long wakeAt = lullEnds - deadline < 0 ? lullEnds : deadline;
        long wait = wakeAt - System.nanoTime();
        if (wait > 0) {
            // a batch may arrive meanwhile: the end of the lull is computed again then
            CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS, executor).execute(this::loadAfterLull);
        } else if (phase.compareAndSet(WAITING_FOR_LULL, LOADING)) {
            submitLoad();
        }
    }

    /** Hands the load to the executor; a refusal fails the load as an unreadable copy would. */
    private void submitLoad() {
        try {
            loading.submitTo(executor);
        } catch (RuntimeException refused) {
            failure = refused;
            LOG.error("The background executor refused to load the local copy of store {}; its writes fail with"
                    + " TaskCorruptedException, so that Kafka Streams closes the task and the changelog restores it",
                    storeName, refused);
        }
    }

    /** The load: reads the source into the map and marks it done. Executor thread. */
    private void load() {
        long loadStart = System.nanoTime();
        LOG.info("Loading the local copy of store {} after waiting {} ms for changelog restoration to pause",
                storeName, startedNanos == 0 ? 0 : (loadStart - startedNanos) / 1_000_000);
        try {
            source.readInto(this::insert);
            finish();
            LOG.info("Loaded the local copy of store {} in the background in {} ms; the map holds {} entries",
                    storeName, (System.nanoTime() - loadStart) / 1_000_000, map.size());
        } catch (InterruptedException e) {
            LOG.debug("Stopped loading the local copy of store {}: the store is closing", storeName);
        } catch (Throwable e) {
            failure = e;
            LOG.error("Loading the local copy of store {} failed; its writes fail with TaskCorruptedException, so that"
                    + " Kafka Streams closes the task, the copy is discarded, and the changelog restores it", storeName, e);
        }
    }

    /** Whether the load failed: the copy is unreadable and must be discarded when the store closes. Any thread. */
    boolean failed() {
        return failure != null;
    }

    /**
     * After a failed load, fails the writer (processing, restoration, commit) with a {@link TaskCorruptedException}:
     * Kafka Streams then closes the task dirty and initialises it again, and the store, having discarded its copy,
     * restores everything from the changelog, the source of truth. Without a task (a bare test context) it is a
     * {@link ProcessorStateException}.
     */
    void throwIfFailedForWriters() {
        Throwable cause = failure;
        if (cause != null) {
            if (taskId != null) {
                throw new TaskCorruptedException(Set.of(taskId));
            }
            throw new ProcessorStateException("Loading the local copy of store " + storeName + " failed", cause);
        }
    }

    /** After a failed load, fails readers as a store that is being restored: they may retry later. */
    private void throwIfFailedForReaders() {
        Throwable cause = failure;
        if (cause != null) {
            throw new InvalidStateStoreException("Store " + storeName + " could not load its local copy; Kafka Streams"
                    + " restores it from the changelog: " + cause);
        }
    }
}
