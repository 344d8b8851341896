package io.bucketmap.examples.risk;

import io.bucketmap.eviction.ExpiryHandler;

/**
 * The events waiting for a decision, as the processors see them; {@link EvictionVariant} says how they are
 * stored and found when they expire. Used from the stream thread only.
 */
interface PendingEvents {

    /** @return false, changing nothing, if {@code id} is already pending */
    boolean add(String id, RiskEvent event, long deadline);

    /** @return the pending event, now removed, or null if {@code id} is not pending */
    RiskEvent complete(String id);

    /**
     * Hands {@code id} to {@code handler} and removes it through the outer store if it is pending with
     * {@code deadline <= now}.
     *
     * @return whether it expired; false, changing nothing, if it is not pending or not yet due
     */
    boolean expireIfDue(String id, long now, ExpiryHandler<String, RiskEvent> handler);

    /**
     * Hands every event with {@code deadline <= now} to {@code handler} and removes it through the outer store.
     *
     * @return how many expired
     */
    int expire(long now, ExpiryHandler<String, RiskEvent> handler);
}
