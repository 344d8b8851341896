package io.bucketmap.examples.risk.app;

import java.util.Map;

/**
 * The outcome topic checked against what the generator produced. Immutable.
 *
 * <p>Reconciled when: every event acknowledged by the broker has exactly one DECIDED or TIMED_OUT outcome
 * ({@code lost} counts events with none, {@code duplicated} the extra terminal outcomes, including any for ids
 * never produced); every decision produced yields one DECIDED or LATE_DECISION outcome; every duplicate send one
 * DUPLICATE_EVENT; every malformed record one dead letter; and no send failed and no outcome was unreadable.
 */
record Reconciliation(long events, long decided, long timedOut, long late, long duplicateIds, long deadLetters,
                      long lost, long duplicated, long decisionsSent, long duplicatesSent, long malformedSent,
                      long sendFailures, long unreadable) {

    /** Compares a finished tally with the ledger. Cost O(events). */
    static Reconciliation of(GeneratorLedger ledger, TallyCounts tally) {
        Map<String, Integer> terminal = tally.terminalOutcomesById();
        long lost = ledger.eventIds.stream().filter(id -> !terminal.containsKey(id)).count();
        long duplicated = terminal.entrySet().stream()
            .mapToLong(entry -> ledger.eventIds.contains(entry.getKey()) ? entry.getValue() - 1 : entry.getValue())
            .sum();
        return new Reconciliation(ledger.eventIds.size(), tally.decided(), tally.timedOut(), tally.late(),
            tally.duplicateIds(), tally.deadLetters(), lost, duplicated, ledger.decisions.get(),
            ledger.duplicates.get(), ledger.malformed.get(), ledger.sendFailures.get(), tally.unreadable());
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
            String.format("events=%d decided=%d timed_out=%d late=%d duplicate_ids=%d dlq=%d lost=%d duplicated=%d",
                events, decided, timedOut, late, duplicateIds, deadLetters, lost, duplicated),
            String.format("checks: decisions sent %d = decided + late %d [%s]; duplicate sends %d = duplicate_ids [%s]; "
                    + "malformed sent %d = dlq [%s]; send failures %d; unreadable outcomes %d",
                decisionsSent, decided + late, ok(decisionsAccountedFor()), duplicatesSent,
                ok(duplicateIds == duplicatesSent), malformedSent, ok(deadLetters == malformedSent), sendFailures,
                unreadable),
            reconciled() ? "RECONCILED: every event has exactly one outcome" : "NOT RECONCILED");
    }

    private static String ok(boolean check) {
        return check ? "ok" : "MISMATCH";
    }
}
