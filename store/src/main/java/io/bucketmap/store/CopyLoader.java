package io.bucketmap.store;

import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Reads every entry of a local copy, reading and inserting at once: a read-ahead task on the store's background
 * executor walks the RocksDB column family in key order and hands over batches of {@value #BATCH_ENTRIES} entries,
 * while the calling thread passes them to a {@link BatchSink} (which inserts them into the map). Reading costs four
 * JNI calls per entry and inserting costs hashing and the ordered index, in similar measure, so the overlap takes the
 * load from their sum to about the longer of the two.
 *
 * <p>The executor is the user's to size: if it has not started the read-ahead by the time the inserter wants its first
 * batch, the inserter cancels it and reads the batches itself, one after the other, so a load never waits for a thread
 * the executor may never give it (a single-threaded executor, a test's manual one).
 *
 * <p>Key order is also the cheapest order for the ordered map's index: every insert lands in its last leaf.
 * The block cache is bypassed: the copy is read once per open, and reads are served by the map afterwards.
 * The RocksDB iterator reads one consistent snapshot, taken when reading starts.
 */
final class CopyLoader {
    static final int BATCH_ENTRIES = 4_096;
    private static final String ESTIMATED_KEYS = "rocksdb.estimate-num-keys";
    private static final int BATCHES_IN_FLIGHT = 4;
    private static final long READAHEAD_BYTES = 2L * 1024 * 1024;
    /** How long the inserter waits for the read-ahead to start before it reads the batches itself. */
    private static final long READ_AHEAD_START_MILLIS = 50;

    /** Receives the copy's entries, {@code count} at a time, in key order, on the thread that called load. */
    @FunctionalInterface
    interface BatchSink {
        void accept(byte[][] keys, byte[][] values, int count);
    }

    /** Entries handed from the reader to the inserter; {@code failure} set on the last batch if reading failed. */
    private static final class Batch {
        final byte[][] keys = new byte[BATCH_ENTRIES][];
        final byte[][] values = new byte[BATCH_ENTRIES][];
        int size;
        boolean last;
        RocksDBException failure;
    }

    private CopyLoader() {
    }

    /** RocksDB's estimate of the number of keys in {@code data} (memtables included), for presizing the map. */
    static int estimatedEntries(RocksDB db, ColumnFamilyHandle data) throws RocksDBException {
        return (int) Math.max(0, Math.min(db.getLongProperty(data, ESTIMATED_KEYS), Integer.MAX_VALUE));
    }

    /**
     * Passes every entry of {@code data} to {@code sink}; returns when all are passed, or throws what reading
     * threw, or {@link InterruptedException} if the calling thread is interrupted. The read-ahead on {@code executor}
     * has stopped either way before this returns, so the caller may close the database afterwards.
     */
    static void load(RocksDB db, ColumnFamilyHandle data, Executor executor, BatchSink sink)
            throws RocksDBException, InterruptedException {
        BlockingQueue<Batch> handedOver = new ArrayBlockingQueue<>(BATCHES_IN_FLIGHT);
        Reader reader = new Reader(db, data);
        BackgroundTask readAhead = new BackgroundTask(() -> reader.readInto(handedOver));
        readAhead.submitTo(executor);
        try {
            Batch batch = handedOver.poll(READ_AHEAD_START_MILLIS, TimeUnit.MILLISECONDS);
            if (batch == null && readAhead.cancelIfNotStarted()) {
                reader.readInline(sink);
                return;
            }
            while (true) {
                if (batch == null) {
                    batch = handedOver.take();
                }
                sink.accept(batch.keys, batch.values, batch.size);
                if (batch.failure != null) {
                    throw batch.failure;
                }
                if (batch.last) {
                    return;
                }
                batch = null;
            }
        } finally {
            // the reader must have closed its iterator before the caller may close the database
            reader.cancelled = true;
            handedOver.clear();
            readAhead.cancelAndWait();
        }
    }

    /** Walks the column family: batches for the inserter, or straight into the sink when the inserter reads itself. */
    private static final class Reader {
        private final RocksDB db;
        private final ColumnFamilyHandle data;
        volatile boolean cancelled;

        /** Takes a full batch; returns the batch to fill next. */
        @FunctionalInterface
        private interface FullBatch {
            Batch take(Batch full) throws InterruptedException;
        }

        Reader(RocksDB db, ColumnFamilyHandle data) {
            this.db = db;
            this.data = data;
        }

        /** Queues batches until the end, a failure (set on the last batch), or cancellation. Read-ahead task. */
        void readInto(BlockingQueue<Batch> handedOver) {
            Batch last;
            try {
                last = read(full -> {
                    handOver(full, handedOver);
                    return new Batch();
                });
            } catch (RocksDBException e) {
                last = new Batch();
                last.failure = e;
            } catch (InterruptedException e) {
                return; // cancelled: the inserter has given up
            }
            last.last = true;
            try {
                handOver(last, handedOver);
            } catch (InterruptedException e) {
                // cancelled: the inserter has given up
            }
        }

        /** Reads every entry into {@code sink}, a batch at a time, on the calling thread. */
        void readInline(BatchSink sink) throws RocksDBException, InterruptedException {
            Batch last = read(full -> {
                sink.accept(full.keys, full.values, full.size);
                if (Thread.interrupted()) {
                    throw new InterruptedException("the store is closing");
                }
                full.size = 0;
                return full;
            });
            sink.accept(last.keys, last.values, last.size);
        }

        /** Reads the entries in key order, giving each full batch to {@code full}; returns the last, partial one. */
        private Batch read(FullBatch full) throws RocksDBException, InterruptedException {
            Batch batch = new Batch();
            try (ReadOptions options = readOptions(); RocksIterator entries = db.newIterator(data, options)) {
                for (entries.seekToFirst(); entries.isValid() && !cancelled; entries.next()) {
                    batch.keys[batch.size] = entries.key();
                    batch.values[batch.size] = entries.value();
                    if (++batch.size == BATCH_ENTRIES) {
                        batch = full.take(batch);
                    }
                }
                entries.status();
            }
            return batch;
        }

        private static ReadOptions readOptions() {
            return new ReadOptions().setFillCache(false).setReadaheadSize(READAHEAD_BYTES);
        }

        /** Queues {@code batch}, waiting for room unless the inserter has given up. */
        private void handOver(Batch batch, BlockingQueue<Batch> handedOver) throws InterruptedException {
            while (!cancelled && !handedOver.offer(batch, 10, TimeUnit.MILLISECONDS)) {
                // the inserter is behind; wait for it
            }
        }
    }
}
