package io.bucketmap.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How long an entry of a bucket-map store lives after its last write, and which clock decides when that time is up:
 * an entry written at record time {@code w} (the timestamp of its value, see {@link WriteTimes}) is expired once
 * {@code now >= w + millis}, where {@code now} is the store's stream time (the largest record time it has seen) or,
 * with a wall clock, that clock's milliseconds. Immutable; validated when made, so a bad setting fails where it is
 * given, not when a store opens. See {@code docs/ttl.md}.
 */
final class TimeToLive {
    /** A deadline that never comes: the entry's record time is unknown (see {@link WriteTimes#UNKNOWN}). */
    static final long NEVER = Long.MAX_VALUE;

    private final long millis;
    /** Null: stream time. */
    private final Clock wallClock;

    private TimeToLive(long millis, Clock wallClock) {
        this.millis = millis;
        this.wallClock = wallClock;
    }

    /**
     * Entries live {@code ttl} of stream time after their last write.
     *
     * @throws NullPointerException     if {@code ttl} is null
     * @throws IllegalArgumentException if {@code ttl} is zero, negative, shorter than a millisecond or longer than
     *                                  {@code Long.MAX_VALUE} milliseconds
     */
    static TimeToLive onStreamTime(Duration ttl) {
        return new TimeToLive(validMillis(ttl), null);
    }

    /**
     * Entries live {@code ttl} after the record time of their last write, judged by {@code wallClock}.
     *
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException as {@link #onStreamTime}
     */
    static TimeToLive onWallClock(Duration ttl, Clock wallClock) {
        return new TimeToLive(validMillis(ttl), Objects.requireNonNull(wallClock, "wallClock cannot be null"));
    }

    /** The time to live in milliseconds, at least 1. */
    long millis() {
        return millis;
    }

    /** The wall clock that judges expiry, or null if the store's stream time does. */
    Clock wallClock() {
        return wallClock;
    }

    /** The time to live as given (to the millisecond). */
    Duration duration() {
        return Duration.ofMillis(millis);
    }

    /**
     * When an entry written at record time {@code writeTime} expires: {@code writeTime + millis}, or {@link #NEVER} if
     * the record time is unknown (negative, Kafka's "no timestamp") or the sum would pass {@code Long.MAX_VALUE}.
     */
    long deadline(long writeTime) {
        if (writeTime < 0 || writeTime > NEVER - millis) {
            return NEVER;
        }
        return writeTime + millis;
    }

    /** Whether an entry with {@code deadline} is expired at {@code now}. */
    static boolean isExpired(long deadline, long now) {
        return deadline != NEVER && deadline <= now;
    }

    @Override
    public String toString() {
        return duration() + (wallClock == null ? " of stream time" : " of wall-clock time");
    }

    private static long validMillis(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl cannot be null");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, got " + ttl);
        }
        long millis;
        try {
            millis = ttl.toMillis();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("ttl must fit in a long of milliseconds, got " + ttl, e);
        }
        if (millis == 0) {
            throw new IllegalArgumentException("ttl must be at least one millisecond, got " + ttl);
        }
        return millis;
    }
}
