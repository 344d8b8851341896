package io.bucketmap.examples.risk.app;

import io.bucketmap.examples.risk.OutcomeKind;
import java.util.Locale;

/** Prints one line of live progress: input sent, outcomes committed so far, and the pending store's state. */
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
        System.out.printf(Locale.ROOT,
            "[%5.1fs] events in %d (acked %d) | decided %d | timed out %d | late %d | duplicate ids %d | dlq %d"
                + " | pending in store %d | %s%n",
            elapsedSeconds, generator.eventsSent(), ledger.eventIds.size(), tally.count(OutcomeKind.DECIDED),
            tally.count(OutcomeKind.TIMED_OUT), tally.count(OutcomeKind.LATE_DECISION),
            tally.count(OutcomeKind.DUPLICATE_EVENT), tally.deadLetters(), gauges.pendingEntries(),
            gauges.growthState());
    }
}
