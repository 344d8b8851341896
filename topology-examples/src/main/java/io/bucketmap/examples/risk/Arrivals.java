package io.bucketmap.examples.risk;

import java.time.Duration;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * How one task's valid records reach the {@link RiskRules}, at which time each is judged, and when expiry runs: in
 * timestamp order for {@link ExpiryClock.EventTime}, as they arrive for {@link ExpiryClock.WallClock}. One per task,
 * made in {@code Processor.init}; stream thread only.
 */
interface Arrivals {

    /** A valid event; {@code value} is the record's value, {@code offset} its offset in its partition. */
    void event(String id, RiskEvent event, byte[] value, long timestamp, long offset);

    /** A valid decision; {@code value} is the record's value, {@code offset} its offset in its partition. */
    void decision(String id, Decision decision, byte[] value, long timestamp, long offset);

    /** A clock record: only its timestamp counts, as the time of its input. */
    void clock(InputKind kind, long timestamp);

    /** The arrivals of {@code clock} for the task of {@code context}; schedules its punctuations. */
    static Arrivals open(ExpiryClock clock, ProcessorContext<Object, Object> context, Duration interval,
                         RiskRules rules) {
        if (clock instanceof ExpiryClock.EventTime eventTime) {
            return InTimestampOrder.open(eventTime, context, interval, rules);
        }
        return InArrivalOrder.open(context, interval, rules);
    }
}
