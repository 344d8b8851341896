package io.bucketmap.examples.risk;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Forwards the {@link OutcomeKind#TIMED_OUT} outcome of an expired event, for the expiry punctuation and for the
 * processors that meet an event whose deadline has passed. Stateless; stream thread only (the context's).
 */
final class TimedOut {

    private TimedOut() {
    }

    /** Forwards the outcome to the outcomes sink, stamped {@code time}: when the expiry was judged. */
    static void forward(ProcessorContext<Object, Object> context, String id, RiskEvent event, long deadline,
                        long time) {
        context.forward(new Record<>(id, new Outcome(id, OutcomeKind.TIMED_OUT, null, event, deadline), time),
            RiskTopology.OUTCOMES_SINK);
    }
}
