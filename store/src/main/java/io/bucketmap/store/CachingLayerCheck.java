package io.bucketmap.store;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.internals.CachingKeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * Tells whether Kafka's caching layer wraps a store. The caching layer merges its cache with the store's iterators
 * assuming both are sorted, which a hash-order store's are not; knowing it lets that store refuse to iterate with a
 * clear error instead of returning duplicates and stale values.
 *
 * <p>The one use of Kafka's internal store classes outside restoration, kept here; it only reads the wrapper chain
 * that {@code init} receives as {@code root}, and under a context without wrappers (a bare store, a mock context)
 * it finds none.
 */
final class CachingLayerCheck {
    private CachingLayerCheck() {
    }

    /** Whether a {@link CachingKeyValueStore} stands in the wrapper chain from {@code root} down. O(layers). */
    static boolean isCached(StateStore root) {
        for (StateStore layer = root; layer instanceof WrappedStateStore; layer = ((WrappedStateStore<?, ?, ?>) layer).wrapped()) {
            if (layer instanceof CachingKeyValueStore) {
                return true;
            }
        }
        return false;
    }
}
