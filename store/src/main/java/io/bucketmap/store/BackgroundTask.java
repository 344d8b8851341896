package io.bucketmap.store;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run of a piece of a store's background work (loading its local copy, reading it ahead) on an executor the
 * store does not own, which its owner can cancel and wait out before it releases what the work reads (a RocksDB
 * database). The executor's threads are not ours: an interrupt meant for this work reaches the thread only while it
 * runs this work, and never outlives it.
 *
 * <p>States: scheduled, then either running and ended, or cancelled before it ran (then it never runs). Threads: any
 * thread may submit, cancel and wait; the body runs on the executor's thread, at most once.
 */
final class BackgroundTask implements Runnable {
    /** The work itself; it may throw, and should end soon once its thread is interrupted. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private static final int SCHEDULED = 0;
    private static final int RUNNING = 1;
    private static final int ENDED = 2;
    private static final int CANCELLED = 3;

    private final Body body;
    private final AtomicInteger state = new AtomicInteger(SCHEDULED);
    private final CountDownLatch ended = new CountDownLatch(1);
    /** The thread running the body; guarded by {@code this}, so that no interrupt lands after the body returned. */
    private Thread runner;
    private boolean cancelRequested;

    BackgroundTask(Body body) {
        this.body = body;
    }

    /**
     * Hands the task to {@code executor}.
     *
     * @throws java.util.concurrent.RejectedExecutionException if the executor refuses it (the task then counts as
     *         cancelled before it ran)
     */
    void submitTo(Executor executor) {
        try {
            executor.execute(this);
        } catch (RuntimeException refused) {
            cancelIfNotStarted();
            throw refused;
        }
    }

    /** Runs the body, unless it was cancelled or already ran. Called by the executor. */
    @Override
    public void run() {
        if (!state.compareAndSet(SCHEDULED, RUNNING)) {
            return;
        }
        synchronized (this) {
            runner = Thread.currentThread();
            if (cancelRequested) {
                runner.interrupt();
            }
        }
        try {
            body.run();
        } catch (Exception e) {
            throw new IllegalStateException("background work failed", e); // bodies handle their own failures
        } finally {
            synchronized (this) {
                runner = null;
                Thread.interrupted(); // an interrupt meant for the body must not reach the executor's next task
            }
            state.set(ENDED);
            ended.countDown();
        }
    }

    /** Cancels the task if it has not started; returns whether it did (the body then never runs). Any thread. */
    boolean cancelIfNotStarted() {
        if (state.compareAndSet(SCHEDULED, CANCELLED)) {
            ended.countDown();
            return true;
        }
        return false;
    }

    /**
     * Cancels the task: one not started never runs; a running body is interrupted, and this waits until it has
     * returned (keeping, not acting on, an interrupt of the waiting thread). Idempotent; any thread but the body's.
     */
    void cancelAndWait() {
        if (cancelIfNotStarted()) {
            return;
        }
        synchronized (this) {
            cancelRequested = true;
            if (runner != null) {
                runner.interrupt();
            }
        }
        awaitEnd();
    }

    /** Waits until the body has returned or the task was cancelled before it ran, keeping an interrupt. */
    void awaitEnd() {
        boolean interrupted = false;
        while (true) {
            try {
                ended.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until the body has returned or the task was cancelled before it ran.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    void await() throws InterruptedException {
        ended.await();
    }

    /** Whether the body started (it may still be running). Any thread. */
    boolean ran() {
        int current = state.get();
        return current == RUNNING || current == ENDED;
    }
}
