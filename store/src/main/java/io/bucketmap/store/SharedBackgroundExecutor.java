package io.bucketmap.store;

import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor persistent stores run their background work on when their supplier is given none
 * ({@link BucketMapStoreSupplier#withBackgroundExecutor}): loading a local copy after a restart, reading it ahead, and
 * writing each commit to it. One pool for every store of the JVM, created on first use: daemon threads named
 * {@code bucketmap-background-<n>}, made as work needs them and ended after 30 seconds idle, so an application whose
 * stores are idle holds no thread of ours. A cached pool and not a fixed one, because a load waits on RocksDB and on
 * the store's writer for as long as it runs; how many threads run at once is bounded by the stores open on the JVM (at
 * most two each while loading, one while writing a commit).
 */
final class SharedBackgroundExecutor {
    private SharedBackgroundExecutor() {
    }

    /** The shared executor. O(1); any thread. */
    static Executor get() {
        return Holder.EXECUTOR;
    }

    /** Lazy: a JVM with no persistent store creates no pool. */
    private static final class Holder {
        private static final AtomicInteger THREADS = new AtomicInteger();
        static final ThreadPoolExecutor EXECUTOR = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), work -> {
                    Thread thread = new Thread(work, "bucketmap-background-" + THREADS.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }
}
