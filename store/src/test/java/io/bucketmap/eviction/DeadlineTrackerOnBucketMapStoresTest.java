package io.bucketmap.eviction;

/**
 * The tracker's whole specification ({@link DeadlineTrackerTest}) on the stores {@link
 * DeadlineTrackerStores#bucketMapStoreBuilders} recommends: a hash-order pending store and an ordered index.
 */
class DeadlineTrackerOnBucketMapStoresTest extends DeadlineTrackerTest {

    @Override
    TrackerStores newStores() {
        return new TrackerStores(DeadlineTrackerStores.bucketMapStoreBuilders("t"));
    }
}
