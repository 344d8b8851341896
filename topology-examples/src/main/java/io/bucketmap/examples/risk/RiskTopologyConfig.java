package io.bucketmap.examples.risk;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;

/**
 * Everything {@link RiskTopology} needs to know. Immutable.
 *
 * @param variant             how pending events are stored and expired
 * @param storeSuppliers      makes the store supplier for a store name, e.g. {@code BucketMapStores::keyValueStore}
 * @param timeout             how long an event waits for its decision, counted from its event time
 * @param expiryClock         the clock that judges deadlines: {@link ExpiryClock#eventTime} (the same outcomes on an
 *                            idle and on a busy machine) or {@link ExpiryClock#wallClock}
 * @param punctuationInterval how often expiry runs, in the clock's time, and for event time how often the wall clock
 *                            checks for idle inputs; it sets when a timed-out outcome is written, not which outcome an
 *                            event gets (decisions and repeated ids are judged against the deadline as they come)
 * @param topics              the topic names
 */
public record RiskTopologyConfig(EvictionVariant variant,
                                 Function<String, KeyValueBytesStoreSupplier> storeSuppliers,
                                 Duration timeout,
                                 ExpiryClock expiryClock,
                                 Duration punctuationInterval,
                                 RiskTopics topics) {

    /** @throws IllegalArgumentException if the timeout is negative or the interval not positive */
    public RiskTopologyConfig {
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(storeSuppliers, "storeSuppliers");
        Objects.requireNonNull(expiryClock, "expiryClock");
        Objects.requireNonNull(topics, "topics");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        if (punctuationInterval.isNegative() || punctuationInterval.isZero()) {
            throw new IllegalArgumentException("punctuation interval must be positive: " + punctuationInterval);
        }
    }

    /** The event's deadline: its event time plus the timeout, saturating at {@code Long.MAX_VALUE}. */
    public long deadlineOf(RiskEvent event) {
        long timeoutMillis = timeout.toMillis();
        // Saturate instead of overflowing: an event time near Long.MAX_VALUE must not wrap to a past deadline.
        return event.eventTime() > Long.MAX_VALUE - timeoutMillis ? Long.MAX_VALUE : event.eventTime() + timeoutMillis;
    }
}
