package io.bucketmap.examples.risk;

/**
 * Watches one time that only moves forward (the latest timestamp of an input) from a wall-clock punctuation and says
 * how long it has stood still, counted from the first run that found it unchanged. Counting from that run, not from
 * the last move, keeps a stalled stream thread (a long GC pause, a slow commit) from passing for a standstill: after
 * a stall the thread processes what arrived before it punctuates. O(1) per call; not thread-safe (one task).
 */
final class Standstill {

    private boolean observed;
    private long lastTime;
    private boolean still;
    private long stillSince;

    /**
     * @param time          the watched time now
     * @param wallClockTime the wall-clock time of this run
     * @return how long the time has stood still: 0 on the first run, if it moved since the previous run, or if the
     *         wall clock stepped back
     */
    long observe(long time, long wallClockTime) {
        if (!observed || time != lastTime) {
            observed = true;
            lastTime = time;
            still = false;
            return 0;
        }
        if (!still) {
            still = true;
            stillSince = wallClockTime;
        }
        return Math.max(0, wallClockTime - stillSince);
    }
}
