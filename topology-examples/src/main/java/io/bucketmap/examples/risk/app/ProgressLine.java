package io.bucketmap.examples.risk.app;

import io.bucketmap.examples.risk.OutcomeKind;
import java.util.Locale;

/**
 * Prints one line of live progress: input sent, outcomes committed so far, the decided share of the events settled
 * so far beside the share of them the generator meant to be decided, and the pending store's state.
 */
final class ProgressLine {

    private final EventGenerator generator;
    private final GeneratorLedger ledger;
    private final OutcomeTally tally;
    private final StoreGauges gauges;

    ProgressLine(EventGenerator generator, GeneratorLedger ledger, OutcomeTally tally, StoreGauges gauges) {
        this.generator = generator;
        this.ledger = ledger;
        this.tally = tally;
        this.gauges = gauges;
    }

    /** Prints the line; cost one interactive query and one pass over the application's metrics. */
    void print(double elapsedSeconds) {
        long decided = tally.count(OutcomeKind.DECIDED);
        long settled = decided + tally.count(OutcomeKind.TIMED_OUT);
        System.out.printf(Locale.ROOT,
            "[%5.1fs] events in %d (acked %d) | decided %d (%s of settled, expected %s) | timed out %d | late %d"
                + " | duplicate ids %d | dlq %d | pending in store %d | %s%n",
            elapsedSeconds, generator.eventsSent(), ledger.eventIds.size(), decided, share(decided, settled),
            share(tally.settledMeantToBeDecided(), settled), tally.count(OutcomeKind.TIMED_OUT),
            tally.count(OutcomeKind.LATE_DECISION), tally.count(OutcomeKind.DUPLICATE_EVENT), tally.deadLetters(),
            gauges.pendingEntries(), gauges.growthState());
    }

    private static String share(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }
}
