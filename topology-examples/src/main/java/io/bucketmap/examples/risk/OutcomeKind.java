package io.bucketmap.examples.risk;

/**
 * The kinds of record on {@code risk-outcomes}. Each accepted event gets exactly one {@link #DECIDED} or
 * {@link #TIMED_OUT}; the other two kinds report input that did not start or finish an event.
 */
public enum OutcomeKind {
    /** The decision arrived while the event was pending. */
    DECIDED,
    /** The deadline passed first; a decision arriving later gets {@link #LATE_DECISION}. */
    TIMED_OUT,
    /** A decision for an event that is not pending: already timed out, already decided, or never seen. */
    LATE_DECISION,
    /** An event whose id is already pending; the pending event is kept and this copy is dropped. */
    DUPLICATE_EVENT
}
