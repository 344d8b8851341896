package io.bucketmap.store;

import org.apache.kafka.streams.errors.ProcessorStateException;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Writes the local copy's commits on the store's background executor, one at a time, so that a commit holds the stream
 * thread only for handing its changes over, not for the RocksDB write (microseconds per changed key: seconds for a
 * million keys; {@code docs/persistent-store.md}).
 *
 * <p>Order: at most one write is in flight (a serial queue of length one); the copy hands over the next one only once
 * {@link #isWriting} is false, so writes land in commit order. A commit that finds the writer busy is not handed over:
 * its changes stay pending and a later hand-over writes them together with that later commit's offsets
 * ({@link RocksDbLocalCopy#commit}), so a writer slower than the changes makes the copy lag, never the stream thread
 * wait, and memory stays bounded by the keys changed (each once, with its latest value). Durability: each write holds
 * one commit's data and offsets in one atomic RocksDB write batch, so a crash leaves the copy at some earlier commit,
 * with that commit's offsets; Kafka Streams then replays the changelog from there.
 *
 * <p>Threads: {@link #submit}, {@link #awaitWritten} and {@link #close} are called by the store's writer thread only;
 * the write itself runs on an executor thread, which receives the handed-over changes through the executor (a
 * happens-before edge), and nothing writes them afterwards. An executor that refuses a write fails it, as a failed
 * RocksDB write would.
 */
final class CopyWriter {
    /** One commit's write to the copy. */
    @FunctionalInterface
    interface Write {
        void run() throws Exception;
    }

    private final String storeName;
    private final Executor executor;
    private CompletableFuture<Void> inFlight;

    CopyWriter(String storeName, Executor executor) {
        this.storeName = storeName;
        this.executor = executor;
    }

    /**
     * Waits until the commit in flight, if any, is written.
     *
     * @throws ProcessorStateException if that write failed (the copy then misses a commit and must be discarded)
     */
    void awaitWritten() {
        CompletableFuture<Void> previous = inFlight;
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

    /** Whether a write is in flight. */
    boolean isWriting() {
        return inFlight != null && !inFlight.isDone();
    }

    /** Hands over {@code write}; the caller has made sure that none is in flight. */
    void submit(Write write) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    write.run();
                    written.complete(null);
                } catch (Throwable e) {
                    written.completeExceptionally(e);
                }
            });
        } catch (RuntimeException refused) {
            written.completeExceptionally(refused);
        }
        inFlight = written;
    }

    /**
     * Waits for the write in flight. Idempotent.
     *
     * @throws ProcessorStateException if the write in flight failed
     */
    void close() {
        awaitWritten();
    }
}
