package io.bucketmap.store;

import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads every entry of a local copy, reading and inserting at once: a reader thread walks the RocksDB column
 * family in key order and hands over batches of {@value #BATCH_ENTRIES} entries, while the calling thread passes
 * them to a {@link BatchSink} (which inserts them into the map). Reading costs four JNI calls per entry and
 * inserting costs hashing and the ordered index, in similar measure, so the overlap takes the load from their sum
 * to about the longer of the two.
 *
 * <p>Key order is also the cheapest order for the ordered map's index: every insert lands in its last leaf.
 * The block cache is bypassed: the copy is read once per open, and reads are served by the map afterwards.
 * The RocksDB iterator reads one consistent snapshot, taken when the reader starts.
 */
final class CopyLoader {
    static final int BATCH_ENTRIES = 4_096;
    private static final String ESTIMATED_KEYS = "rocksdb.estimate-num-keys";
    private static final int BATCHES_IN_FLIGHT = 4;
    private static final long READAHEAD_BYTES = 2L * 1024 * 1024;

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
     * threw, or {@link InterruptedException} if the calling thread is interrupted (the reader is stopped either way
     * before this returns, so the caller may close the database afterwards).
     */
    static void load(RocksDB db, ColumnFamilyHandle data, String storeName, BatchSink sink)
            throws RocksDBException, InterruptedException {
        BlockingQueue<Batch> handedOver = new ArrayBlockingQueue<>(BATCHES_IN_FLIGHT);
        Reader reader = new Reader(db, data, handedOver);
        Thread thread = new Thread(reader, "bucketmap-read-" + storeName);
        thread.setDaemon(true);
        thread.start();
        try {
            Batch batch;
            do {
                batch = handedOver.take();
                sink.accept(batch.keys, batch.values, batch.size);
                if (batch.failure != null) {
                    throw batch.failure;
                }
            } while (!batch.last);
        } finally {
            // the reader must have closed its iterator before the caller may close the database
            reader.cancelled = true;
            handedOver.clear();
            joinUninterruptibly(thread);
        }
    }

    /** Waits for {@code thread} to end, keeping (not acting on) an interrupt that arrives meanwhile. */
    static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Walks the column family and queues batches until the end, a failure, or cancellation. */
    private static final class Reader implements Runnable {
        private final RocksDB db;
        private final ColumnFamilyHandle data;
        private final BlockingQueue<Batch> handedOver;
        volatile boolean cancelled;

        Reader(RocksDB db, ColumnFamilyHandle data, BlockingQueue<Batch> handedOver) {
            this.db = db;
            this.data = data;
            this.handedOver = handedOver;
        }

        @Override
        public void run() {
            Batch batch = new Batch();
            try (ReadOptions options = new ReadOptions().setFillCache(false).setReadaheadSize(READAHEAD_BYTES);
                 RocksIterator entries = db.newIterator(data, options)) {
                for (entries.seekToFirst(); entries.isValid() && !cancelled; entries.next()) {
                    batch.keys[batch.size] = entries.key();
                    batch.values[batch.size] = entries.value();
                    if (++batch.size == BATCH_ENTRIES) {
                        handOver(batch);
                        batch = new Batch();
                    }
                }
                entries.status();
            } catch (RocksDBException e) {
                batch.failure = e;
            }
            batch.last = true;
            handOver(batch);
        }

        /** Queues {@code batch}, waiting for room unless the inserter has given up. */
        private void handOver(Batch batch) {
            try {
                while (!cancelled && !handedOver.offer(batch, 10, TimeUnit.MILLISECONDS)) {
                    // the inserter is behind; wait for it
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancelled = true;
            }
        }
    }
}
