package io.bucketmap.examples.risk;

import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Wall-clock deadlines: each record is judged as it arrives, at the wall-clock time, and a wall-clock punctuation
 * expires every interval. Processing lag counts against the timeout. Stream thread only.
 */
final class InArrivalOrder implements Arrivals {

    private final ProcessorContext<Object, Object> context;
    private final RiskRules rules;

    private InArrivalOrder(ProcessorContext<Object, Object> context, RiskRules rules) {
        this.context = context;
        this.rules = rules;
    }

    static InArrivalOrder open(ProcessorContext<Object, Object> context, Duration interval, RiskRules rules) {
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, rules::expire);
        return new InArrivalOrder(context, rules);
    }

    @Override
    public void event(String id, RiskEvent event, byte[] value, long timestamp, long offset) {
        rules.event(id, event, timestamp, context.currentSystemTimeMs());
    }

    @Override
    public void decision(String id, Decision decision, byte[] value, long timestamp, long offset) {
        rules.decision(id, decision, timestamp, context.currentSystemTimeMs());
    }

    /** Ignored: the wall clock does not need input to move. */
    @Override
    public void clock(InputKind kind, long timestamp) {
    }
}
