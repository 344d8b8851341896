package io.bucketmap.examples.risk;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Accepts events from {@code risk-events} into the pending store and, on each punctuation, turns the expired
 * ones into {@link OutcomeKind#TIMED_OUT} outcomes.
 *
 * <p>Duplicate ids, deliberately: while an event is pending, a second event with its id is not accepted; it
 * gets a {@link OutcomeKind#DUPLICATE_EVENT} outcome and the pending event keeps waiting for its one decided or
 * timed-out outcome (first wins: a producer retry or replay must not reset the deadline or swap the payload).
 * Once an event has its outcome its id is forgotten (only pending events are stored), so an id reused later is
 * a new event. Redelivery inside Kafka is not a duplicate here: under exactly-once a record is processed once.
 *
 * <p>Per record: one parse and one {@link PendingEvents#add}. Malformed records go to the dead-letter sink.
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
        context.schedule(config.punctuationInterval(), config.punctuationType(), this::expire);
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
        if (!pending.add(id, event, deadline)) {
            Outcome duplicate = new Outcome(id, OutcomeKind.DUPLICATE_EVENT, null, event, deadline);
            context.forward(new Record<>(id, duplicate, record.timestamp()), RiskTopology.OUTCOMES_SINK);
        }
    }

    private void expire(long now) {
        pending.expire(now, (id, event, deadline) -> context.forward(
            new Record<>(id, new Outcome(id, OutcomeKind.TIMED_OUT, null, event, deadline), now),
            RiskTopology.OUTCOMES_SINK));
    }
}
