package io.bucketmap.store;

import org.apache.kafka.streams.state.HeadersBytesStore;

/**
 * A {@link BucketMapKeyValueStore} that declares it holds values with headers
 * ({@code [varint headers size][headers][8-byte timestamp][value]}), what the DSL writes when
 * {@code dsl.store.format} is {@code HEADERS}. Kafka Streams' {@code TimestampedKeyValueStoreBuilderWithHeaders}
 * then uses it as it is (no {@code PlainToHeadersStoreAdapter} or {@code TimestampedToHeadersStoreAdapter} converting
 * every value), and changelog restoration hands it records rebuilt in that format from the changelog record's value,
 * timestamp and headers. Costs, threads and failures: those of {@link BucketMapKeyValueStore}.
 */
public final class HeadersBucketMapKeyValueStore extends BucketMapKeyValueStore implements HeadersBytesStore {
    HeadersBucketMapKeyValueStore(String name, boolean ordered, String metricsScope, LocalCopy.Factory localCopy,
                                  TimeToLive ttl) {
        super(name, ordered, metricsScope, localCopy, ValueFormat.HEADERS, ttl);
    }
}
