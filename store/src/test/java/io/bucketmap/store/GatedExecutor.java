package io.bucketmap.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A background executor for tests that decides when a store's background work runs: every task waits behind a gate
 * until {@link #open} (then it runs on a thread of its own, as on the shared executor), so that a test can hold a
 * commit's write or a copy's load at a known point instead of hoping for a race. Thread-safe.
 */
final class GatedExecutor implements Executor, AutoCloseable {
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "gated-background");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Runnable> held = new ArrayList<>();
    private boolean open;

    @Override
    public synchronized void execute(Runnable task) {
        if (open) {
            threads.execute(task);
        } else {
            held.add(task);
        }
    }

    /** Runs the tasks held so far and every later one at once. */
    synchronized void open() {
        open = true;
        held.forEach(threads::execute);
        held.clear();
    }

    /** How many tasks wait behind the closed gate. */
    synchronized int heldTasks() {
        return held.size();
    }

    @Override
    public void close() {
        open();
        threads.shutdown();
    }
}
