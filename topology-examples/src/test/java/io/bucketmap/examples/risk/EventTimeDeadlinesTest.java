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
 * The default clock, {@link ExpiryClock#eventTime}: every record judged at its own timestamp, in timestamp order across
 * both inputs whatever order they are processed in, with a wall-clock fallback for idle inputs. Both eviction variants.
 */
class EventTimeDeadlinesTest {

    /** Longer than any test here: expiry runs once, at the first record, and then only through the judged records. */
    private static final Duration NO_SCHEDULED_EXPIRY = Duration.ofDays(1);

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void anEventTimesOutOnlyOnceBothInputsHavePassedItsDeadline(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(variant)) {
            long start = risk.now();
            risk.sendEvent("e1", start);
            risk.sendEvent("e2", start + TIMEOUT.toMillis() - 1);
            risk.sendDecision("other-1", Verdict.APPROVE, start + TIMEOUT.toMillis() - 1);

            risk.sendEvent("e3", start + TIMEOUT.toMillis());
            assertThat(timedOut(risk.readOutcomes())).isEmpty();

            risk.sendDecision("other-2", Verdict.APPROVE, start + TIMEOUT.toMillis());
            assertThat(timedOut(risk.readOutcomes())).containsExactly("e1");
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void aDecisionProcessedBeforeItsEventStillDecidesIt(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(variant)) {
            long start = risk.now();
            risk.sendDecision("e1", Verdict.APPROVE, start + 1);
            risk.sendEvent("e1", start);
            risk.sendEvent("e2", start + 2);

            assertThat(risk.readOutcomes()).extracting(Outcome::eventId, Outcome::kind)
                .containsExactly(tuple("e1", OutcomeKind.DECIDED));
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void eventsProcessedFarAheadDoNotTimeOutAnEventWhoseDecisionIsStampedBeforeItsDeadline(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(variant)) {
            long start = risk.now();
            risk.sendEvent("e1", start);
            risk.sendEvent("e2", start + TIMEOUT.multipliedBy(3).toMillis());

            risk.sendDecision("e1", Verdict.APPROVE, start + TIMEOUT.toMillis() - 1);

            assertThat(risk.readOutcomes()).extracting(Outcome::eventId, Outcome::kind)
                .containsExactly(tuple("e1", OutcomeKind.DECIDED));
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void processingLagWhileBothInputsFlowDoesNotChangeAnOutcome(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(variant)) {
            long start = risk.now();
            risk.sendEvent("e1", start);
            risk.sendDecision("other-1", Verdict.APPROVE, start);
            risk.advanceWallClock(IDLE_FALLBACK.multipliedBy(10));
            risk.sendEvent("e2", start + 1);
            risk.sendDecision("other-2", Verdict.APPROVE, start + 1);
            risk.advanceWallClock(IDLE_FALLBACK.multipliedBy(10));

            risk.sendDecision("e1", Verdict.APPROVE, start + TIMEOUT.toMillis() - 1);
            risk.sendEvent("e3", start + TIMEOUT.toMillis());

            assertThat(risk.readOutcomes()).filteredOn(outcome -> outcome.eventId().equals("e1"))
                .extracting(Outcome::kind).containsExactly(OutcomeKind.DECIDED);
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void aDecisionStampedAfterTheDeadlineIsLateHoweverSeldomExpiryRuns(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(rarelyExpiring(variant))) {
            long start = risk.now();
            risk.sendEvent("e1", start);
            risk.sendDecision("e1", Verdict.APPROVE, start + TIMEOUT.toMillis() + 1);
            risk.sendEvent("e2", start + TIMEOUT.toMillis() + 2);

            assertThat(risk.readOutcomes()).extracting(Outcome::eventId, Outcome::kind).containsExactly(
                tuple("e1", OutcomeKind.TIMED_OUT), tuple("e1", OutcomeKind.LATE_DECISION));
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void anIdRepeatedAfterItsEventsDeadlineTimesTheFirstOutAndStartsANewEvent(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(rarelyExpiring(variant))) {
            long start = risk.now();
            risk.sendEvent("e1", start);
            risk.sendEvent("e1", start + TIMEOUT.toMillis());
            risk.sendDecision("e1", Verdict.APPROVE, start + TIMEOUT.toMillis() + 1);
            risk.sendEvent("e2", start + TIMEOUT.toMillis() + 2);

            List<Outcome> outcomes = risk.readOutcomes();
            assertThat(outcomes).extracting(Outcome::kind)
                .containsExactly(OutcomeKind.TIMED_OUT, OutcomeKind.DECIDED);
            assertThat(outcomes).extracting(outcome -> outcome.event().eventTime())
                .containsExactly(start, start + TIMEOUT.toMillis());
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void aSilentInputIsNotWaitedForOnceItHasStoodStillForTheIdleFallback(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(variant)) {
            long start = risk.now();
            risk.sendEvent("e1", start);
            risk.advanceWallClock(Duration.ofMillis(1));
            risk.advanceWallClock(Duration.ofMillis(1));
            risk.sendEvent("e2", start + TIMEOUT.toMillis());
            risk.advanceWallClock(IDLE_FALLBACK.minusMillis(1));
            assertThat(risk.outcomes.isEmpty()).isTrue();

            risk.advanceWallClock(Duration.ofMillis(1));

            assertThat(risk.readOutcomes()).extracting(Outcome::eventId, Outcome::kind)
                .containsExactly(tuple("e1", OutcomeKind.TIMED_OUT));
            assertThat(risk.pendingCount()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void onceBothInputsAreIdleTheWallClockCarriesTheLatestTimestampOn(EvictionVariant variant) {
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
            risk.sendDecision("other-1", Verdict.APPROVE, start);
            risk.advanceWallClock(Duration.ofMillis(1));

            risk.advanceWallClock(IDLE_FALLBACK.multipliedBy(10));
            risk.sendEvent("e2", start + 1);
            risk.sendDecision("other-2", Verdict.APPROVE, start + 1);
            risk.advanceWallClock(Duration.ofMillis(1));

            assertThat(timedOut(risk.readOutcomes())).isEmpty();
            assertThat(risk.pendingCount()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void clockRecordsMoveTheirInputsTimeAndTimeEventsOutWithoutAnyOutcomeOfTheirOwn(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(variant)) {
            long start = risk.now();
            risk.sendEvent("e1", start);
            risk.sendClock(false, start + TIMEOUT.toMillis());
            assertThat(risk.outcomes.isEmpty()).isTrue();

            risk.sendClock(true, start + TIMEOUT.toMillis());

            assertThat(risk.readOutcomes()).extracting(Outcome::eventId, Outcome::kind)
                .containsExactly(tuple("e1", OutcomeKind.TIMED_OUT));
            assertThat(risk.deadLetters.isEmpty()).isTrue();
        }
    }

    /** The default clock, with scheduled expiry so rare that only the judgement of each record times events out. */
    private static RiskTopologyConfig rarelyExpiring(EvictionVariant variant) {
        return RiskDriver.config(variant, BucketMapStores::keyValueStore, ExpiryClock.eventTime(IDLE_FALLBACK),
            NO_SCHEDULED_EXPIRY);
    }

    private static List<String> timedOut(List<Outcome> outcomes) {
        return outcomes.stream().filter(outcome -> outcome.kind() == OutcomeKind.TIMED_OUT).map(Outcome::eventId)
            .toList();
    }
}
