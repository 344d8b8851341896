package io.bucketmap.examples.risk;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketmap.eviction.DeadlineTrackerStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class RiskTopologyProperties {

    /**
     * One input step: an event or a decision for {@code id} stamped with the current time, the time stamped on the
     * next records moving {@code millis} forward, or the wall clock alone moving {@code millis} forward (processing
     * lag).
     */
    record Step(int kind, int id, int millis) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 12),
                Arbitraries.integers().between(1, 15_000))
            .as(Step::new);
        return step.list().ofMaxSize(120);
    }

    /**
     * The model judges every deadline at the timestamp of the record being processed (stream time, as input arrives in
     * time order) and knows no wall clock: lag between records must not change any outcome. Lag steps that would leave
     * the input still for the idle fallback are skipped; the end goes idle on purpose, and the fallback expires the rest.
     */
    @Property(tries = 150)
    void everyAcceptedEventGetsExactlyOneOutcomeJudgedByRecordTimestampsWhateverTheWallClockDoes(
        @ForAll EvictionVariant variant, @ForAll("steps") List<Step> steps) {
        Map<String, Long> pendingDeadlines = new HashMap<>();
        Map<String, List<OutcomeKind>> expected = new HashMap<>();
        int accepted = 0;
        long time = RiskDriver.START.toEpochMilli();
        long wallClockSinceLastRecord = 0;

        try (RiskDriver risk = new RiskDriver(variant)) {
            for (Step step : steps) {
                String id = "e" + step.id();
                switch (step.kind()) {
                    case 0 -> {
                        expireUpTo(time, pendingDeadlines, expected);
                        risk.sendEvent(id, time);
                        wallClockSinceLastRecord = 0;
                        if (pendingDeadlines.containsKey(id)) {
                            expect(expected, id, OutcomeKind.DUPLICATE_EVENT);
                        } else {
                            pendingDeadlines.put(id, time + RiskDriver.TIMEOUT.toMillis());
                            accepted++;
                        }
                    }
                    case 1 -> {
                        expireUpTo(time, pendingDeadlines, expected);
                        risk.sendDecision(id, Verdict.APPROVE, time);
                        wallClockSinceLastRecord = 0;
                        boolean wasPending = pendingDeadlines.remove(id) != null;
                        expect(expected, id, wasPending ? OutcomeKind.DECIDED : OutcomeKind.LATE_DECISION);
                    }
                    case 2 -> time += step.millis();
                    default -> {
                        if (wallClockSinceLastRecord + step.millis() < RiskDriver.IDLE_FALLBACK.toMillis()) {
                            risk.advanceWallClock(Duration.ofMillis(step.millis()));
                            wallClockSinceLastRecord += step.millis();
                        }
                    }
                }
            }
            risk.goIdle();
            expireUpTo(Long.MAX_VALUE, pendingDeadlines, expected);

            List<Outcome> outcomes = risk.readOutcomes();
            Map<String, List<OutcomeKind>> actual = new HashMap<>();
            outcomes.forEach(outcome -> expect(actual, outcome.eventId(), outcome.kind()));
            assertThat(actual).isEqualTo(expected);
            assertThat(outcomes).filteredOn(outcome -> outcome.kind() == OutcomeKind.DECIDED
                || outcome.kind() == OutcomeKind.TIMED_OUT).hasSize(accepted);
            assertThat(risk.pendingCount()).isZero();
            if (variant == EvictionVariant.DEADLINE_INDEX) {
                assertThat(risk.driver.getKeyValueStore(DeadlineTrackerStores.deadlineIndexStoreName("risk"))
                    .approximateNumEntries()).isZero();
            }
        }
    }

    private static void expireUpTo(long now, Map<String, Long> pendingDeadlines,
                                   Map<String, List<OutcomeKind>> expected) {
        for (Iterator<Map.Entry<String, Long>> it = pendingDeadlines.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> pending = it.next();
            if (pending.getValue() <= now) {
                expect(expected, pending.getKey(), OutcomeKind.TIMED_OUT);
                it.remove();
            }
        }
    }

    private static void expect(Map<String, List<OutcomeKind>> outcomes, String id, OutcomeKind kind) {
        outcomes.computeIfAbsent(id, ignored -> new ArrayList<>()).add(kind);
    }
}
