package io.bucketmap.store;

import org.apache.kafka.streams.state.TimestampedBytesStore;

/**
 * A {@link BucketMapKeyValueStore} that declares it holds timestamped values ({@code [8-byte timestamp][value]}),
 * what the DSL's timestamped stores write. Kafka Streams' {@code TimestampedKeyValueStoreBuilder} then uses it without
 * an adapter (a persistent store that declared nothing would be wrapped in one that strips and re-adds the timestamp
 * on every access, losing it), and changelog restoration hands it records already converted to that format. Costs,
 * threads and failures: those of {@link BucketMapKeyValueStore}; the marker adds nothing per access.
 */
public final class TimestampedBucketMapKeyValueStore extends BucketMapKeyValueStore implements TimestampedBytesStore {
    TimestampedBucketMapKeyValueStore(String name, boolean ordered, String metricsScope, LocalCopy.Factory localCopy,
                                      TimeToLive ttl) {
        super(name, ordered, metricsScope, localCopy, ValueFormat.TIMESTAMPED, ttl);
    }
}
