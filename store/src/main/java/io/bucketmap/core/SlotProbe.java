package io.bucketmap.core;

/**
 * Where a writer's lookup ended: the slot holding the key, or else the first free slot of the chain and
 * the chain's last bucket (to hang an overflow bucket on when no slot is free). Owned by the single
 * writer and reused for every write, so that writes allocate nothing they do not store.
 */
final class SlotProbe {
    BucketArray foundArray;
    int foundSlot;
    BucketArray freeArray;
    int freeSlot;
    BucketArray tailArray;
    int tailBucket;

    void reset() {
        foundArray = null;
        freeArray = null;
        tailArray = null;
    }

    boolean found() {
        return foundArray != null;
    }
}
