package io.bucketmap.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.StampedLock;

/**
 * A hash table from byte-array keys to byte-array values that grows and shrinks a few buckets at a time, with iterators
 * that stay exact while it does, for one writer thread and any number of reader threads. The design (layout, arena,
 * state machine, iteration, threads, hostile keys, constants and the numbers that chose them) is in
 * {@code docs/design.md}; this comment states what the code keeps true.
 *
 * <h2>Structure</h2>
 * A {@link BucketTable} of {@code 2^B} buckets of 8 slots holds, per entry, a tag, the low 32 bits of the key's hash and
 * an int handle; the {@link EntrySlab} maps the handle to the address of the entry's record in its {@link Arena}, where
 * the key and value bytes live; an ordered map's {@link OrderedKeyIndex} holds the handles in key order. While a
 * {@link Migration} runs (growth, shrink, rebuild), an old table holds the keys whose old bucket is not yet evacuated.
 *
 * <h2>Invariants</h2>
 * Numbered as in {@code docs/design.md}, section 8, and checked by {@link #checkInvariants()}:
 * <ol>
 *   <li>the write lock covers every mutation (table, old table, index, slab, arena);</li>
 *   <li>every mutation bumps {@link #writeCount}, including a migration's and compaction's steps;</li>
 *   <li>chains only grow: overflow buckets go with their whole chunk; slots fill in chain order, an EMPTY slot ends
 *       the chain, no DELETED slot follows the last occupied one;</li>
 *   <li>an occupied slot holds its key's hash and tag, lies in its key's bucket and refers to a live handle; no key
 *       is in a chain twice;</li>
 *   <li>the old table of a migration is frozen but for evacuation marks and released chunks; every bucket below the
 *       sweep is evacuated; an entry lives in exactly one place;</li>
 *   <li>table slots, index leaves and live slab handles are the same set, each once;</li>
 *   <li>the slab's bitmaps and high-water mark agree with its handles;</li>
 *   <li>the arena's records lie in held pages without overlap, its per-page live bytes are its records', and only pages
 *       without a live record (other than the append page) are released;</li>
 *   <li>the index is a balanced B+-tree whose keys, heads and links agree;</li>
 *   <li>no table holds more than 8 entries per bucket.</li>
 * </ol>
 *
 * <h2>Costs</h2>
 * {@link #get}, {@link #put}, {@link #delete}: O(1) average plus the copy of the key and value bytes, plus at most
 * {@value #MAX_BUCKETS_MOVED_PER_WRITE} bucket chains of migration work and one step of arena compaction per write
 * (a bounded number of records); an ordered map adds an O(log n) index descent to an insert or a delete. Iterators:
 * O(1) memory, amortized O(1) per entry (O(log n) to start or after the index changed shape). No write ever touches
 * the whole table or the whole arena.
 *
 * <h2>Threads</h2>
 * The writer takes the write lock per operation; a second thread writing at the same time fails with
 * {@link ConcurrentModificationException}. Readers read optimistically and validate, falling back to the read lock,
 * for one bucket chain or index leaf at a time. Fields written by the writer are plain: readers see them through the
 * lock's stamps; a torn optimistic read may throw a {@link RuntimeException} or read garbage (never loop, never
 * allocate more than an arena page), and validation then discards it.
 *
 * <p>The map keeps no reference to a caller's array: writes copy the bytes in, reads copy them out.
 */
public final class BucketMap {
    private static final VarHandle SIZE;

    static {
        try {
            SIZE = MethodHandles.lookup().findVarHandle(BucketMap.class, "size", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Upper bound on bucket chains one write evacuates: its own bucket plus one in sweep order. */
    public static final int MAX_BUCKETS_MOVED_PER_WRITE = 2;

    /** Grow when entries exceed 13/2 per bucket. */
    private static final int GROW_NUMERATOR = 13;
    private static final int GROW_DENOMINATOR = 2;
    /** Shrink when entries fall below 13/8 per bucket: a quarter of the growth threshold. */
    private static final int SHRINK_NUMERATOR = 13;
    private static final int SHRINK_DENOMINATOR = 8;
    /** Rebuild in place when lookups step over this many deleted slots per bucket on average... */
    private static final int REBUILD_DELETED_PER_BUCKET = 2;
    /** ...or when more than one bucket in this many has an overflow bucket (Go measures 21% at load 6.5). */
    private static final int REBUILD_OVERFLOW_ONE_IN = 2;
    /**
     * Entries a delete moves down in a sparse {@link EntrySlab}: two per delete empty the slab's top at least twice as
     * fast as deletes thin it, so the slab stays within about twice its live entries.
     */
    private static final int ENTRIES_MOVED_PER_DELETE = 2;
    /** A sweep looks at no more than this many already-evacuated buckets per write (as Go's map does). */
    private static final int SWEEP_CHECK_LIMIT = 1024;

    /** Hashes keys for {@link #table}; a reseeding rebuild (ordered maps only) gives the new table a new one. */
    private KeyHasher hasher;
    private final StampedLock lock = new StampedLock();
    private final SlotProbe probe = new SlotProbe();
    private final AtomicLong openIterators = new AtomicLong();

    // Written by the writer under the write lock, read by readers under the read protocol.
    BucketTable table;
    Migration migration;
    final OrderedKeyIndex index;
    /** Every entry's key and value, by the handle that the table's slots and the index's leaves hold. */
    final EntrySlab entries;
    long writeCount;
    /**
     * A copy of the key the last successful delete of a hash-order map removed (its first {@link #lastDeletedKeyLength}
     * bytes, in a scratch array every such delete reuses), and {@link #writeCount} during that delete: a hash-order
     * iterator whose caller deleted the entry just returned (a punctuator expiring what it walks) keeps its group
     * buffer, since that delete changed nothing after the cursor.
     */
    private byte[] lastDeletedKey = new byte[32];
    private int lastDeletedKeyLength;
    long lastDeleteWriteCount;
    /** Writer scratch of {@link #writeAll}: the batch's key hashes, computed once ahead of its writes. */
    private long[] batchHashes = new long[0];
    /** Where {@link #readAheadBuckets} puts the words it read, so that the JIT cannot drop the reads. */
    private long readAheadSink;
    /** Entries: written by the writer with opaque stores, read by {@link #size()} from any thread. */
    private int size;
    /** The value a {@link #put}, {@link #putIfAbsent} or {@link #delete} copied out before changing it. Writer scratch. */
    private byte[] previousValue;
    private long bucketsEvacuated;
    private long migrationsFinished;
    private Thread writingThread;
    /** While positive, {@link #presize}'s table does not shrink: counts down per write... */
    private long presizedWritesLeft;
    /** ...and per delete: a mass deletion (an eighth of the expected entries) lifts the floor, a restored tail's few do not. */
    private long presizedDeletesLeft;
    private int presizedLog2Buckets;
    /** Overflow buckets that the last rebuild left behind: an overflow rebuild waits until there are twice as many. */
    private int overflowAfterLastRebuild;
    private long ineffectiveRebuilds;
    private long reseeds;
    /**
     * Set when a rebuild of an ordered map left long chains: the first write that finds no migration running (one may
     * have started at the end of the rebuild's last write) starts a rebuild with a fresh seed.
     */
    private boolean reseedDue;
    private Runnable longChainListener = () -> { };

    private BucketMap(boolean ordered, long seed) {
        this(ordered, new KeyHasher(seed));
    }

    /** For tests: a map whose first table hashes with {@code hasher} (a reseed still picks a real one). */
    BucketMap(boolean ordered, KeyHasher hasher) {
        this(ordered, hasher, Arena.DEFAULT_PAGE_SHIFT);
    }

    /**
     * For tests: a map whose first table hashes with {@code hasher} and whose arena has pages of {@code 2^pageShift}
     * bytes (small pages reach page changes, own pages and compaction with a few thousand entries).
     */
    BucketMap(boolean ordered, KeyHasher hasher, int pageShift) {
        this.hasher = hasher;
        this.entries = new EntrySlab(pageShift);
        this.table = new BucketTable(0, entries);
        this.index = ordered ? new OrderedKeyIndex(entries) : null;
    }

    /** An ordered map: iterators return keys in unsigned byte order. Random hash seed. */
    public static BucketMap ordered() {
        return new BucketMap(true, ThreadLocalRandom.current().nextLong());
    }

    /** A hash-order map: no ordered index (faster writes, less memory), iterators in hash order. */
    public static BucketMap hashOrdered() {
        return new BucketMap(false, ThreadLocalRandom.current().nextLong());
    }

    /** An ordered map sized for {@code expectedEntries} entries: see {@link #presize}. */
    public static BucketMap ordered(int expectedEntries) {
        BucketMap map = ordered();
        map.presize(expectedEntries);
        return map;
    }

    /** A hash-order map sized for {@code expectedEntries} entries: see {@link #presize}. */
    public static BucketMap hashOrdered(int expectedEntries) {
        BucketMap map = hashOrdered();
        map.presize(expectedEntries);
        return map;
    }

    /** A map with a fixed hash seed, for reproducible tests and measurements. */
    public static BucketMap withSeed(boolean ordered, long seed) {
        return new BucketMap(ordered, seed);
    }

    /** A key and its value as an iterator returned them. */
    public record Entry(byte[] key, byte[] value) {
    }

    /** Whether iterators return keys in order (an ordered key index is kept). */
    public boolean isOrdered() {
        return index != null;
    }

    /**
     * The value of {@code key}, or null. O(1) average. Any thread; never blocks the writer for longer than one
     * bucket chain's lookup.
     *
     * @throws NullPointerException if {@code key} is null
     */
    public byte[] get(byte[] key) {
        requireKey(key);
        KeyHasher hashedWith = hasher;
        long hash = hashedWith.hash(key);
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            try {
                // A reseed between the hash and the stamp would leave the hash stale with a valid stamp.
                if (hasher == hashedWith) {
                    byte[] value = findValue(key, hash);
                    if (lock.validate(stamp)) {
                        return value;
                    }
                }
            } catch (RuntimeException tornRead) {
                if (lock.validate(stamp)) {
                    throw tornRead;
                }
            }
        }
        stamp = lock.readLock();
        try {
            return findValue(key, hasher == hashedWith ? hash : hasher.hash(key));
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * Maps {@code key} to {@code value}; returns a copy of the previous value or null. O(key + value) for the copy into
     * the arena, O(1) average for the lookup, plus at most {@value #MAX_BUCKETS_MOVED_PER_WRITE} bucket chains of
     * migration work and a bounded step of compaction; an update of an existing key writes the value into its record
     * (in place if it is no longer than the old one) and does not touch the ordered index. The map keeps no reference
     * to {@code key} or {@code value}. A caller that only needs to know whether the key had a value calls the cheaper
     * {@link #set}. Writer thread only.
     *
     * @throws NullPointerException            if {@code key} or {@code value} is null
     * @throws ConcurrentModificationException if another thread is writing at the same moment
     * @throws IllegalStateException           if the map is full (its entry count or its arena's pages)
     */
    public byte[] put(byte[] key, byte[] value) {
        return takePreviousValue(write(key, requireValue(value), true, true));
    }

    /**
     * Maps {@code key} to {@code value}, as {@link #put} does, without copying the previous value out: returns the length
     * of the value it replaced, or -1 if the key had none. Same costs and failures as {@link #put}, less the copy.
     */
    public int set(byte[] key, byte[] value) {
        return write(key, requireValue(value), true, false);
    }

    /**
     * Maps {@code key} to {@code value} unless it has a value; returns a copy of the existing value, or null if it
     * stored {@code value}. Same costs and failures as {@link #put}.
     */
    public byte[] putIfAbsent(byte[] key, byte[] value) {
        return takePreviousValue(write(key, requireValue(value), false, true));
    }

    /**
     * Removes {@code key}; returns a copy of its value or null. O(1) average plus bounded migration and compaction work;
     * may start a shrink. A caller that only needs to know whether the key had a value calls the cheaper
     * {@link #remove}. Writer thread only; failures as {@link #put}.
     */
    public byte[] delete(byte[] key) {
        return takePreviousValue(delete(key, true));
    }

    /**
     * Removes {@code key}, as {@link #delete} does, without copying its value out: returns the length of the value it
     * removed, or -1 if the key had none. Same costs and failures as {@link #delete}, less the copy.
     */
    public int remove(byte[] key) {
        return delete(key, false);
    }

    private int delete(byte[] key, boolean copyPrevious) {
        requireKey(key);
        long stamp = beginWrite();
        try {
            return deleteLocked(key, hasher.hash(key), copyPrevious);
        } finally {
            endWrite(stamp);
        }
    }

    /**
     * Applies {@code count} writes in order, as {@link #put} ({@code values[i]} not null) or {@link #delete} ({@code
     * values[i]} null) of {@code keys[i]} one by one would, each with its own migration budget, and stores a copy of
     * each key's value before its write in {@code previous[i]}. A caller that only needs to know whether each key had a
     * value calls the cheaper {@link #writeAll(byte[][], byte[][], int[], int)}. Same costs and failures.
     */
    public void writeAll(byte[][] keys, byte[][] values, byte[][] previous, int count) {
        writeAll(keys, values, previous, null, count);
    }

    /**
     * Applies {@code count} writes in order, as {@link #set} ({@code values[i]} not null) or {@link #remove} ({@code
     * values[i]} null) of {@code keys[i]} one by one would, each with its own migration budget, and stores in {@code
     * previousLengths[i]} the length of the value each key had before its write, or -1. Built for changelog
     * restoration, where batches of a thousand records arrive at once: a first pass hashes every key and reads the
     * first word of its bucket, so the cache misses of a thousand writes overlap (independent reads, where a write waits
     * on its miss; see {@code docs/design.md}), the write lock is taken once, and the records' bytes are appended to the
     * arena's pages one after the other. Readers wait for the whole batch (microseconds per record). Writer thread
     * only.
     *
     * @throws NullPointerException            if a key is null; the writes before it are applied
     * @throws ConcurrentModificationException if another thread is writing at the same moment
     * @throws IllegalStateException           if the map is full; the writes before it are applied
     */
    public void writeAll(byte[][] keys, byte[][] values, int[] previousLengths, int count) {
        writeAll(keys, values, null, previousLengths, count);
    }

    private void writeAll(byte[][] keys, byte[][] values, byte[][] previous, int[] previousLengths, int count) {
        if (batchHashes.length < count) {
            batchHashes = new long[count];
        }
        KeyHasher hashedWith = hasher;
        readAheadBuckets(keys, count, hashedWith);
        boolean copyPrevious = previous != null;
        long stamp = lockForWrite();
        try {
            for (int i = 0; i < count; i++) {
                byte[] key = requireKey(keys[i]);
                startWrite();
                long hash = hasher == hashedWith ? batchHashes[i] : hasher.hash(key); // a reseed may start mid-batch
                int previousLength = values[i] == null ? deleteLocked(key, hash, copyPrevious)
                        : writeLocked(key, hash, values[i], true, copyPrevious);
                if (copyPrevious) {
                    previous[i] = takePreviousValue(previousLength);
                } else {
                    previousLengths[i] = previousLength;
                }
            }
        } finally {
            endWrite(stamp);
        }
    }

    /**
     * Hashes {@code keys[0..count)} into {@link #batchHashes} (up to the first null key) and reads the first word of
     * each key's bucket, in the old table too while a migration keeps the same hash: the reads do not depend on each
     * other, so the processor overlaps their misses. The writer's own reads need no lock.
     */
    private void readAheadBuckets(byte[][] keys, int count, KeyHasher hashedWith) {
        BucketTable current = table;
        Migration running = migration;
        BucketTable old = running != null && running.fromHasher == null ? running.from : null;
        long words = 0;
        for (int i = 0; i < count && keys[i] != null; i++) {
            long hash = hashedWith.hash(keys[i]);
            batchHashes[i] = hash;
            words += current.readAhead((int) hash);
            if (old != null) {
                words += old.readAhead((int) hash);
            }
        }
        readAheadSink = words;
    }

    /** The delete of {@code key}, whose hash is {@code hash}, inside a write. */
    private int deleteLocked(byte[] key, long hash, boolean copyPrevious) {
        int hash32 = (int) hash;
        migrateBeforeWrite(key, hash32);
        table.locate(key, hash32, Tags.tagOf(hash), probe);
        if (!probe.found()) {
            entries.compactArena(EntrySlab.COMPACTION_HANDLES_PER_WRITE);
            return -1;
        }
        int handle = probe.foundArray.handleAt(probe.foundSlot);
        int previousLength = entries.valueLength(handle);
        if (copyPrevious) {
            previousValue = entries.copyValue(handle);
        }
        table.removeLocated(probe, hash32);
        if (index != null) {
            index.remove(key, handle); // before the slab drops the entry: leaves read their keys there
        } else {
            rememberDeletedKey(key);
        }
        entries.remove(handle);
        presizedDeletesLeft--;
        SIZE.setOpaque(this, size - 1);
        maybeStartMigration();
        compactEntries();
        entries.compactArena(EntrySlab.COMPACTION_HANDLES_PER_WRITE);
        return previousLength;
    }

    /** Keeps a copy of {@code key} and the write count, for hash-order iterators (see {@link #lastDeletedKey}). */
    private void rememberDeletedKey(byte[] key) {
        if (key.length > lastDeletedKey.length) {
            lastDeletedKey = new byte[Math.max(key.length, 2 * lastDeletedKey.length)];
        }
        System.arraycopy(key, 0, lastDeletedKey, 0, key.length);
        lastDeletedKeyLength = key.length;
        lastDeleteWriteCount = writeCount;
    }

    /**
     * Whether the last delete of this hash-order map removed a key equal to {@code key}. Any thread, under the read
     * protocol (on torn state it may answer wrong or throw; validation discards the step).
     */
    boolean lastDeletedKeyEquals(byte[] key) {
        return Arrays.equals(lastDeletedKey, 0, lastDeletedKeyLength, key, 0, key.length);
    }

    /**
     * Moves up to {@code maxBuckets} buckets of the running migration, if any, and as many writes' worth of the arena's
     * compaction, if a cycle runs; returns whether either is still running. Both normally ride on writes; a caller that
     * knows writes have paused (Kafka Streams: at commit time, after a punctuator deleted many keys) calls this to
     * finish a shrink and hand its old table and the emptied pages back without waiting for more writes. Costs
     * O(maxBuckets) bucket chains and records; writer thread only.
     *
     * @throws IllegalArgumentException        if {@code maxBuckets} is not positive
     * @throws ConcurrentModificationException if another thread is writing at the same moment
     */
    public boolean advanceMigration(int maxBuckets) {
        if (maxBuckets <= 0) {
            throw new IllegalArgumentException("maxBuckets must be positive: " + maxBuckets);
        }
        long stamp = beginWrite();
        try {
            if (migration != null) {
                bucketsEvacuated += sweep(migration, maxBuckets);
            }
            for (int step = 0; step < maxBuckets && entries.isCompacting(); step++) {
                entries.compactArena(EntrySlab.COMPACTION_HANDLES_PER_WRITE);
            }
            return migration != null || entries.isCompacting();
        } finally {
            endWrite(stamp);
        }
    }

    /**
     * Gives this empty map a table large enough for {@code expectedEntries} entries below the growth threshold, so
     * that inserting them starts no growth and evacuates nothing (a loader that knows its entry count skips every
     * migration). Allocates only the table's directory, 4 bytes per 1,024 buckets: bucket chunks still appear as
     * entries reach them. The table does not shrink below that size for the next {@code expectedEntries} writes or
     * until an eighth of {@code expectedEntries} keys have been deleted, whichever comes first: the first inserts into
     * a presized, nearly empty map do not start a shrink, nor do the few deletes of a restored changelog tail, while a
     * mass deletion still hands memory back. An estimate that is too low only means the map grows from there as usual; one that is too high
     * holds up to about 33 bytes of table per expected entry (as the chunks fill) until the floor lifts, after which
     * the map shrinks as it does after mass deletion. Writer thread only.
     *
     * @throws IllegalArgumentException        if {@code expectedEntries} is negative
     * @throws IllegalStateException           if the map holds entries or is migrating
     * @throws ConcurrentModificationException if another thread is writing at the same moment
     */
    public void presize(int expectedEntries) {
        if (expectedEntries < 0) {
            throw new IllegalArgumentException("expectedEntries must not be negative: " + expectedEntries);
        }
        long stamp = beginWrite();
        try {
            if (size != 0 || migration != null) {
                throw new IllegalStateException("presize needs an empty map with no migration running; it holds "
                        + size + " entries" + (migration == null ? "" : " and is " + migration.kind));
            }
            int log2Buckets = 0;
            while ((long) expectedEntries * GROW_DENOMINATOR > (1L << log2Buckets) * GROW_NUMERATOR) {
                log2Buckets++;
            }
            table = new BucketTable(log2Buckets, entries);
            presizedLog2Buckets = log2Buckets;
            presizedWritesLeft = expectedEntries;
            presizedDeletesLeft = Math.max(1, expectedEntries / 8);
        } finally {
            endWrite(stamp);
        }
    }

    /**
     * Number of entries. O(1), any thread: an opaque read, so a reader thread sees a count the map had at some recent
     * moment (never a torn one), without waiting for the writer.
     */
    public int size() {
        return (int) SIZE.getOpaque(this);
    }

    /**
     * Every entry: ascending key order for an ordered map, hash order otherwise. The iterator must be closed.
     */
    public BucketMapIterator iterator() {
        return iterator(KeyRange.all(), false);
    }

    /**
     * The entries whose keys lie in {@code range}. An ordered map returns them in key order, descending if asked,
     * at O(log n) to start and amortized O(1) per entry. A hash-order map returns them in hash order whatever the
     * direction, and has to walk the whole map to find them (O(n)). Any thread. The iterator must be closed.
     */
    public BucketMapIterator iterator(KeyRange range, boolean descending) {
        Objects.requireNonNull(range, "range");
        openIterators.incrementAndGet();
        return index != null ? new OrderedIterator(this, range, descending) : new HashOrderIterator(this, range);
    }

    /** A snapshot of the internals. O(1); any thread. */
    public BucketMapStats stats() {
        long stamp = lock.readLock();
        try {
            Migration running = migration;
            BucketTable old = running == null ? null : running.from;
            BucketMapStats.MigrationState state = running == null
                    ? BucketMapStats.MigrationState.IDLE
                    : BucketMapStats.MigrationState.valueOf(running.kind.name());
            long tableBytes = table.estimatedBytes() + (old == null ? 0 : old.estimatedBytes());
            long indexBytes = index == null ? 0 : index.estimatedBytes();
            long structureBytes = 64 + tableBytes + indexBytes + entries.estimatedBytes();
            return new BucketMapStats(
                    size,
                    table.bucketCount(),
                    table.overflowBuckets() + (old == null ? 0 : old.overflowBuckets()),
                    table.deletedSlots(),
                    state,
                    running == null ? 0 : running.sweep,
                    running == null ? 0 : old.bucketCount(),
                    bucketsEvacuated,
                    migrationsFinished,
                    index == null ? 0 : index.leafCount() + index.innerCount(),
                    structureBytes,
                    structureBytes + entries.arena.estimatedBytes(),
                    openIterators.get(),
                    ineffectiveRebuilds,
                    reseeds,
                    entries.arena.recordBytes(),
                    entries.arena.heldBytes(),
                    entries.arena.pagesHeld());
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** One put under the write lock; returns the previous value's length or -1 (see {@link #writeLocked}). */
    private int write(byte[] key, byte[] value, boolean overwrite, boolean copyPrevious) {
        requireKey(key);
        long stamp = beginWrite();
        try {
            return writeLocked(key, hasher.hash(key), value, overwrite, copyPrevious);
        } finally {
            endWrite(stamp);
        }
    }

    /**
     * The put of {@code key}, whose hash is {@code hash}, inside a write: stores {@code value} unless the key has a value
     * and {@code overwrite} is false. Returns the length of the value the key had, or -1; with {@code copyPrevious}, a
     * copy of that value is left in {@link #previousValue}.
     */
    private int writeLocked(byte[] key, long hash, byte[] value, boolean overwrite, boolean copyPrevious) {
        int hash32 = (int) hash;
        int tag = Tags.tagOf(hash);
        migrateBeforeWrite(key, hash32);
        table.locate(key, hash32, tag, probe);
        if (probe.found()) {
            int handle = probe.foundArray.handleAt(probe.foundSlot);
            int previousLength = entries.valueLength(handle);
            if (copyPrevious) {
                previousValue = entries.copyValue(handle);
            }
            if (overwrite) {
                entries.setValue(handle, key, value);
            }
            entries.compactArena(EntrySlab.COMPACTION_HANDLES_PER_WRITE);
            return previousLength;
        }
        if (size == Integer.MAX_VALUE) {
            throw new IllegalStateException("BucketMap is full: it holds " + size + " entries, the most it can count");
        }
        int handle = entries.add(key, value);
        table.insertLocated(probe, hash32, tag, handle);
        if (index != null) {
            index.insert(key, handle);
        }
        SIZE.setOpaque(this, size + 1);
        maybeStartMigration();
        entries.compactArena(EntrySlab.COMPACTION_HANDLES_PER_WRITE);
        return -1;
    }

    /** Takes the value {@link #writeLocked} or {@link #deleteLocked} copied out, leaving none behind. */
    private byte[] takePreviousValue(int previousLength) {
        byte[] previous = previousLength < 0 ? null : previousValue;
        previousValue = null;
        return previous;
    }

    /** Takes the write lock for one write and starts it ({@link #startWrite}). */
    private long beginWrite() {
        long stamp = lockForWrite();
        startWrite();
        return stamp;
    }

    private long lockForWrite() {
        long stamp = lock.tryWriteLock();
        if (stamp == 0) {
            if (lock.isWriteLocked()) {
                throw concurrentWrite();
            }
            stamp = lock.writeLock(); // readers hold the read lock for one step each: a short wait
        }
        writingThread = Thread.currentThread();
        return stamp;
    }

    /** Starts one write under the write lock: counts it, starts a due reseed, counts down the presized floor. */
    private void startWrite() {
        writeCount++;
        if (reseedDue && migration == null) {
            startReseed();
        }
        presizedWritesLeft--;
    }

    private void endWrite(long stamp) {
        writingThread = null;
        lock.unlockWrite(stamp);
    }

    private ConcurrentModificationException concurrentWrite() {
        Thread other = writingThread;
        return new ConcurrentModificationException("BucketMap written by two threads at once: "
                + Thread.currentThread().getName() + " found a write by "
                + (other == null ? "another thread" : other.getName()) + " in progress."
                + " A map has one writer at a time (Kafka Streams: the stream thread or the restoring thread).");
    }

    /**
     * Evacuates the old bucket of {@code hash32} if it is still there, then spends the rest of the write's budget of
     * {@value #MAX_BUCKETS_MOVED_PER_WRITE} buckets on the sweep.
     */
    private void migrateBeforeWrite(byte[] key, int hash32) {
        Migration running = migration;
        if (running == null) {
            return;
        }
        BucketTable from = running.from;
        int own = from.bucketOf(running.fromHasher == null ? hash32 : (int) running.fromHasher.hash(key));
        int moved = 0;
        if (!from.isEvacuated(own)) {
            from.evacuate(own, table, rehashOf(running));
            moved++;
        }
        moved += sweep(running, MAX_BUCKETS_MOVED_PER_WRITE - moved);
        bucketsEvacuated += moved;
    }

    /**
     * Advances the sweep of {@code running}, evacuating at most {@code budget} buckets; releases the old chunks it
     * passed and ends the migration when it has passed the last old bucket. Returns the buckets evacuated.
     */
    private int sweep(Migration running, int budget) {
        BucketTable from = running.from;
        int next = running.sweep;
        int moved = 0;
        while (moved < budget) {
            next = from.nextUnevacuated(next, SWEEP_CHECK_LIMIT);
            if (next >= from.bucketCount() || from.isEvacuated(next)) {
                break; // swept to the end, or the check limit stopped it on an evacuated bucket
            }
            from.evacuate(next, table, rehashOf(running));
            moved++;
            next++;
        }
        running.sweep = next;
        from.releaseChunksBelow(next);
        if (running.isDone()) {
            migration = null;
            migrationsFinished++;
            if (running.kind == Migration.Kind.REBUILDING) {
                afterRebuild(running);
            }
        }
        return moved;
    }

    /** The hash a migration's target table uses when it differs from the old table's, else null. */
    private KeyHasher rehashOf(Migration running) {
        return running.fromHasher == null ? null : hasher;
    }

    /**
     * A rebuild that leaves as much overflow as started it met keys whose hashes collide: that no rebuild can mend at
     * this seed. Report it; an ordered map (whose iterators do not depend on hash order) then rebuilds once more with
     * a fresh seed. Either way {@link #overflowAfterLastRebuild} keeps the next overflow rebuild from starting before
     * the overflow has doubled, so colliding keys cost a logarithmic number of rebuilds, never a loop of them.
     */
    private void afterRebuild(Migration finished) {
        overflowAfterLastRebuild = table.overflowBuckets();
        if (!overflowCallsForRebuild()) {
            overflowAfterLastRebuild = 0;
            return;
        }
        ineffectiveRebuilds++;
        longChainListener.run();
        reseedDue = index != null && finished.fromHasher == null;
    }

    /**
     * Starts the rebuild with a fresh seed that {@link #afterRebuild} asked for. Runs first thing in a write, before the
     * write hashes its key: a seed that changed after the hash would send the key to the wrong bucket.
     */
    private void startReseed() {
        reseedDue = false;
        reseeds++;
        KeyHasher old = hasher;
        hasher = new KeyHasher(ThreadLocalRandom.current().nextLong());
        migration = new Migration(Migration.Kind.REBUILDING, table, old);
        table = new BucketTable(table.log2Buckets, entries);
    }

    private boolean overflowCallsForRebuild() {
        return (long) table.overflowBuckets() * REBUILD_OVERFLOW_ONE_IN > table.bucketCount();
    }

    private void maybeStartMigration() {
        if (migration != null) {
            return;
        }
        long buckets = table.bucketCount();
        Migration.Kind kind;
        int log2Buckets = table.log2Buckets;
        if ((long) size * GROW_DENOMINATOR > buckets * GROW_NUMERATOR) {
            kind = Migration.Kind.GROWING;
            log2Buckets++;
        } else if (log2Buckets > shrinkFloor() && (long) size * SHRINK_DENOMINATOR < buckets * SHRINK_NUMERATOR) {
            kind = Migration.Kind.SHRINKING;
            log2Buckets--;
        } else if (table.deletedSlots() > buckets * REBUILD_DELETED_PER_BUCKET
                || overflowCallsForRebuild() && table.overflowBuckets() > 2L * overflowAfterLastRebuild) {
            kind = Migration.Kind.REBUILDING;
        } else {
            return;
        }
        migration = new Migration(kind, table, null);
        table = new BucketTable(log2Buckets, entries);
    }

    /** The fewest bucket bits a shrink may leave: the presized table's while {@link #presize}'s floor holds. */
    private int shrinkFloor() {
        return presizedWritesLeft > 0 && presizedDeletesLeft > 0 ? presizedLog2Buckets : 0;
    }

    /**
     * The value of {@code key}, whose hash under {@link #hasher} is {@code hash}, for a caller inside the read
     * protocol: in the old table until the key's old bucket is evacuated (found by the old hash if a rebuild is
     * changing the seed), then in the current one.
     */
    private byte[] findValue(byte[] key, long hash) {
        Migration running = migration;
        BucketTable current = table;
        int handle;
        BucketTable from = running == null ? null : running.from;
        long oldHash = from == null || running.fromHasher == null ? hash : running.fromHasher.hash(key);
        if (from != null && !from.isEvacuated(from.bucketOf((int) oldHash))) {
            handle = from.findHandle(key, (int) oldHash, Tags.tagOf(oldHash));
        } else {
            handle = current.findHandle(key, (int) hash, Tags.tagOf(hash));
        }
        return handle < 0 ? null : entries.copyValue(handle);
    }

    /**
     * Gives the entry slab's memory back after mass deletion: while it is sparse and no migration runs (so every key is
     * in {@link #table}, hashed with {@link #hasher}), moves up to {@value #ENTRIES_MOVED_PER_DELETE} of its highest
     * entries down into free handles and repoints their slot and leaf: a hash probe and an index descent each.
     */
    private void compactEntries() {
        for (int moved = 0; moved < ENTRIES_MOVED_PER_DELETE && migration == null && entries.isSparse(); moved++) {
            int from = entries.highestLive();
            byte[] key = entries.copyKey(from);
            long hash = hasher.hash(key);
            // Both found before the move: slots and leaves read their keys at the handles they hold.
            table.locate(key, (int) hash, Tags.tagOf(hash), probe);
            OrderedKeyIndex.Leaf leaf = index == null ? null : index.findLeaf(key);
            int inLeaf = leaf == null ? -1 : leaf.lowerBound(key);
            int to = entries.moveDown(from);
            probe.foundArray.setHandle(probe.foundSlot, to);
            if (leaf != null) {
                leaf.setHandle(inLeaf, to); // the leaf's keys and their order are unchanged: its version stays
            }
        }
    }

    /**
     * Recounts and cross-checks everything the map believes about itself, as Go's {@code table_debug.go} does for its
     * map, and throws if anything disagrees: the slab's bookkeeping; each table's chains, counts and evacuation marks
     * ({@link BucketTable#checkInvariants}); that every entry lives in exactly one place (a key in the new table of a
     * migration has its old bucket evacuated; no handle in two slots; no key twice); that the table slots, the index's
     * leaves and the slab's live handles are the same set, each leaf's key being its handle's key; the index's shape
     * ({@link OrderedKeyIndex#checkInvariants}); the count of entries and of key and value bytes; and that the table is
     * no more loaded than a migration lets it get. For tests and debugging: O(entries), allocates, and holds the read
     * lock throughout, so the writer waits for it. Any thread.
     *
     * @throws InvariantViolation if the map is corrupt; the message says where
     */
    public void checkInvariants() {
        long stamp = lock.readLock();
        try {
            checkInvariantsLocked();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private void checkInvariantsLocked() {
        InvariantViolation.check(writingThread == null, "a write by %s is in progress outside the write lock",
                writingThread);
        entries.checkInvariants();
        Migration running = migration;
        long[] inTable = new long[(entries.highWater() + 63) >>> 6];
        BucketTable.EntryCheck markPlaced = (bucket, handle, key) -> {
            if ((inTable[handle >>> 6] & (1L << handle)) != 0) {
                throw InvariantViolation.of("handle %d sits in two table slots", handle);
            }
            inTable[handle >>> 6] |= 1L << handle;
        };
        int inTables;
        if (running == null) {
            inTables = table.checkInvariants(hasher, -1, markPlaced);
        } else {
            BucketTable from = running.from;
            int expectedLog2 = from.log2Buckets + switch (running.kind) {
                case GROWING -> 1;
                case SHRINKING -> -1;
                case REBUILDING -> 0;
            };
            InvariantViolation.check(table.log2Buckets == expectedLog2, "a %s migration goes from 2^%d to 2^%d buckets",
                    running.kind, from.log2Buckets, table.log2Buckets);
            InvariantViolation.check(running.fromHasher == null || running.kind == Migration.Kind.REBUILDING && index != null,
                    "a %s migration of a%s map changes the hash seed", running.kind, index == null ? " hash-order" : "n ordered");
            InvariantViolation.check(running.sweep >= 0 && running.sweep < from.bucketCount(),
                    "a running migration's sweep stands at %d of %d buckets", running.sweep, from.bucketCount());
            KeyHasher fromHasher = running.fromHasher == null ? hasher : running.fromHasher;
            inTables = table.checkInvariants(hasher, -1, (bucket, handle, key) -> {
                int oldBucket = from.bucketOf((int) fromHasher.hash(key));
                if (!from.isEvacuated(oldBucket)) {
                    throw InvariantViolation.of("handle %d is in the new table while its old bucket %d is not evacuated",
                            handle, oldBucket);
                }
                markPlaced.check(bucket, handle, key);
            });
            inTables += from.checkInvariants(fromHasher, running.sweep, markPlaced);
        }
        InvariantViolation.check(inTables == size, "the map counts %d entries, its tables hold %d", size, inTables);
        InvariantViolation.check(entries.size() == size, "the map counts %d entries, its slab holds %d", size,
                entries.size());
        InvariantViolation.check((long) size <= 8L * table.bucketCount(),
                "%d entries in %d buckets: more than any migration lets a table hold", size, table.bucketCount());
        if (index != null) {
            long[] inIndex = new long[inTable.length];
            int indexed = index.checkInvariants((handle, key) -> {
                if (handle < 0 || handle >= entries.highWater() || (inTable[handle >>> 6] & (1L << handle)) == 0) {
                    throw InvariantViolation.of("the index holds handle %d, which no table slot holds", handle);
                }
                if ((inIndex[handle >>> 6] & (1L << handle)) != 0) {
                    throw InvariantViolation.of("the index holds handle %d twice", handle);
                }
                inIndex[handle >>> 6] |= 1L << handle;
                if (!entries.keyEquals(handle, key)) {
                    throw InvariantViolation.of("the index holds handle %d beside a key that is not its entry's", handle);
                }
            });
            InvariantViolation.check(indexed == size, "the map counts %d entries, its index holds %d", size, indexed);
        }
    }

    /**
     * Runs {@code listener} on the writer thread, under the write lock, each time a rebuild finishes with chains as long
     * as before: keys that collide at this seed (an ordered map then reseeds; see {@link BucketMapStats#ineffectiveRebuilds}).
     * For logging: it must be quick and must not touch the map.
     */
    public void whenRebuildLeavesLongChains(Runnable listener) {
        longChainListener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * The value an iterator hands out for a key it reached when the map had seen {@code reachedAtWrite} writes:
     * the one it read then if nothing was written since, else the key's current value, or the value it read if the
     * key has been deleted since (a reached entry is returned).
     */
    byte[] latestValue(byte[] key, byte[] reachedValue, long reachedAtWrite) {
        if (writeCount == reachedAtWrite) {
            return reachedValue;
        }
        byte[] current = get(key);
        return current != null ? current : reachedValue;
    }

    /** A step of a reader: run optimistically and validated, else under the read lock. */
    interface ReadStep {
        void read();
    }

    void runRead(ReadStep step) {
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            try {
                step.read();
                if (lock.validate(stamp)) {
                    return;
                }
            } catch (RuntimeException tornRead) {
                if (lock.validate(stamp)) {
                    throw tornRead;
                }
            }
        }
        stamp = lock.readLock();
        try {
            step.read();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    void iteratorClosed() {
        openIterators.decrementAndGet();
    }

    private static byte[] requireKey(byte[] key) {
        if (key == null) {
            throw new NullPointerException("key must not be null");
        }
        return key;
    }

    private static byte[] requireValue(byte[] value) {
        if (value == null) {
            throw new NullPointerException("value must not be null; use delete(key) to remove a key");
        }
        return value;
    }
}
