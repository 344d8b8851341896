package io.bucketmap.examples.risk.app;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The outcome topic checked against what the generator produced. Immutable.
 *
 * <p>Reconciled when: every event acknowledged by the broker has exactly one DECIDED or TIMED_OUT outcome
 * ({@code lost} counts events with none, {@code duplicated} the extra terminal outcomes, including any for ids
 * never produced); every decision produced yields one DECIDED or LATE_DECISION outcome; every duplicate send one
 * DUPLICATE_EVENT; every malformed record one dead letter; and no send failed and no outcome was unreadable.
 *
 * <p>Beside it, and not part of it, the decided share against the generator's plan: the events whose decision it
 * stamped before their deadline ({@code expectedDecided}), and the events whose outcome went the other way. With
 * deadlines judged in event time both counts of the other way are 0 on an idle and on a busy machine; with
 * wall-clock deadlines processing lag times out events the plan meant to be decided.
 *
 * @param plannedShare the share of events the options ask to be decided ({@link EventGenerator#plannedDecidedShare})
 */
record Reconciliation(long events, long decided, long timedOut, long late, long duplicateIds, long deadLetters,
                      long lost, long duplicated, long decisionsSent, long duplicatesSent, long malformedSent,
                      long sendFailures, long unreadable, long expectedDecided, long decidedAgainstPlan,
                      long timedOutAgainstPlan, double plannedShare) {

    /** Compares a finished tally with the ledger. Cost O(events). */
    static Reconciliation of(GeneratorLedger ledger, TallyCounts tally, double plannedShare) {
        Map<String, Integer> terminal = tally.terminalOutcomesById();
        long lost = ledger.eventIds.stream().filter(id -> !terminal.containsKey(id)).count();
        long duplicated = terminal.entrySet().stream()
            .mapToLong(entry -> ledger.eventIds.contains(entry.getKey()) ? entry.getValue() - 1 : entry.getValue())
            .sum();
        Set<String> meant = ledger.inTimeDecisionIds;
        Set<String> decidedIds = tally.decidedIds();
        long decidedAgainstPlan = decidedIds.stream().filter(id -> !meant.contains(id)).count();
        long timedOutAgainstPlan = meant.stream()
            .filter(id -> terminal.containsKey(id) && !decidedIds.contains(id)).count();
        return new Reconciliation(ledger.eventIds.size(), tally.decided(), tally.timedOut(), tally.late(),
            tally.duplicateIds(), tally.deadLetters(), lost, duplicated, ledger.decisions.get(),
            ledger.duplicates.get(), ledger.malformed.get(), ledger.sendFailures.get(), tally.unreadable(),
            meant.size(), decidedAgainstPlan, timedOutAgainstPlan, plannedShare);
    }

    boolean decisionsAccountedFor() {
        return decided + late == decisionsSent;
    }

    boolean reconciled() {
        return lost == 0 && duplicated == 0 && decisionsAccountedFor() && duplicateIds == duplicatesSent
            && deadLetters == malformedSent && sendFailures == 0 && unreadable == 0;
    }

    /** The summary block printed at the end of a run. */
    String summary() {
        return String.join(System.lineSeparator(),
            "== reconciliation: risk-outcomes and dead letters read with isolation.level=read_committed ==",
            String.format(Locale.ROOT,
                "events=%d decided=%d timed_out=%d late=%d duplicate_ids=%d dlq=%d lost=%d duplicated=%d",
                events, decided, timedOut, late, duplicateIds, deadLetters, lost, duplicated),
            String.format(Locale.ROOT,
                "decided share %s, expected %s (%d events got a decision stamped before their deadline; the options "
                    + "ask for %s); against that plan: %d decided, %d timed out",
                percent(decided), percent(expectedDecided), expectedDecided, percent(plannedShare),
                decidedAgainstPlan, timedOutAgainstPlan),
            String.format(Locale.ROOT,
                "checks: decisions sent %d = decided + late %d [%s]; duplicate sends %d = duplicate_ids [%s]; "
                    + "malformed sent %d = dlq [%s]; send failures %d; unreadable outcomes %d",
                decisionsSent, decided + late, ok(decisionsAccountedFor()), duplicatesSent,
                ok(duplicateIds == duplicatesSent), malformedSent, ok(deadLetters == malformedSent), sendFailures,
                unreadable),
            reconciled() ? "RECONCILED: every event has exactly one outcome" : "NOT RECONCILED");
    }

    private String percent(long count) {
        return percent(events == 0 ? 0 : (double) count / events);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * share);
    }

    private static String ok(boolean check) {
        return check ? "ok" : "MISMATCH";
    }
}
