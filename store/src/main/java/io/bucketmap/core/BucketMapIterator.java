package io.bucketmap.core;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An iterator over a {@link BucketMap} that meets the iteration contract while the map changes under it: keys
 * present throughout are returned exactly once, none twice, none after its deletion, no exception from
 * concurrent writes, O(1) memory. It holds no lock and pins no table between calls: it remembers only the
 * position of the last entry it reached and resumes after that position in whatever the map has become.
 *
 * <p>{@link #hasNext()} <em>reaches</em> the next entry. {@link #next()} returns it with its latest value, or with
 * the value it had when reached if the key was deleted in between (an entry once reached is returned).
 *
 * <p>Not thread-safe itself: one thread uses an iterator; any number of iterators may be open on any threads.
 * Each step holds the map's read lock (or validates an optimistic read) for one bucket chain or one index leaf.
 */
public abstract sealed class BucketMapIterator implements Iterator<BucketMap.Entry>, AutoCloseable
        permits HashOrderIterator, OrderedIterator {

    final BucketMap map;
    final KeyRange range;
    private final BucketMap.ReadStep step = this::readStep;

    // Step scratch: written by readStep (possibly several times), read after validation.
    byte[] stepKey;
    byte[] stepValue;
    long stepWriteCount;
    /**
     * Where a step's read-aheads (values it is about to return, read in one tight loop so their cache misses overlap)
     * add what they read, so that the reads cannot be optimized away. Never read.
     */
    long readAheadSink;

    private boolean closed;
    private boolean exhausted;
    private byte[] reachedKey;
    private byte[] reachedValue;
    private long reachedAtWrite;

    BucketMapIterator(BucketMap map, KeyRange range) {
        this.map = map;
        this.range = range;
        this.exhausted = range.isEmpty();
    }

    /**
     * Whether another entry exists, reaching it. Amortized O(1) per entry (O(log n) after structural changes of
     * an ordered map's index). Fails with {@link IllegalStateException} after {@link #close()}.
     */
    @Override
    public final boolean hasNext() {
        ensureOpen();
        while (reachedKey == null && !exhausted) {
            map.runRead(step);
            switch (commitStep()) {
                case FOUND -> {
                    reachedKey = stepKey;
                    reachedValue = stepValue;
                    reachedAtWrite = stepWriteCount;
                }
                case EXHAUSTED -> exhausted = true;
                case CONTINUE -> { }
            }
        }
        return reachedKey != null;
    }

    /** The next entry; see the class comment for which value. Allocates the returned entry only. */
    @Override
    public final BucketMap.Entry next() {
        return next(BucketMap.Entry::new);
    }

    /**
     * The next entry as {@code maker} builds it from the key and its value (see the class comment for which value),
     * so that a caller with its own entry type (Kafka's {@code KeyValue}) allocates nothing else per step. Looks the
     * value up again only if the map was written between reaching the entry and this call.
     *
     * @throws NoSuchElementException if there is no next entry
     */
    public final <T> T next(EntryMaker<T> maker) {
        if (!hasNext()) {
            throw new NoSuchElementException("iterator has no more entries");
        }
        byte[] key = reachedKey;
        byte[] value = map.latestValue(key, reachedValue, reachedAtWrite);
        reachedKey = null;
        reachedValue = null;
        return maker.make(key, value);
    }

    /** Builds the object an iterator step returns from a key and its value (never null). */
    @FunctionalInterface
    public interface EntryMaker<T> {
        T make(byte[] key, byte[] value);
    }

    /** The key {@link #next()} would return, without moving on. */
    public final byte[] peekNextKey() {
        if (!hasNext()) {
            throw new NoSuchElementException("iterator has no more entries");
        }
        return reachedKey;
    }

    /** Releases the iterator. Idempotent; any later use fails with {@link IllegalStateException}. */
    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            reachedKey = null;
            reachedValue = null;
            map.iteratorClosed();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("iterator used after close()");
        }
    }

    /** What a validated step found. */
    enum StepResult { FOUND, EXHAUSTED, CONTINUE }

    /**
     * Looks for the entry after the current position within one bucket chain or index leaf. Runs under the map's
     * read protocol, possibly more than once: it must write only step scratch fields, never the position.
     */
    abstract void readStep();

    /** Makes the validated step's outcome the new position. */
    abstract StepResult commitStep();
}
