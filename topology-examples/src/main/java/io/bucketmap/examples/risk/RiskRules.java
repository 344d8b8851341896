package io.bucketmap.examples.risk;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * What happens to a valid event or decision, judged at a given time {@code now} of the configured clock, and what
 * expiry does. The {@link Arrivals} decide in which order records come here and at which time.
 *
 * <ul>
 *   <li>An event starts waiting for its decision (pending) unless its id is pending. A repeated id gets a
 *       {@link OutcomeKind#DUPLICATE_EVENT} outcome and the pending event keeps waiting for its one decided or
 *       timed-out outcome (first wins: a producer retry or replay must not reset the deadline or swap the payload);
 *       but if the pending event's deadline has passed by {@code now}, it times out first and the repeat is a new
 *       event. Once an event has its outcome its id is forgotten (only pending events are stored), so an id reused
 *       later is a new event. Redelivery inside Kafka is not a duplicate here: under exactly-once a record is
 *       processed once.</li>
 *   <li>A decision completes its pending event with a {@link OutcomeKind#DECIDED} outcome, unless the event's deadline
 *       has passed by {@code now}: then the event times out first, and the decision, like one for an event that is not
 *       pending (timed out, decided before, or never seen), gets a {@link OutcomeKind#LATE_DECISION} outcome instead of
 *       vanishing. Judging at the decision, and not only at the next expiry, keeps the outcome from depending on when
 *       expiry last ran.</li>
 *   <li>{@link #expire} turns every pending event whose deadline is at or before {@code now} into a
 *       {@link OutcomeKind#TIMED_OUT} outcome.</li>
 * </ul>
 *
 * <p>Cost: an event one {@link PendingEvents#add} (a repeated id one {@link PendingEvents#expireIfDue} more), a
 * decision one {@link PendingEvents#expireIfDue} and one {@link PendingEvents#complete}. Stream thread only.
 */
final class RiskRules {

    private final RiskTopologyConfig config;
    private final ProcessorContext<Object, Object> context;
    private final PendingEvents pending;

    RiskRules(RiskTopologyConfig config, ProcessorContext<Object, Object> context, PendingEvents pending) {
        this.config = config;
        this.context = context;
        this.pending = pending;
    }

    /** An event stamped {@code timestamp}, judged at {@code now}. */
    void event(String id, RiskEvent event, long timestamp, long now) {
        long deadline = config.deadlineOf(event);
        if (pending.add(id, event, deadline)) {
            return;
        }
        if (pending.expireIfDue(id, now, (expiredId, first, firstDeadline) ->
                timedOut(expiredId, first, firstDeadline, now))) {
            pending.add(id, event, deadline);
        } else {
            Outcome duplicate = new Outcome(id, OutcomeKind.DUPLICATE_EVENT, null, event, deadline);
            context.forward(new Record<>(id, duplicate, timestamp), RiskTopology.OUTCOMES_SINK);
        }
    }

    /** A decision stamped {@code timestamp}, judged at {@code now}. */
    void decision(String id, Decision decision, long timestamp, long now) {
        pending.expireIfDue(id, now, (expiredId, event, deadline) -> timedOut(expiredId, event, deadline, now));
        RiskEvent event = pending.complete(id);
        Outcome outcome = event == null
            ? new Outcome(id, OutcomeKind.LATE_DECISION, decision.verdict(), null, -1)
            : new Outcome(id, OutcomeKind.DECIDED, decision.verdict(), event, config.deadlineOf(event));
        context.forward(new Record<>(id, outcome, timestamp), RiskTopology.OUTCOMES_SINK);
    }

    /** Times out every pending event whose deadline is at or before {@code now}. */
    void expire(long now) {
        pending.expire(now, (id, event, deadline) -> timedOut(id, event, deadline, now));
    }

    /** Forwards the outcome of an expired event, stamped {@code now}: when the expiry was judged. */
    private void timedOut(String id, RiskEvent event, long deadline, long now) {
        context.forward(new Record<>(id, new Outcome(id, OutcomeKind.TIMED_OUT, null, event, deadline), now),
            RiskTopology.OUTCOMES_SINK);
    }
}
