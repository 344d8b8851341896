package io.bucketmap.examples.risk;

import static io.bucketmap.examples.risk.RiskDriver.IDLE_FALLBACK;
import static io.bucketmap.examples.risk.RiskDriver.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.bucketmap.store.BucketMapStores;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The default clock, {@link ExpiryClock#eventTime}: deadlines judged in the stream time of both inputs, with a
 * wall-clock fallback for idle input. Both eviction variants.
 */
class EventTimeDeadlinesTest {

    /** Longer than any test here: the expiry punctuation does not run between the records of a test. */
    private static final Duration NO_PUNCTUATION = Duration.ofDays(1);

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void aDecisionAdvancesStreamTimeAndTimesOutTheEventsWhoseDeadlineItReaches(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(variant)) {
            long start = risk.now();
            risk.sendEvent("e1", start);
            risk.sendEvent("e2", start + 1);

            risk.sendDecision("e2", Verdict.APPROVE, start + TIMEOUT.toMillis());

            assertThat(risk.readOutcomes()).extracting(Outcome::eventId, Outcome::kind).containsExactly(
                tuple("e2", OutcomeKind.DECIDED), tuple("e1", OutcomeKind.TIMED_OUT));
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void processingLagDoesNotTimeOutAnEventWhoseDecisionIsStampedBeforeItsDeadline(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(variant)) {
            long start = risk.now();
            risk.sendEvent("e1", start);
            risk.advanceWallClock(TIMEOUT.multipliedBy(10));
            risk.sendEvent("e2", start + 1);
            risk.advanceWallClock(TIMEOUT.multipliedBy(10));

            risk.sendDecision("e1", Verdict.APPROVE, start + TIMEOUT.toMillis() - 1);

            assertThat(risk.readOutcomes()).extracting(Outcome::eventId, Outcome::kind)
                .containsExactly(tuple("e1", OutcomeKind.DECIDED));
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void aDecisionStampedAfterTheDeadlineIsLateEvenBeforeTheExpiryPunctuationRuns(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(config(variant))) {
            long start = risk.now();
            risk.sendEvent("e1", start);

            risk.sendDecision("e1", Verdict.APPROVE, start + TIMEOUT.toMillis() + 1);

            assertThat(risk.readOutcomes()).extracting(Outcome::eventId, Outcome::kind).containsExactly(
                tuple("e1", OutcomeKind.TIMED_OUT), tuple("e1", OutcomeKind.LATE_DECISION));
            assertThat(risk.pendingCount()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void aDecisionProcessedAfterStreamTimePassedTheDeadlineIsLateWhateverItsOwnTimestamp(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(config(variant))) {
            long start = risk.now();
            risk.sendEvent("e1", start);
            risk.sendEvent("e2", start + TIMEOUT.toMillis());

            risk.sendDecision("e1", Verdict.APPROVE, start + 1);

            assertThat(risk.readOutcomes()).extracting(Outcome::eventId, Outcome::kind).containsExactly(
                tuple("e1", OutcomeKind.TIMED_OUT), tuple("e1", OutcomeKind.LATE_DECISION));
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void anIdRepeatedAfterItsEventsDeadlineTimesTheFirstOutAndStartsANewEvent(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(config(variant))) {
            long start = risk.now();
            risk.sendEvent("e1", start);

            risk.sendEvent("e1", start + TIMEOUT.toMillis());
            risk.sendDecision("e1", Verdict.APPROVE, start + TIMEOUT.toMillis() + 1);

            List<Outcome> outcomes = risk.readOutcomes();
            assertThat(outcomes).extracting(Outcome::kind)
                .containsExactly(OutcomeKind.TIMED_OUT, OutcomeKind.DECIDED);
            assertThat(outcomes).extracting(outcome -> outcome.event().eventTime())
                .containsExactly(start, start + TIMEOUT.toMillis());
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void anIdleInputTimesOutNothingBeforeStreamTimeHasStoodStillForTheIdleFallback(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(variant)) {
            risk.sendEvent("e1");
            risk.advanceWallClock(Duration.ofMillis(1));
            risk.advanceWallClock(Duration.ofMillis(1));

            risk.advanceWallClock(IDLE_FALLBACK.minusMillis(1));
            assertThat(risk.outcomes.isEmpty()).isTrue();

            risk.advanceWallClock(Duration.ofMillis(1));
            assertThat(risk.readOutcomes()).extracting(Outcome::eventId, Outcome::kind)
                .containsExactly(tuple("e1", OutcomeKind.TIMED_OUT));
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void onceTheInputIsIdleTheWallClockCarriesStreamTimeOnFromWhereItStopped(EvictionVariant variant) {
        Duration idleFallback = Duration.ofSeconds(2);
        RiskTopologyConfig config = RiskDriver.config(variant, BucketMapStores::keyValueStore,
            ExpiryClock.eventTime(idleFallback));
        try (RiskDriver risk = new RiskDriver(config)) {
            risk.sendEvent("e1");
            risk.advanceWallClock(Duration.ofMillis(1));
            risk.advanceWallClock(Duration.ofMillis(1));
            risk.advanceWallClock(idleFallback);

            risk.advanceWallClock(TIMEOUT.minus(idleFallback).minusMillis(1));
            assertThat(risk.outcomes.isEmpty()).isTrue();

            risk.advanceWallClock(Duration.ofMillis(1));
            assertThat(risk.readOutcomes()).extracting(Outcome::eventId, Outcome::kind)
                .containsExactly(tuple("e1", OutcomeKind.TIMED_OUT));
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void aStalledStreamThreadIsNotTakenForIdleInput(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(variant)) {
            long start = risk.now();
            risk.sendEvent("e1", start);
            risk.advanceWallClock(Duration.ofMillis(1));

            risk.advanceWallClock(IDLE_FALLBACK.multipliedBy(10));
            risk.sendEvent("e2", start + 1);
            risk.advanceWallClock(Duration.ofMillis(1));

            assertThat(risk.outcomes.isEmpty()).isTrue();
            assertThat(risk.pendingCount()).isEqualTo(2);
        }
    }

    /** The default clock with an expiry punctuation that never runs between records. */
    private static RiskTopologyConfig config(EvictionVariant variant) {
        return RiskDriver.config(variant, BucketMapStores::keyValueStore, ExpiryClock.eventTime(IDLE_FALLBACK),
            NO_PUNCTUATION);
    }
}
