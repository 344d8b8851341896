package io.bucketmap.examples.risk;

import io.bucketmap.eviction.DeadlineTracker;
import io.bucketmap.eviction.ExpiryHandler;

/**
 * Pending events in a {@link DeadlineTracker}: expiry is a range scan of the deadline index, O(expired) per
 * punctuation. The recommended variant.
 */
final class IndexedPendingEvents implements PendingEvents {

    private final DeadlineTracker<String, RiskEvent> tracker;

    IndexedPendingEvents(DeadlineTracker<String, RiskEvent> tracker) {
        this.tracker = tracker;
    }

    @Override
    public boolean add(String id, RiskEvent event, long deadline) {
        return tracker.track(id, event, deadline);
    }

    @Override
    public RiskEvent complete(String id) {
        return tracker.complete(id);
    }

    @Override
    public boolean expireIfDue(String id, long now, ExpiryHandler<String, RiskEvent> handler) {
        return tracker.expireIfDue(id, now, handler);
    }

    @Override
    public int expire(long now, ExpiryHandler<String, RiskEvent> handler) {
        return tracker.expire(now, handler);
    }
}
