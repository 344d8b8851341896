package io.bucketmap.examples.risk;

import static io.bucketmap.examples.risk.RiskDriver.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.bucketmap.store.BucketMapStores;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The option {@link ExpiryClock#wallClock}: deadlines judged by the machine's clock. Both eviction variants. */
class WallClockDeadlinesTest {

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void anEventTimesOutWhenTheWallClockPassesItsDeadlineWithoutFurtherInput(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(config(variant, Duration.ofMillis(1)))) {
            risk.sendEvent("e1");
            risk.advance(TIMEOUT.minusMillis(1));
            assertThat(risk.outcomes.isEmpty()).isTrue();

            risk.advance(Duration.ofMillis(1));

            assertThat(risk.readOutcomes()).extracting(Outcome::eventId, Outcome::kind)
                .containsExactly(tuple("e1", OutcomeKind.TIMED_OUT));
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void processingLagTimesOutAnEventWhoseDecisionIsStampedBeforeItsDeadline(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(config(variant, Duration.ofMillis(1)))) {
            long start = risk.now();
            risk.sendEvent("e1", start);
            risk.advanceWallClock(TIMEOUT);

            risk.sendDecision("e1", Verdict.APPROVE, start + 1);

            assertThat(risk.readOutcomes()).extracting(Outcome::eventId, Outcome::kind).containsExactly(
                tuple("e1", OutcomeKind.TIMED_OUT), tuple("e1", OutcomeKind.LATE_DECISION));
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void aDecisionProcessedAfterTheWallClockPassedTheDeadlineIsLateEvenBeforeTheExpiryPunctuationRuns(
        EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(config(variant, Duration.ofDays(1)))) {
            long start = risk.now();
            risk.sendEvent("e1", start);
            risk.advanceWallClock(TIMEOUT);

            risk.sendDecision("e1", Verdict.APPROVE, start + 1);

            assertThat(risk.readOutcomes()).extracting(Outcome::eventId, Outcome::kind).containsExactly(
                tuple("e1", OutcomeKind.TIMED_OUT), tuple("e1", OutcomeKind.LATE_DECISION));
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void clockRecordsAreIgnored(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(config(variant, Duration.ofMillis(1)))) {
            risk.sendEvent("e1");
            risk.sendClock(true, risk.now() + TIMEOUT.multipliedBy(2).toMillis());
            risk.sendClock(false, risk.now() + TIMEOUT.multipliedBy(2).toMillis());

            assertThat(risk.outcomes.isEmpty()).isTrue();
            assertThat(risk.deadLetters.isEmpty()).isTrue();
            assertThat(risk.pendingCount()).isEqualTo(1);
        }
    }

    private static RiskTopologyConfig config(EvictionVariant variant, Duration punctuationInterval) {
        return RiskDriver.config(variant, BucketMapStores::keyValueStore, ExpiryClock.wallClock(),
            punctuationInterval);
    }
}
