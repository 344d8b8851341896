package io.bucketmap.store;

import io.bucketmap.core.BucketMap;
import io.bucketmap.core.BucketMapIterator;
import io.bucketmap.core.KeyRange;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.query.Position;

import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The layer of a store's chain ({@link StoreData}) that makes entries expire a fixed time after their last write
 * ({@link TimeToLive}), below the undo record of transactional stores and above the local copy's change tracking, so
 * that removing an expired entry also removes it from a persistent store's copy. The design and its reasons are in
 * {@code docs/ttl.md}; in short:
 *
 * <h2>Expired is absent at once</h2>
 * An entry is expired once {@code now >= recordTime + ttl}: {@code recordTime} is the timestamp of its last write
 * ({@link WriteTimes}), {@code now} the store's stream time ({@link StreamTime}: the largest record time written or
 * restored) or a wall clock. {@link #get} and every iterator ({@link #visible}, applied by {@link OpenStore#iterator})
 * treat an expired entry as absent whether or not it has been removed yet, so no reader, IQ included, ever sees one.
 * On stream time, the processing thread's reads also count the task's stream time ({@link #readTime}).
 *
 * <h2>Invariant</h2>
 * Every entry with a finite deadline has its key filed in the {@link ExpiryIndex} slot of that deadline, and that slot
 * is not handed out before the deadline passes: a write files the key unless its previous value's deadline was in the
 * same slot; a slot is due only once all its deadlines have passed, when an entry filed there is expired (and removed)
 * or stale (its current deadline is in a later slot, where it is filed). The exception: entries loaded from a local
 * copy are filed by the scan that follows the load; until then, reads hide them once expired, and nothing removes them.
 *
 * <h2>Removal: bounded work through an index</h2>
 * Each write files its key in an {@link ExpiryIndex} by deadline when the deadline moves into another slot. Each
 * processing write then examines up to {@value #EXAMINED_PER_WRITE} keys of due slots and removes up to
 * {@value #REMOVED_PER_WRITE} expired entries (as growth moves at most two buckets per write); each restored record
 * and each commit does a bounded share too where removals are free (below). A key handed out by the index is checked
 * against the store's current value before anything is removed: a key written again since is stale there (Quix Streams
 * lost data without that check, its issue 1129). An entry of a persistent store loaded from its local copy, which
 * never passed through this layer, is filed by a scan of the map after the load, a few entries per write and more per
 * commit. Memory comes back as after any mass deletion: the map shrinks a few buckets per write.
 *
 * <h2>Nothing comes back: tombstones</h2>
 * This layer sits below Kafka's change-logging layer, so a removal it makes writes no changelog record by itself;
 * {@link ChangelogTombstones} writes one. An active task's removals happen only in processing writes, which write the
 * tombstone at once ({@link ChangelogTombstones} says why not from commits or restoration): an active task's restore
 * keeps expired records (hidden) for processing to remove with a tombstone, and its commits remove nothing. A write
 * whose own record time is already expired is removed at once and its tombstone owed: the change-logging layer logs
 * the write after this layer returns, so the tombstone goes out with the next processing write. Where no tombstone is
 * owed (standby tasks, which the active task's tombstones reach; stores without changelog) removal is free: restores
 * drop records already expired (after moving stream time over the whole batch, as Kafka's segmented stores do) and
 * commits remove too. A restore then decides as the live store did: the changelog holds each key's last record and
 * its timestamp, and stream time is rebuilt from those timestamps (and, for a persistent store, read from its copy).
 *
 * <p>Threads: writes, restores and commits on the store's writer thread; reads ({@link #get}, {@link #visible}) on
 * any thread. The index, the owed tombstones and the scan are the writer's alone; the counters readers see are
 * volatile.
 */
final class ExpiringData extends ForwardingStoreData {
    /** Index keys a processing write examines at most, stale ones included. */
    static final int EXAMINED_PER_WRITE = 8;
    /** Expired entries a processing write removes at most (each a delete and a tombstone). */
    static final int REMOVED_PER_WRITE = 2;
    /** Owed tombstones a processing write sends at most. */
    static final int OWED_TOMBSTONES_PER_WRITE = 2;
    /** Map entries loaded from a local copy that a write files at most. */
    static final int SCANNED_PER_WRITE = 4;
    /** Index keys a commit examines at most where removals are free, and expired entries it removes at most. */
    static final int EXAMINED_PER_COMMIT = 1_024;
    static final int REMOVED_PER_COMMIT = 256;
    /** Map entries loaded from a local copy that a commit files at most. */
    static final int SCANNED_PER_COMMIT = 4_096;
    /** Index slots per time to live: an entry leaves at most {@code ttl / SLOTS_PER_TTL} after its deadline. */
    static final int SLOTS_PER_TTL = 16;

    private final TimeToLive ttl;
    private final Clock wallClock;
    /** The task's stream time, which reads on the processing thread also count; null where the context has none. */
    private LongSupplier taskStreamTime;
    /** The thread that processes the store's records: the one that opened it, then the one that last wrote. */
    private volatile Thread processingThread = Thread.currentThread();
    /**
     * The key of the processing thread's last read (a copy) and what the store held for it, until the next write:
     * {@link #storedBeforeWrite}. Set by reads on the processing thread, cleared by every change of the store (writes,
     * restores, commits that remove); never touched by readers on other threads. The key is the caller's array, not a
     * copy (a copy per read doubled the cost of a get): Kafka's layers serialize each call's key into a fresh array. A
     * caller that changed the array between a read and a write of the same bytes could leave that write's entry unfiled,
     * hidden once expired but not removed; nothing else.
     */
    private byte[] lastReadKey;
    private byte[] lastReadStored;
    private final WriteTimes times;
    private final StreamTime streamTime;
    private final ChangelogTombstones tombstones;
    private final Position position;
    private final ExpiryIndex index;
    /** Keys removed by processing writes whose tombstone must follow the change-logging layer's record. */
    private final KeyLog tombstonesOwed = new KeyLog();
    /** Whether the local copy's load is done, so the scan may start; null when nothing was loaded. */
    private BooleanSupplier copyLoaded;
    /** The scan of the entries loaded from the local copy; null before it starts and once it ends. */
    private BucketMapIterator scan;
    private volatile long expiredTotal;
    private volatile long tombstonesOwedCount;

    /**
     * The layer over {@code inner}. {@code copyLoaded} tells when a local copy's entries (loaded into the map below
     * this layer) are all in the map, to be filed; null if nothing is loaded.
     */
    ExpiringData(StoreData inner, TimeToLive ttl, WriteTimes times, StreamTime streamTime, LongSupplier taskStreamTime,
                 ChangelogTombstones tombstones, Position position, BooleanSupplier copyLoaded) {
        super(inner);
        this.ttl = ttl;
        this.wallClock = ttl.wallClock();
        this.taskStreamTime = wallClock == null ? taskStreamTime : null;
        this.times = times;
        this.streamTime = streamTime;
        this.tombstones = tombstones;
        this.position = position;
        this.copyLoaded = copyLoaded;
        this.index = new ExpiryIndex(Math.max(1, ttl.millis() / SLOTS_PER_TTL));
    }

    /**
     * The value of {@code key} as callers see it, or null if absent or expired. Any thread; on the processing thread
     * it also keeps the key and its stored value for the write that usually follows ({@link #storedBeforeWrite}).
     */
    @Override
    public byte[] get(byte[] key) {
        byte[] stored = inner.get(key);
        if (Thread.currentThread() == processingThread) {
            lastReadKey = key;
            lastReadStored = stored;
        }
        return visible(stored, readTime());
    }

    /** {@code stored} as callers see it, or null if it is null or expired now. Any thread. */
    byte[] visible(byte[] stored) {
        return visible(stored, readTime());
    }

    @Override
    public boolean put(byte[] key, byte[] value) {
        processing();
        boolean withTombstones = tombstones.owed();
        payTombstonesOwed(withTombstones);
        long writeTime = times.ofWritten(value);
        streamTime.advanceTo(writeTime);
        long now = now();
        boolean mayHaveHadValue = write(key, value, writeTime, storedBeforeWrite(key), now, withTombstones);
        afterProcessingWrite(now, 1, withTombstones);
        return mayHaveHadValue;
    }

    /** An entry that has expired is absent: {@code value} replaces it, and null is returned. */
    @Override
    public byte[] putIfAbsent(byte[] key, byte[] value) {
        processing();
        boolean withTombstones = tombstones.owed();
        payTombstonesOwed(withTombstones);
        byte[] existing = storedBeforeWrite(key);
        byte[] visible = visible(existing, readTime());
        if (visible == null) {
            long writeTime = times.ofWritten(value);
            streamTime.advanceTo(writeTime);
            write(key, value, writeTime, existing, now(), withTombstones);
        }
        afterProcessingWrite(now(), 1, withTombstones);
        return visible;
    }

    /** Returns null for an entry that had expired (it was absent already). */
    @Override
    public byte[] delete(byte[] key) {
        processing();
        forgetLastRead();
        boolean withTombstones = tombstones.owed();
        payTombstonesOwed(withTombstones);
        byte[] previous = visible(inner.delete(key), readTime());
        afterProcessingWrite(now(), 1, withTombstones);
        return previous;
    }

    /**
     * Moves stream time over the whole batch first, then writes it as {@link #put} and {@link #delete} would, entries
     * already expired turned into deletes; files the written keys and removes up to {@value #REMOVED_PER_WRITE}
     * expired entries per entry of the batch.
     */
    @Override
    public void putAll(EntryBatch batch) {
        processing();
        forgetLastRead();
        boolean withTombstones = tombstones.owed();
        payTombstonesOwed(withTombstones);
        for (int i = 0; i < batch.size; i++) {
            if (batch.values[i] != null) {
                batch.recordTimes[i] = times.ofWritten(batch.values[i]);
                streamTime.advanceTo(batch.recordTimes[i]);
            }
        }
        long now = now();
        byte[][] previous = new byte[batch.size][];
        for (int i = 0; i < batch.size; i++) {
            byte[] value = batch.values[i];
            if (value == null) {
                continue;
            }
            if (TimeToLive.isExpired(ttl.deadline(batch.recordTimes[i]), now)) {
                batch.values[i] = null;
                expiredOnArrival(batch.keys[i], withTombstones);
            } else {
                previous[i] = inner.get(batch.keys[i]);
                batch.values[i] = times.toStored(value, batch.recordTimes[i]);
            }
        }
        inner.putAll(batch);
        for (int i = 0; i < batch.size; i++) {
            if (batch.values[i] != null) {
                file(batch.keys[i], ttl.deadline(batch.recordTimes[i]), previous[i]);
            }
        }
        afterProcessingWrite(now, batch.size, withTombstones);
    }

    /**
     * Moves stream time over the whole batch first, then writes it. Where removals are free, records already expired
     * become deletes and up to {@value #REMOVED_PER_WRITE} expired entries per record are removed; where tombstones are
     * owed (an active task restoring), expired records are kept, hidden, for processing to remove with a tombstone.
     */
    @Override
    public void restore(EntryBatch batch) {
        forgetLastRead();
        boolean free = !tombstones.owed();
        for (int i = 0; i < batch.size; i++) {
            if (batch.values[i] != null) {
                batch.recordTimes[i] = times.ofRestored(batch.values[i], batch.recordTimes[i]);
                streamTime.advanceTo(batch.recordTimes[i]);
            }
        }
        long now = now();
        for (int i = 0; i < batch.size; i++) {
            byte[] value = batch.values[i];
            if (value == null) {
                continue;
            }
            if (free && TimeToLive.isExpired(ttl.deadline(batch.recordTimes[i]), now)) {
                batch.values[i] = null;
                expiredTotal++;
            } else {
                batch.values[i] = times.toStored(value, batch.recordTimes[i]);
            }
        }
        batch.keepPrevious = true; // filing a key reads its previous deadline
        inner.restore(batch);
        for (int i = 0; i < batch.size; i++) {
            if (batch.values[i] != null) {
                file(batch.keys[i], ttl.deadline(batch.recordTimes[i]), batch.previous[i]);
            }
        }
        if (free) {
            removeExpired(now, EXAMINED_PER_WRITE * batch.size, REMOVED_PER_WRITE * batch.size, false);
        }
    }

    /**
     * Where removals are free, removes up to {@value #REMOVED_PER_COMMIT} expired entries (this is what returns memory
     * when writes stop); files up to {@value #SCANNED_PER_COMMIT} entries loaded from the local copy; then the layers
     * below commit, so a persistent store's copy drops what was removed, and records the stream time.
     */
    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets, Position position) {
        forgetLastRead();
        if (!tombstones.owed()) {
            removeExpired(now(), EXAMINED_PER_COMMIT, REMOVED_PER_COMMIT, false);
        }
        scan(SCANNED_PER_COMMIT);
        inner.commit(changelogOffsets, position);
    }

    /** Whether the store holds other bytes than callers write (a plain store's record time in front). */
    boolean changesValues() {
        return times.changesValues();
    }

    /** Entries removed because they expired (or were expired when written) since the store opened. Any thread. */
    long expiredTotal() {
        return expiredTotal;
    }

    /** Keys waiting in the expiry index, stale ones included. Any thread. */
    long waitingToExpire() {
        return index.size();
    }

    /** Tombstones of removed entries not sent yet. Any thread. */
    long tombstonesOwed() {
        return tombstonesOwedCount;
    }

    /** The time writes, restores and removals judge expiry at: the wall clock's, or the store's stream time. */
    long now() {
        return wallClock == null ? streamTime.millis() : wallClock.millis();
    }

    /**
     * The time reads judge expiry at: {@link #now}, and on the processing thread, by stream time, also the task's
     * stream time, which counts the record being processed before it reaches the store: an aggregation reading a key
     * whose last write its input has outlived by the time to live finds it absent, and starts afresh. Only a read; the
     * store's own stream time moves with what it stores, which its changelog keeps. Any thread.
     */
    private long readTime() {
        long now = now();
        LongSupplier taskTime = taskStreamTime;
        if (taskTime != null && Thread.currentThread() == processingThread) {
            try {
                now = Math.max(now, taskTime.getAsLong());
            } catch (RuntimeException e) {
                taskStreamTime = null; // a context that cannot say (a mock's): the store's stream time alone
            }
        }
        return now;
    }

    /**
     * What the store holds for {@code key} before a processing write of it: the value the processing thread's last
     * read found, if that read was of this key (an aggregation reads a key, then writes it: one lookup, not two), else a
     * lookup. Forgets the last read either way: the write that calls it changes the store. Processing thread.
     */
    private byte[] storedBeforeWrite(byte[] key) {
        byte[] readKey = lastReadKey;
        byte[] readStored = lastReadStored;
        forgetLastRead();
        return readKey != null && Arrays.equals(readKey, key) ? readStored : inner.get(key);
    }

    private void forgetLastRead() {
        lastReadKey = null;
        lastReadStored = null;
    }

    /** Notes the thread of a processing write as the processing thread (it stays the same but after a task moves). */
    private void processing() {
        Thread current = Thread.currentThread();
        if (processingThread != current) {
            processingThread = current;
        }
    }

    private byte[] visible(byte[] stored, long now) {
        if (stored == null || TimeToLive.isExpired(ttl.deadline(times.ofStored(stored)), now)) {
            return null;
        }
        return times.toCaller(stored);
    }

    /**
     * Writes {@code value} for {@code key} at {@code writeTime} over {@code previous} (as stored), or removes the key
     * if the write is expired already; returns whether the key may have had a value.
     */
    private boolean write(byte[] key, byte[] value, long writeTime, byte[] previous, long now, boolean withTombstones) {
        long deadline = ttl.deadline(writeTime);
        if (TimeToLive.isExpired(deadline, now)) {
            boolean hadValue = inner.delete(key) != null;
            expiredOnArrival(key, withTombstones);
            return hadValue;
        }
        boolean mayHaveHadValue = inner.put(key, times.toStored(value, writeTime));
        file(key, deadline, previous);
        return mayHaveHadValue;
    }

    /**
     * Files {@code key} for {@code deadline} unless its value before the write ({@code previous}, as stored) had its
     * deadline in the same slot, where the key is filed already (the invariant of {@link ExpiryIndex}).
     */
    private void file(byte[] key, long deadline, byte[] previous) {
        if (deadline == TimeToLive.NEVER) {
            return;
        }
        if (previous != null) {
            long previousDeadline = ttl.deadline(times.ofStored(previous));
            if (previousDeadline != TimeToLive.NEVER && index.sameSlot(previousDeadline, deadline)) {
                return;
            }
        }
        index.add(key, deadline);
    }

    /** A processing write of {@code key} was expired when written: it is removed, its tombstone owed if any is. */
    private void expiredOnArrival(byte[] key, boolean withTombstones) {
        expiredTotal++;
        if (withTombstones) {
            tombstonesOwed.append(key);
            tombstonesOwedCount = tombstonesOwed.size();
        }
    }

    /** The bounded removals and scan that follow a processing write of {@code entries} entries. */
    private void afterProcessingWrite(long now, int entries, boolean withTombstones) {
        removeExpired(now, EXAMINED_PER_WRITE * entries, REMOVED_PER_WRITE * entries, withTombstones);
        scan(SCANNED_PER_WRITE * entries);
    }

    /**
     * Sends up to {@value #OWED_TOMBSTONES_PER_WRITE} owed tombstones, before the write that calls it (so after the
     * record the change-logging layer wrote for the write that owed it). A key written again since is skipped.
     */
    private void payTombstonesOwed(boolean withTombstones) {
        if (tombstonesOwedCount == 0) {
            return;
        }
        long now = now();
        for (int i = 0; i < OWED_TOMBSTONES_PER_WRITE; i++) {
            byte[] key = tombstonesOwed.poll();
            if (key == null) {
                break;
            }
            if (withTombstones && visible(inner.get(key), now) == null) {
                tombstones.write(key, tombstoneTime(now), position);
            }
        }
        tombstonesOwedCount = tombstonesOwed.size();
    }

    /**
     * Examines up to {@code maxExamined} keys of due index slots and removes those whose entry is expired, up to
     * {@code maxRemoved}, each followed by a tombstone if {@code withTombstones}.
     */
    private void removeExpired(long now, int maxExamined, int maxRemoved, boolean withTombstones) {
        int removed = 0;
        for (int examined = 0; examined < maxExamined && removed < maxRemoved; examined++) {
            byte[] key = index.pollDue(now);
            if (key == null) {
                return;
            }
            byte[] stored = inner.get(key);
            if (stored == null || !TimeToLive.isExpired(ttl.deadline(times.ofStored(stored)), now)) {
                continue; // stale: deleted, or written since with a deadline filed in a later slot
            }
            inner.delete(key);
            expiredTotal++;
            removed++;
            if (withTombstones) {
                tombstones.write(key, tombstoneTime(now), position);
            }
        }
    }

    /**
     * Files up to {@code maxEntries} entries that a local copy loaded into the map below this layer, once the load is
     * done, and moves stream time over their record times (a copy written without it, or before it existed, does not
     * record it). Entries written since are filed by their write as well; a key filed twice is stale once.
     */
    private void scan(int maxEntries) {
        if (copyLoaded == null) {
            return;
        }
        if (scan == null) {
            if (!copyLoaded.getAsBoolean()) {
                return;
            }
            scan = inner.iterator(KeyRange.all(), false);
        }
        for (int i = 0; i < maxEntries; i++) {
            if (!scan.hasNext()) {
                scan.close();
                scan = null;
                copyLoaded = null;
                return;
            }
            BucketMap.Entry entry = scan.next();
            long writeTime = times.ofStored(entry.value());
            streamTime.advanceTo(writeTime);
            long deadline = ttl.deadline(writeTime);
            if (deadline != TimeToLive.NEVER) {
                index.add(entry.key(), deadline);
            }
        }
    }

    /** A tombstone's record time: the time it is written at, never negative (Kafka refuses negative timestamps). */
    private static long tombstoneTime(long now) {
        return Math.max(0, now);
    }
}
