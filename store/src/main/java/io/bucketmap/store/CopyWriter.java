package io.bucketmap.store;

import org.apache.kafka.streams.errors.ProcessorStateException;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes the local copy's commits on a thread of its own, one at a time, so that a commit holds the stream thread only
 * for handing its changes over, not for the RocksDB write (about 5 µs per changed key, measured by
 * {@code PersistenceCost}: seconds for a million keys).
 *
 * <p>Order and back-pressure: a commit first waits until the previous one is written, then hands over its own. So at
 * most one commit is in flight, the copy's writes land in commit order, and a writer slower than the changes slows the
 * commits down rather than piling them up in memory. Durability: each commit's data and offsets go in one atomic
 * RocksDB write batch, so a crash leaves the copy at some commit, at the latest the last one written and at the
 * earliest the one before the last that Kafka Streams asked for; Kafka Streams then replays the changelog from that
 * commit's offset. {@link #close} waits for the write in flight, so a closed copy holds its last commit.
 *
 * <p>Threads: {@link #submit}, {@link #awaitWritten} and {@link #close} are called by the store's writer thread only;
 * the write itself runs on the copy-writer thread, which receives the handed-over changes through the executor (a
 * happens-before edge), and nothing writes them afterwards.
 */
final class CopyWriter {
    /** One commit's write to the copy. */
    @FunctionalInterface
    interface Write {
        void run() throws Exception;
    }

    private final String storeName;
    private final ExecutorService thread;
    private Future<?> inFlight;

    CopyWriter(String storeName) {
        this.storeName = storeName;
        this.thread = Executors.newSingleThreadExecutor(task -> {
            Thread writer = new Thread(task, "bucketmap-commit-" + storeName);
            writer.setDaemon(true);
            return writer;
        });
    }

    /**
     * Waits until the commit in flight, if any, is written.
     *
     * @throws ProcessorStateException if that write failed (the copy then misses a commit and must be discarded)
     */
    void awaitWritten() {
        Future<?> previous = inFlight;
        if (previous == null) {
            return;
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    previous.get();
                    inFlight = null;
                    return;
                } catch (InterruptedException e) {
                    interrupted = true; // the write is under way: finish waiting, then restore the flag
                } catch (ExecutionException | CancellationException e) {
                    inFlight = null;
                    throw new ProcessorStateException("Writing a commit to the local copy of store " + storeName
                            + " failed", e.getCause() == null ? e : e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Hands over {@code write}, to run once the commit in flight, which the caller has awaited, is written. */
    void submit(Write write) {
        inFlight = thread.submit(() -> {
            write.run();
            return null;
        });
    }

    /**
     * Waits for the write in flight and stops the thread. Idempotent.
     *
     * @throws ProcessorStateException if the write in flight failed
     */
    void close() {
        try {
            awaitWritten();
        } finally {
            thread.shutdownNow();
        }
    }
}
