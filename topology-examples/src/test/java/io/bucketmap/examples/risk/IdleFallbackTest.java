package io.bucketmap.examples.risk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdleFallbackTest {

    private static final long IDLE_AFTER = 1_000;
    private static final long STREAM_TIME = 50_000;

    private final IdleFallback fallback = new IdleFallback(IDLE_AFTER);

    @Test
    void theFirstRunNeverFindsStreamTimeStandingStill() {
        assertThat(fallback.expiryTime(STREAM_TIME, 1_000_000)).isEmpty();
    }

    @Test
    void standstillCountsFromTheFirstRunThatFindsStreamTimeStandingStill() {
        fallback.expiryTime(STREAM_TIME, 0);
        assertThat(fallback.expiryTime(STREAM_TIME, 10_000)).isEmpty();

        assertThat(fallback.expiryTime(STREAM_TIME, 10_000 + IDLE_AFTER - 1)).isEmpty();
        assertThat(fallback.expiryTime(STREAM_TIME, 10_000 + IDLE_AFTER)).hasValue(STREAM_TIME + IDLE_AFTER);
    }

    @Test
    void onceIdleTheExpiryTimeRunsOnWithTheWallClock() {
        fallback.expiryTime(STREAM_TIME, 0);
        fallback.expiryTime(STREAM_TIME, 100);

        assertThat(fallback.expiryTime(STREAM_TIME, 100 + 5 * IDLE_AFTER)).hasValue(STREAM_TIME + 5 * IDLE_AFTER);
    }

    @Test
    void anyMovementOfStreamTimeEndsTheStandstill() {
        fallback.expiryTime(STREAM_TIME, 0);
        fallback.expiryTime(STREAM_TIME, 100);
        assertThat(fallback.expiryTime(STREAM_TIME, 100 + IDLE_AFTER)).isPresent();

        assertThat(fallback.expiryTime(STREAM_TIME + 1, 200 + IDLE_AFTER)).isEmpty();
        assertThat(fallback.expiryTime(STREAM_TIME + 1, 300 + IDLE_AFTER)).isEmpty();
        assertThat(fallback.expiryTime(STREAM_TIME + 1, 300 + 2 * IDLE_AFTER)).hasValue(STREAM_TIME + 1 + IDLE_AFTER);
    }

    @Test
    void nothingExpiresBeforeTheTaskHasAStreamTime() {
        fallback.expiryTime(-1, 0);
        fallback.expiryTime(-1, 100);

        assertThat(fallback.expiryTime(-1, 100 + 1_000 * IDLE_AFTER)).isEmpty();
    }

    @Test
    void aWallClockStepBackwardsDoesNotCountAsIdleTime() {
        fallback.expiryTime(STREAM_TIME, 10_000);
        fallback.expiryTime(STREAM_TIME, 10_000);

        assertThat(fallback.expiryTime(STREAM_TIME, 0)).isEmpty();
    }

    @Test
    void theExpiryTimeSaturatesAtTheLargestTime() {
        fallback.expiryTime(Long.MAX_VALUE - 10, 0);
        fallback.expiryTime(Long.MAX_VALUE - 10, 0);

        assertThat(fallback.expiryTime(Long.MAX_VALUE - 10, IDLE_AFTER)).hasValue(Long.MAX_VALUE);
    }
}
