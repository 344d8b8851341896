package io.bucketmap.examples.risk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StandstillTest {

    private static final long TIME = 50_000;

    private final Standstill standstill = new Standstill();

    @Test
    void theFirstRunNeverFindsTheTimeStandingStill() {
        assertThat(standstill.observe(TIME, 1_000_000)).isZero();
    }

    @Test
    void standstillCountsFromTheFirstRunThatFindsTheTimeUnchanged() {
        standstill.observe(TIME, 0);
        assertThat(standstill.observe(TIME, 10_000)).isZero();

        assertThat(standstill.observe(TIME, 12_345)).isEqualTo(2_345);
    }

    @Test
    void anyMovementOfTheTimeEndsTheStandstill() {
        standstill.observe(TIME, 0);
        standstill.observe(TIME, 100);
        assertThat(standstill.observe(TIME, 5_000)).isEqualTo(4_900);

        assertThat(standstill.observe(TIME + 1, 6_000)).isZero();
        assertThat(standstill.observe(TIME + 1, 7_000)).isZero();
        assertThat(standstill.observe(TIME + 1, 8_000)).isEqualTo(1_000);
    }

    @Test
    void aWallClockStepBackwardsDoesNotCountAsStandstill() {
        standstill.observe(TIME, 10_000);
        standstill.observe(TIME, 10_000);

        assertThat(standstill.observe(TIME, 0)).isZero();
    }

    @Test
    void theSmallestTimeIsWatchedLikeAnyOther() {
        standstill.observe(Long.MIN_VALUE, 0);
        standstill.observe(Long.MIN_VALUE, 100);

        assertThat(standstill.observe(Long.MIN_VALUE, 600)).isEqualTo(500);
    }
}
