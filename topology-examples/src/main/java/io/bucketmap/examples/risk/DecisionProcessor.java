package io.bucketmap.examples.risk;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Matches decisions from {@code risk-decisions} with pending events: a match completes the event with a
 * {@link OutcomeKind#DECIDED} outcome; a decision for an event that is not pending (timed out, decided before,
 * or never seen) gets a {@link OutcomeKind#LATE_DECISION} outcome instead of vanishing.
 *
 * <p>The deadline is judged at the decision: if the configured {@link ExpiryClock} has reached the event's deadline
 * when the decision is processed, the event times out first (its {@link OutcomeKind#TIMED_OUT} outcome, then the
 * decision's LATE_DECISION), whether or not the expiry punctuation has run since. Kafka Streams punctuates between
 * batches of records, so without this check the outcome would depend on where a batch ended.
 *
 * <p>Per record: one parse, one {@link PendingEvents#expireIfDue} and one {@link PendingEvents#complete}.
 * Malformed records go to the dead-letter sink.
 */
final class DecisionProcessor implements Processor<byte[], byte[], Object, Object> {

    private final RiskTopologyConfig config;
    private ProcessorContext<Object, Object> context;
    private PendingEvents pending;

    DecisionProcessor(RiskTopologyConfig config) {
        this.config = config;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.pending = config.variant().open(context);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String id;
        Decision decision;
        try {
            id = RiskInput.eventId(record.key());
            decision = RiskInput.decision(record.value());
        } catch (MalformedInputException e) {
            DeadLetters.send(context, record, e.getMessage());
            return;
        }
        long now = config.expiryClock().timeOf(context);
        pending.expireIfDue(id, now, (expiredId, event, deadline) ->
            TimedOut.forward(context, expiredId, event, deadline, now));
        RiskEvent event = pending.complete(id);
        Outcome outcome = event == null
            ? new Outcome(id, OutcomeKind.LATE_DECISION, decision.verdict(), null, -1)
            : new Outcome(id, OutcomeKind.DECIDED, decision.verdict(), event, config.deadlineOf(event));
        context.forward(new Record<>(id, outcome, record.timestamp()), RiskTopology.OUTCOMES_SINK);
    }
}
