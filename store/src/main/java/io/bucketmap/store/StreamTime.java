package io.bucketmap.store;

/**
 * A store's stream time: the largest record time among the values written to it and restored into it, which an
 * expiring store on stream time judges expiry by (as Kafka's window stores do with their own "observed stream time").
 * It only moves forward. One per open of a store ({@code OpenStore}), shared with the local copy, which records it at
 * each commit and merges the recorded one at open, as it does with the IQ position: Kafka Streams hands a store no
 * stream time when it opens, and a clean restart of a persistent store replays nothing that could rebuild it.
 *
 * <p>Threads: advanced by the store's writer thread; read by any thread (a volatile field). O(1).
 */
final class StreamTime {
    /** Before any record time: nothing has expired yet. */
    static final long NONE = Long.MIN_VALUE;

    private volatile long millis = NONE;

    /** The stream time, or {@link #NONE}. */
    long millis() {
        return millis;
    }

    /** Moves the stream time to {@code recordTime} if that is later. Writer thread. */
    void advanceTo(long recordTime) {
        if (recordTime > millis) {
            millis = recordTime;
        }
    }
}
