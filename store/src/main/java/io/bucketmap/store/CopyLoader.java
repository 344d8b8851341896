package io.bucketmap.store;

import io.bucketmap.core.BucketMap;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Loads a local copy's entries into an empty map when the store opens, reading and inserting at once: a reader
 * thread walks the RocksDB column family in key order and hands over batches of {@value #BATCH_ENTRIES} entries,
 * while the calling thread (the map's only writer) inserts them. Reading costs four JNI calls per entry and
 * inserting costs hashing and the ordered index, in similar measure, so the overlap takes the load from their sum
 * to about the longer of the two on a machine with a spare core (Kafka Streams' start-up leaves one idle).
 *
 * <p>Key order is also the cheapest order for the ordered map's index: every insert lands in its last leaf.
 * The block cache is bypassed: the copy is read once per open, and reads are served by the map afterwards.
 *
 * <p>The map is first {@linkplain BucketMap#presize presized} for RocksDB's estimate of the key count, so the load
 * starts no growth and evacuates nothing (growing there cost about as much as the inserts themselves). The estimate
 * is only an estimate: too low, the map grows for the rest as usual; too high, it holds a larger table until the
 * presize floor lifts and it shrinks.
 */
final class CopyLoader {
    static final int BATCH_ENTRIES = 4_096;
    private static final String ESTIMATED_KEYS = "rocksdb.estimate-num-keys";
    private static final int BATCHES_IN_FLIGHT = 4;
    private static final long READAHEAD_BYTES = 2L * 1024 * 1024;

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

    /**
     * Puts every entry of {@code data} into the empty map {@code into}, presized for their estimated count; returns
     * when all are in, or throws what reading threw.
     */
    static void load(RocksDB db, ColumnFamilyHandle data, BucketMap into, String storeName) throws RocksDBException {
        long estimatedKeys = db.getLongProperty(data, ESTIMATED_KEYS);
        into.presize((int) Math.max(0, Math.min(estimatedKeys, Integer.MAX_VALUE)));
        BlockingQueue<Batch> handedOver = new ArrayBlockingQueue<>(BATCHES_IN_FLIGHT);
        Reader reader = new Reader(db, data, handedOver);
        Thread thread = new Thread(reader, "bucketmap-load-" + storeName);
        thread.setDaemon(true);
        thread.start();
        try {
            Batch batch;
            do {
                batch = handedOver.take();
                for (int i = 0; i < batch.size; i++) {
                    into.put(batch.keys[i], batch.values[i]);
                }
                if (batch.failure != null) {
                    throw batch.failure;
                }
            } while (!batch.last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading the local copy of store " + storeName, e);
        } finally {
            // the reader must have closed its iterator before the caller may close the database
            reader.cancelled = true;
            handedOver.clear();
            joinUninterruptibly(thread);
        }
    }

    private static void joinUninterruptibly(Thread thread) {
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
