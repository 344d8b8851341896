package io.bucketmap.store;

import io.bucketmap.core.BucketMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * The persistent store's local copy: a RocksDB database in the task's state directory
 * ({@code <state.dir>/<application.id>/<task>/}{@value #DIRECTORY}{@code /<store>}, the layout of Kafka's own
 * {@code rocksdb/<store>}) holding the entries of the last commit and, in a metadata column family, the changelog
 * offsets, IQ position and stream time they correspond to.
 *
 * <h2>Only committed state, atomically</h2>
 * Nothing is written between commits. {@link #commit} writes the changed keys' current values, the deletes and the
 * offsets as one {@link WriteBatch} through the write-ahead log, which RocksDB applies entirely or not at all, also
 * across a crash. Kafka Streams calls the store's commit only after the task's changes are committed to the
 * changelog (under {@code exactly_once_v2}, after the transaction commits), with the changelog offset those changes
 * end at. So after a crash the copy holds the last committed state and the offset it ends at: Kafka Streams replays
 * the changelog from there, never wipes the task, never replays it whole. (Kafka's own RocksDB store writes
 * uncommitted data between commits, so under {@code exactly_once_v2} a crash makes it wipe and restore everything.)
 *
 * <h2>Costs</h2>
 * Per change: {@link ChangedKeys} bookkeeping (one hash lookup). Per commit: one RocksDB write of the changed
 * entries, whose batch is built in native memory. Open: opening the database and reading the offsets; the entries
 * are then loaded in the background ({@link CopyLoad}, reading with {@link CopyLoader}), and until they are, reads
 * of keys not loaded yet are RocksDB point reads. Once loaded, reads never reach RocksDB.
 *
 * <h2>One object per open</h2>
 * {@link #factory} opens a new one at each {@code init}; everything here (the handles, the offsets read at open and
 * written by commits, the changed keys, the load) dies with its {@link #close}. See {@link LocalCopy} for why.
 *
 * <h2>Threads</h2>
 * The store's writer thread opens, commits and closes. The load ({@link CopyLoad}, {@link CopyLoader}) and the
 * commits' writes ({@link CopyWriter}) run on the store's background executor; {@link #close} stops the load and
 * waits for the write in flight before it closes the database. Point reads ({@link #committedValue}) come from any
 * thread while the copy loads; {@link #nativeAccess} keeps them off a database that is closing (RocksJava does not
 * guard a closed handle).
 */
final class RocksDbLocalCopy implements LocalCopy {
    /** The task-directory folder that holds one database per store. */
    static final String DIRECTORY = "bucketmap-rocksdb";
    private static final Logger LOG = LoggerFactory.getLogger(RocksDbLocalCopy.class);
    private static final byte[] METADATA_COLUMN_FAMILY = "bucketmap-metadata".getBytes(StandardCharsets.UTF_8);

    /** Opens a new copy at each {@code init} of a persistent store, loading and writing it on {@code background}. */
    static Factory factory(Executor background) {
        return new Factory() {
            @Override
            public LocalCopy open(StateStoreContext context, String storeName, BucketMap into, Position position,
                                  StreamTime streamTime) {
                RocksDbLocalCopy copy = new RocksDbLocalCopy(storeName, context.appConfigs(), background, streamTime);
                copy.open(new File(new File(context.stateDir(), DIRECTORY), storeName), context, into, position);
                return copy;
            }

            @Override
            public boolean persistent() {
                return true;
            }
        };
    }

    private final String storeName;
    private final Executor background;
    /** The store's stream time: merged from the copy at open, recorded at each commit. */
    private final StreamTime streamTime;
    private final CopyWriter writer;
    /** Whether a commit clears what {@link #uncommittedBytes} reports (see there). */
    private final boolean commitsClearChanges;
    /** The changes since the last commit; replaced by a new set at each commit. Writer thread. */
    private PendingChanges pending = new PendingChanges();
    /** Set when a commit's write failed: the copy misses it, so it is discarded on close. Writer thread. */
    private boolean broken;
    /** Whether the store changed since the last commit: then pending changes hold uncommitted data. Writer thread. */
    private boolean changedSinceCommit;
    /** Whether the last commit found the writer busy and is not handed over yet. Writer thread. */
    private boolean handOverDeferred;
    /** The offsets in the copy once the last write handed over lands (at open: those read). Writer thread. */
    private Set<TopicPartition> writtenOffsets = Set.of();
    /** The IQ position of the last commit, encoded. Writer thread. */
    private byte[] committedPosition;
    /** The stream time of the last commit, or {@link StreamTime#NONE}. Writer thread. */
    private long committedStreamTime = StreamTime.NONE;
    private TaskId taskId;
    /** The offsets of the last commit: read from the copy at open, then those each commit recorded. Writer thread. */
    private final Map<TopicPartition, Long> committedOffsets = new HashMap<>();
    /**
     * The offsets the copy on disk ends at: read at open, then those of each write once it has landed (writes land in
     * commit order). Behind {@link #committedOffsets} while a write is in flight or deferred. Any thread.
     */
    private volatile Map<TopicPartition, Long> offsetsOnDisk = Map.of();
    private final List<ColumnFamilyHandle> columnFamilies = new ArrayList<>();
    /** Read: a point read in progress; write: {@link #close} releasing the database. */
    private final ReadWriteLock nativeAccess = new ReentrantReadWriteLock();
    private RocksDbOptions options;
    private WriteOptions writeOptions;
    private RocksDB db;
    private CopyLoad load;
    private File dir;

    private RocksDbLocalCopy(String storeName, Map<String, Object> appConfigs, Executor background,
                             StreamTime streamTime) {
        this.storeName = storeName;
        this.background = background;
        this.streamTime = streamTime;
        this.writer = new CopyWriter(storeName, background);
        this.commitsClearChanges = !StoreSettings.exactlyOnce(appConfigs) || StoreSettings.transactionalStateStores(appConfigs);
    }

    private void open(File dir, StateStoreContext context, BucketMap into, Position position) {
        this.dir = dir;
        this.taskId = context.taskId();
        try {
            Files.createDirectories(dir.toPath());
            options = RocksDbOptions.create(storeName, context.appConfigs());
            writeOptions = new WriteOptions();
            db = RocksDB.open(options.db(), dir.getAbsolutePath(), List.of(
                    new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, options.data()),
                    new ColumnFamilyDescriptor(METADATA_COLUMN_FAMILY, options.metadata())), columnFamilies);
            loadMetadata(position);
            writtenOffsets = Set.copyOf(committedOffsets.keySet());
            offsetsOnDisk = Map.copyOf(committedOffsets);
            int estimatedEntries = CopyLoader.estimatedEntries(db, data());
            // no growth and no bucket moves while loading (they cost about as much as the inserts); too high an
            // estimate is a floor only until an eighth of it has been deleted
            into.presize(estimatedEntries);
            RocksDB database = db;
            ColumnFamilyHandle entries = data();
            load = new CopyLoad(into, this::committedValue, sink -> CopyLoader.load(database, entries, background, sink),
                    CopyLoad.AFTER_RESTORATION, background, storeName, context.taskId(), estimatedEntries);
        } catch (IOException | RocksDBException | RuntimeException e) {
            close();
            throw new ProcessorStateException("Cannot open the local copy of store " + storeName + " in " + dir, e);
        }
    }

    @Override
    public Optional<CopyLoad> load() {
        return Optional.ofNullable(load);
    }

    @Override
    public void putApplied(byte[] key, byte[] value, boolean mayHaveHadValue) {
        pending.putApplied(key, value, mayHaveHadValue);
        changedSinceCommit = true;
    }

    @Override
    public void deleteApplied(byte[] key) {
        pending.deleteApplied(key);
        changedSinceCommit = true;
    }

    /**
     * Records {@code changelogOffsets} as this commit's and, unless the copy writer is still writing an earlier commit,
     * hands the changes since the last hand-over, the offsets and {@code position} to it, to be written as one atomic
     * batch. A busy writer defers the hand-over to a later commit (the changes stay pending, each key with its latest
     * value, so that later write covers this commit too), or to {@link #close} if nothing changes before it; the copy
     * then stays at the earlier commit, with that commit's offsets, a little longer. So the stream thread never waits
     * for RocksDB here: a commit costs O(partitions).
     *
     * @throws TaskCorruptedException if an earlier write failed: the copy misses a commit, so the task must be closed
     *                                (the copy is then discarded) and restored from the changelog
     */
    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets, Position position) {
        if (!writer.isWriting()) {
            try {
                writer.awaitWritten(); // done: only learns whether it failed
            } catch (ProcessorStateException e) {
                broken = true;
                LOG.error("The local copy of store {} missed a commit; it will be discarded", storeName, e);
            }
        }
        if (broken) {
            throw taskId == null ? new ProcessorStateException("The local copy of store " + storeName + " is broken")
                    : new TaskCorruptedException(Set.of(taskId));
        }
        if (changelogOffsets.isEmpty()) {
            committedOffsets.clear();
        }
        changelogOffsets.forEach((partition, offset) -> {
            if (offset == null) {
                committedOffsets.remove(partition);
            } else {
                committedOffsets.put(partition, offset);
            }
        });
        committedPosition = CopyMetadata.encodePosition(position);
        committedStreamTime = streamTime.millis();
        changedSinceCommit = false;
        handOverDeferred = writer.isWriting();
        if (!handOverDeferred) {
            handOver();
        }
    }

    /** Hands the pending changes and the last commit's offsets and position to the writer. Writer thread. */
    private void handOver() {
        PendingChanges changes = pending;
        pending = new PendingChanges();
        Map<TopicPartition, Long> offsets = Map.copyOf(committedOffsets);
        Set<TopicPartition> cleared = new HashSet<>(writtenOffsets);
        cleared.removeAll(offsets.keySet());
        byte[] encodedPosition = committedPosition;
        long recordedStreamTime = committedStreamTime;
        writer.submit(() -> write(changes, offsets, cleared, encodedPosition, recordedStreamTime));
        writtenOffsets = offsets.keySet();
    }

    /** What {@link #handOver} handed over, as one atomic write batch through the write-ahead log. Copy-writer thread. */
    private void write(PendingChanges changes, Map<TopicPartition, Long> offsets, Set<TopicPartition> clearedOffsets,
                       byte[] encodedPosition, long recordedStreamTime) throws RocksDBException {
        try (WriteBatch batch = new WriteBatch(); PendingChanges.Changes changed = changes.entries()) {
            while (changed.hasNext()) {
                BucketMap.Entry entry = changed.next();
                if (entry.value() == PendingChanges.TOMBSTONE) {
                    batch.delete(data(), entry.key());
                } else {
                    batch.put(data(), entry.key(), entry.value());
                }
            }
            for (TopicPartition partition : clearedOffsets) {
                batch.delete(metadata(), CopyMetadata.offsetKey(partition));
            }
            for (Map.Entry<TopicPartition, Long> offset : offsets.entrySet()) {
                batch.put(metadata(), CopyMetadata.offsetKey(offset.getKey()), CopyMetadata.encodeLong(offset.getValue()));
            }
            batch.put(metadata(), CopyMetadata.POSITION_KEY, encodedPosition);
            if (recordedStreamTime != StreamTime.NONE) {
                batch.put(metadata(), CopyMetadata.STREAM_TIME_KEY, CopyMetadata.encodeLong(recordedStreamTime));
            }
            db.write(writeOptions, batch);
        }
        offsetsOnDisk = offsets;
    }

    /**
     * The bytes of the changes the next commit would hand to the writer: 0 while the writer is busy (a commit then
     * clears nothing), and 0 under {@code exactly_once_v2} without {@code enable.transactional.statestores}, where Kafka
     * Streams commits this store only when it suspends the task. Kafka Streams 4.4 commits early when its stores' sum
     * exceeds {@code statestore.uncommitted.max.bytes}; a count that a commit does not clear would only make it commit
     * again and again.
     */
    @Override
    public long uncommittedBytes() {
        return commitsClearChanges && !writer.isWriting() ? pending.bytes() : 0;
    }

    /**
     * The offset the copy on disk ends at, not the last commit's while its write is in flight or deferred: what a
     * restart would restore from. Kafka Streams 4.3 and 4.4 ask only right after {@code init} (to find where restoration
     * starts), when the two are the same; a newer offset than the disk holds would be wrong for any later caller.
     */
    @Override
    public Long committedOffset(TopicPartition partition) {
        return offsetsOnDisk.get(partition);
    }

    @Override
    public void close() {
        if (load != null) {
            load.cancel();
        }
        try {
            writer.awaitWritten();
            if (!broken && handOverDeferred && !changedSinceCommit) {
                handOver(); // a commit deferred while the writer was busy, and nothing changed since: write it now
                writer.awaitWritten();
            }
        } catch (ProcessorStateException e) {
            broken = true;
            LOG.error("The local copy of store {} missed a commit; it will be discarded", storeName, e);
        } finally {
            writer.close();
        }
        flushMemtables();
        nativeAccess.writeLock().lock();
        try {
            // handles before the database, the database before its options (RocksJava's order)
            columnFamilies.forEach(ColumnFamilyHandle::close);
            columnFamilies.clear();
            if (db != null) {
                db.close();
                db = null;
            }
        } finally {
            nativeAccess.writeLock().unlock();
        }
        if (writeOptions != null) {
            writeOptions.close();
            writeOptions = null;
        }
        if (options != null) {
            options.close();
            options = null;
        }
        if (broken || load != null && load.failed()) {
            discard();
        }
    }

    /**
     * Deletes the database of a copy whose load failed (a corrupt block, say): the next open starts empty, reports no
     * committed offset, and Kafka Streams restores the whole changelog. Kept, the copy would fail the same way after
     * every restart. A failure to delete is logged; the next load then fails again and retries the discard.
     */
    private void discard() {
        LOG.warn("Discarding the local copy of store {} in {}: it could not be loaded; the changelog restores it",
                storeName, dir);
        try (Stream<Path> paths = Files.walk(dir.toPath())) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.error("Could not delete the local copy of store {} in {}", storeName, dir, e);
        }
    }

    /**
     * Writes the memtables to disk, so the next open does not replay them from the write-ahead log: a commit after
     * a long run under {@code exactly_once_v2} (or at the first suspension) writes the whole store in one batch, and
     * replaying that log at start-up would cost as much as loading the copy twice. Only committed state is ever in
     * the database, so flushing it is safe on any close, clean or not. A failure only leaves the log to replay.
     */
    private void flushMemtables() {
        if (db == null) {
            return;
        }
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush, columnFamilies);
        } catch (RocksDBException e) {
            LOG.warn("Could not flush the local copy of store {} on close; the next open replays its log", storeName, e);
        }
    }

    /** Waits until the write handed over last is in the copy; for tests. */
    void awaitWritten() {
        writer.awaitWritten();
    }

    /** Number of keys the next commit will write (puts and deletes). */
    int changedKeyCount() {
        return pending.size();
    }

    /** The value of {@code key} in the last commit, or null: a RocksDB point read. Any thread. */
    private byte[] committedValue(byte[] key) {
        nativeAccess.readLock().lock();
        try {
            if (db == null) {
                throw new InvalidStateStoreException("Store " + storeName + " is closed");
            }
            return db.get(data(), key);
        } catch (RocksDBException e) {
            throw new ProcessorStateException("Cannot read the local copy of store " + storeName, e);
        } finally {
            nativeAccess.readLock().unlock();
        }
    }

    private void loadMetadata(Position position) throws RocksDBException {
        try (RocksIterator entries = db.newIterator(metadata())) {
            for (entries.seekToFirst(); entries.isValid(); entries.next()) {
                byte[] key = entries.key();
                TopicPartition partition = CopyMetadata.partitionOf(key);
                if (partition != null) {
                    committedOffsets.put(partition, CopyMetadata.decodeLong(entries.value()));
                } else if (Arrays.equals(key, CopyMetadata.POSITION_KEY)) {
                    position.merge(CopyMetadata.decodePosition(entries.value()));
                } else if (Arrays.equals(key, CopyMetadata.STREAM_TIME_KEY) && entries.value().length == Long.BYTES) {
                    streamTime.advanceTo(CopyMetadata.decodeLong(entries.value()));
                }
            }
            entries.status();
        }
    }

    private ColumnFamilyHandle data() {
        return columnFamilies.get(0);
    }

    private ColumnFamilyHandle metadata() {
        return columnFamilies.get(1);
    }
}
