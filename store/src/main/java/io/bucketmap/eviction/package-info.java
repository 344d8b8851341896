/**
 * Timeout eviction: "keep this until it is completed or its deadline passes" on top of two Kafka Streams
 * key-value stores, with each punctuation costing O(expired) rather than O(store).
 *
 * <p>{@link io.bucketmap.eviction.DeadlineTracker} is the API a processor uses;
 * {@link io.bucketmap.eviction.DeadlineTrackerStores} builds and names the two stores it needs. The package
 * depends only on Kafka Streams' public API, so it works on any ordered {@code KeyValueBytesStoreSupplier}
 * (this library's, Kafka's in-memory or RocksDB stores).
 */
package io.bucketmap.eviction;
