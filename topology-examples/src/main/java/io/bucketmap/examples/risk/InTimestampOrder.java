package io.bucketmap.examples.risk;

import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Event-time deadlines: records pass through the task's {@link TimestampOrder} and are judged, in timestamp order,
 * at their own timestamp; expiry runs up to a released record's timestamp, and up to the inputs' watermark (clock
 * records move it too), whenever that has moved an interval on since the last expiry, and, while both inputs are
 * idle, up to the wall clock's extrapolation. A wall-clock punctuation each interval updates which inputs are idle.
 * So the outcome of every record depends on the records' timestamps, not on when or in which order Kafka Streams
 * processed them. Stream thread only.
 */
final class InTimestampOrder implements Arrivals {

    private final TimestampOrder order;
    private final RiskRules rules;
    private final long intervalMillis;
    private boolean expired;
    private long nextExpiry;

    private InTimestampOrder(TimestampOrder order, RiskRules rules, long intervalMillis) {
        this.order = order;
        this.rules = rules;
        this.intervalMillis = intervalMillis;
    }

    static InTimestampOrder open(ExpiryClock.EventTime clock, ProcessorContext<Object, Object> context,
                                 Duration interval, RiskRules rules) {
        InTimestampOrder arrivals = new InTimestampOrder(
            new TimestampOrder(context.getStateStore(TimestampOrder.STORE), clock.idleFallback().toMillis()), rules,
            interval.toMillis());
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, arrivals::onWallClock);
        return arrivals;
    }

    @Override
    public void event(String id, RiskEvent event, byte[] value, long timestamp, long offset) {
        order.add(InputKind.EVENT, timestamp, offset, id, value);
        releaseAndExpire();
    }

    @Override
    public void decision(String id, Decision decision, byte[] value, long timestamp, long offset) {
        order.add(InputKind.DECISION, timestamp, offset, id, value);
        releaseAndExpire();
    }

    @Override
    public void clock(InputKind kind, long timestamp) {
        order.advance(kind, timestamp);
        releaseAndExpire();
    }

    private void onWallClock(long wallClockTime) {
        order.onWallClock(wallClockTime);
        releaseAndExpire();
        order.idleExpiryTime().ifPresent(rules::expire);
    }

    /**
     * Judges what can be released, then expires up to the watermark: no record still to come is stamped before it, so
     * an event whose deadline it has reached can no longer be decided.
     */
    private void releaseAndExpire() {
        order.release(this::judge);
        order.watermark().ifPresent(this::maybeExpire);
    }

    /** Expires up to {@code time} if it has moved an interval on since the last expiry. */
    private void maybeExpire(long time) {
        if (!expired || time >= nextExpiry) {
            rules.expire(time);
            expired = true;
            nextExpiry = time > Long.MAX_VALUE - intervalMillis ? Long.MAX_VALUE : time + intervalMillis;
        }
    }

    /** Expires up to {@code timestamp} if it has moved an interval on, then applies the released record at it. */
    private void judge(InputKind kind, long timestamp, String id, byte[] value) {
        maybeExpire(timestamp);
        try {
            switch (kind) {
                case EVENT -> rules.event(id, RiskInput.event(value), timestamp, timestamp);
                case DECISION -> rules.decision(id, RiskInput.decision(value), timestamp, timestamp);
                default -> throw new IllegalStateException("unknown input " + kind);
            }
        } catch (MalformedInputException e) {
            throw new IllegalStateException("a buffered record was validated before it was buffered", e);
        }
    }
}
