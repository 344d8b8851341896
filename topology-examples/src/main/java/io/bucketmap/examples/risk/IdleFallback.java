package io.bucketmap.examples.risk;

import java.util.OptionalLong;

/**
 * Decides, for one task, when its input counts as idle and how far the wall clock has carried stream time since.
 * Fed by a wall-clock punctuation with the task's stream time at each run.
 *
 * <p>Input is idle once stream time has not moved since a run at least {@code idleAfterMillis} of wall-clock time
 * earlier, counted from the first run that found it standing still. The expiry time is then stream time plus the
 * wall-clock time since that run, so an event expires {@code deadline - streamTime} after the standstill was first
 * seen, but never before the input has been idle for {@code idleAfterMillis}. Until the task has processed a record
 * (stream time negative, Kafka's "unknown") there is nothing to carry on and nothing expires. O(1) per call;
 * not thread-safe (one stream thread, one task).
 */
final class IdleFallback {

    private static final long NONE = Long.MIN_VALUE;

    private final long idleAfterMillis;
    /** Stream time at the previous run; {@link #NONE} before the first, so that run never counts as standing still. */
    private long lastStreamTime = NONE;
    /** Wall-clock time of the first run that found stream time standing still, or {@link #NONE} while it moves. */
    private long stillSince = NONE;

    IdleFallback(long idleAfterMillis) {
        this.idleAfterMillis = idleAfterMillis;
    }

    /**
     * @param streamTime    the task's stream time now
     * @param wallClockTime the wall-clock time of this run
     * @return the time up to which to expire while the input is idle; empty while it is not
     */
    OptionalLong expiryTime(long streamTime, long wallClockTime) {
        if (streamTime != lastStreamTime) {
            lastStreamTime = streamTime;
            stillSince = NONE;
            return OptionalLong.empty();
        }
        if (stillSince == NONE) {
            stillSince = wallClockTime;
        }
        long stillFor = wallClockTime - stillSince;
        if (streamTime < 0 || stillFor < idleAfterMillis) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(streamTime > Long.MAX_VALUE - stillFor ? Long.MAX_VALUE : streamTime + stillFor);
    }
}
