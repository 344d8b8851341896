package io.bucketmap.examples.risk;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Accepts events from {@code risk-events} into the pending store and, on each punctuation of the configured
 * {@link ExpiryClock}, turns the expired ones into {@link OutcomeKind#TIMED_OUT} outcomes.
 *
 * <p>Duplicate ids, deliberately: while an event is pending, a second event with its id is not accepted; it
 * gets a {@link OutcomeKind#DUPLICATE_EVENT} outcome and the pending event keeps waiting for its one decided or
 * timed-out outcome (first wins: a producer retry or replay must not reset the deadline or swap the payload).
 * Once an event has its outcome its id is forgotten (only pending events are stored), so an id reused later is
 * a new event; so is an id whose pending event's deadline has passed by the clock's time of the new record (the
 * old one times out first, whether or not a punctuation has run since). Redelivery inside Kafka is not a duplicate
 * here: under exactly-once a record is processed once.
 *
 * <p>Per record: one parse and one {@link PendingEvents#add}; a duplicate id adds one
 * {@link PendingEvents#expireIfDue}. Malformed records go to the dead-letter sink.
 */
final class EventProcessor implements Processor<byte[], byte[], Object, Object> {

    private final RiskTopologyConfig config;
    private ProcessorContext<Object, Object> context;
    private PendingEvents pending;

    EventProcessor(RiskTopologyConfig config) {
        this.config = config;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.pending = config.variant().open(context);
        config.expiryClock().schedule(context, config.punctuationInterval(), this::expire);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String id;
        RiskEvent event;
        try {
            id = RiskInput.eventId(record.key());
            event = RiskInput.event(record.value());
        } catch (MalformedInputException e) {
            DeadLetters.send(context, record, e.getMessage());
            return;
        }
        long deadline = config.deadlineOf(event);
        if (pending.add(id, event, deadline)) {
            return;
        }
        long now = config.expiryClock().timeOf(context);
        if (pending.expireIfDue(id, now, (expiredId, first, firstDeadline) ->
                TimedOut.forward(context, expiredId, first, firstDeadline, now))) {
            pending.add(id, event, deadline);
        } else {
            Outcome duplicate = new Outcome(id, OutcomeKind.DUPLICATE_EVENT, null, event, deadline);
            context.forward(new Record<>(id, duplicate, record.timestamp()), RiskTopology.OUTCOMES_SINK);
        }
    }

    private void expire(long now) {
        pending.expire(now, (id, event, deadline) -> TimedOut.forward(context, id, event, deadline, now));
    }
}
