package io.bucketmap.examples.risk;

/**
 * One record of topic {@code risk-outcomes}, keyed by event id. Immutable.
 *
 * @param eventId  the event id (also the record key)
 * @param kind     what happened
 * @param verdict  the decision's verdict for {@link OutcomeKind#DECIDED} and {@link OutcomeKind#LATE_DECISION},
 *                 otherwise null
 * @param event    the event for {@link OutcomeKind#DECIDED}, {@link OutcomeKind#TIMED_OUT} and
 *                 {@link OutcomeKind#DUPLICATE_EVENT} (the dropped copy), null for a late decision
 * @param deadline the event's deadline, epoch milliseconds, or -1 for a late decision
 */
public record Outcome(String eventId, OutcomeKind kind, Verdict verdict, RiskEvent event, long deadline) {
}
