package io.bucketmap.store;

import io.bucketmap.core.BucketMapIterator;
import io.bucketmap.core.KeyRange;

/**
 * The outermost layer of a hash-order store's chain ({@link StoreData}) under Kafka's caching layer: it refuses to
 * open iterators, with a message naming the fix. Kafka's caching layer merges its cache with the store's iterators
 * assuming both are sorted, which a hash-order store's are not: range, all and prefix scans would return duplicates
 * and stale values. Everything else passes through. O(1) per call; threads as the layer below.
 */
final class IterationRefusingData extends ForwardingStoreData {
    private final String refusal;

    IterationRefusingData(StoreData inner, String refusal) {
        super(inner);
        this.refusal = refusal;
    }

    /** @throws UnsupportedOperationException always, naming the fix */
    @Override
    public BucketMapIterator iterator(KeyRange range, boolean descending) {
        throw new UnsupportedOperationException(refusal);
    }
}
