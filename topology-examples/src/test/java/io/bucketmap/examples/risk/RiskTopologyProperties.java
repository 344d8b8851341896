package io.bucketmap.examples.risk;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketmap.eviction.DeadlineTrackerStores;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
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
     * One input record: an event (kind 0) or a decision (kind 1) for {@code id}, stamped {@code delta} milliseconds
     * after the previous record of the list; the list is in timestamp order.
     */
    record Step(int kind, int id, int delta) {
    }

    /** A record as the model and the driver see it: {@code index} is its position within its input. */
    private record Input(boolean event, String id, long time, int index) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.integers().between(0, 1),
                Arbitraries.integers().between(0, 12),
                Arbitraries.integers().between(0, 6_000))
            .as(Step::new);
        return step.list().ofMaxSize(120);
    }

    /** Which input the driver takes its next record from (while both have one left), and wall-clock lag after it. */
    @Provide
    Arbitrary<List<Integer>> interleaving() {
        return Arbitraries.integers().between(0, 3).list().ofMaxSize(240);
    }

    /**
     * The model is the specification in timestamp order: records taken in (timestamp, events before decisions) order,
     * each judged at its timestamp, every event whose deadline is at or before that timestamp timed out first. The
     * driver pipes each input in its own order but interleaves the two at random, with wall-clock lag between records
     * (never long enough for an input to count as idle); the outcomes must be the model's. The end goes idle on purpose,
     * and the wall-clock fallback times out the rest.
     */
    @Property(tries = 150)
    void everyOutcomeIsTheTimestampOrderModelsWhateverOrderTheTwoInputsArriveIn(
        @ForAll EvictionVariant variant, @ForAll("steps") List<Step> steps,
        @ForAll("interleaving") List<Integer> interleaving) {
        List<Input> events = new ArrayList<>();
        List<Input> decisions = new ArrayList<>();
        long time = RiskDriver.START.toEpochMilli();
        for (Step step : steps) {
            time += step.delta();
            List<Input> input = step.kind() == 0 ? events : decisions;
            input.add(new Input(step.kind() == 0, "e" + step.id(), time, input.size()));
        }

        Map<String, List<OutcomeKind>> expected = model(events, decisions);

        try (RiskDriver risk = new RiskDriver(variant)) {
            Deque<Input> eventsLeft = new ArrayDeque<>(events);
            Deque<Input> decisionsLeft = new ArrayDeque<>(decisions);
            Iterator<Integer> choices = interleaving.iterator();
            long lag = 0;
            while (!eventsLeft.isEmpty() || !decisionsLeft.isEmpty()) {
                int choice = choices.hasNext() ? choices.next() : 0;
                boolean takeEvent = decisionsLeft.isEmpty() || !eventsLeft.isEmpty() && choice % 2 == 0;
                Input next = takeEvent ? eventsLeft.poll() : decisionsLeft.poll();
                if (next.event()) {
                    risk.sendEvent(next.id(), next.time());
                } else {
                    risk.sendDecision(next.id(), Verdict.APPROVE, next.time());
                }
                if (choice >= 2 && lag + 1_000 < RiskDriver.IDLE_FALLBACK.toMillis()) {
                    risk.advanceWallClock(Duration.ofSeconds(1));
                    lag += 1_000;
                }
            }
            risk.goIdle();

            List<Outcome> outcomes = risk.readOutcomes();
            Map<String, List<OutcomeKind>> actual = new HashMap<>();
            outcomes.forEach(outcome -> expect(actual, outcome.eventId(), outcome.kind()));
            assertThat(actual).isEqualTo(expected);
            assertThat(risk.pendingCount()).isZero();
            if (variant == EvictionVariant.DEADLINE_INDEX) {
                assertThat(risk.driver.getKeyValueStore(DeadlineTrackerStores.deadlineIndexStoreName("risk"))
                    .approximateNumEntries()).isZero();
            }
            assertThat(risk.driver.getKeyValueStore(TimestampOrder.STORE).approximateNumEntries()).isZero();
        }
    }

    /** The outcomes per id of both inputs taken in timestamp order, events first at equal timestamps. */
    private static Map<String, List<OutcomeKind>> model(List<Input> events, List<Input> decisions) {
        List<Input> ordered = new ArrayList<>(events);
        ordered.addAll(decisions);
        ordered.sort(Comparator.comparingLong(Input::time).thenComparing(input -> !input.event())
            .thenComparingInt(Input::index));
        Map<String, Long> pendingDeadlines = new HashMap<>();
        Map<String, List<OutcomeKind>> expected = new HashMap<>();
        for (Input input : ordered) {
            expireUpTo(input.time(), pendingDeadlines, expected);
            if (input.event()) {
                if (pendingDeadlines.containsKey(input.id())) {
                    expect(expected, input.id(), OutcomeKind.DUPLICATE_EVENT);
                } else {
                    pendingDeadlines.put(input.id(), input.time() + RiskDriver.TIMEOUT.toMillis());
                }
            } else {
                boolean wasPending = pendingDeadlines.remove(input.id()) != null;
                expect(expected, input.id(), wasPending ? OutcomeKind.DECIDED : OutcomeKind.LATE_DECISION);
            }
        }
        expireUpTo(Long.MAX_VALUE, pendingDeadlines, expected);
        return expected;
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
