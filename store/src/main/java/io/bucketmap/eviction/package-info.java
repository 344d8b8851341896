/**
 * Timeout eviction: "keep this until it is completed or its deadline passes" on top of two Kafka Streams
 * key-value stores, with each punctuation costing O(expired) rather than O(store).
 *
 * <p>{@link io.bucketmap.eviction.DeadlineTracker} is the API a processor uses;
 * {@link io.bucketmap.eviction.DeadlineTrackerStores} builds and names the two stores it needs. The tracker
 * uses only Kafka Streams' public store API, so it works on any key-value stores whose deadline index is ordered
 * (this library's, Kafka's in-memory or RocksDB stores); {@code DeadlineTrackerStores.bucketMapStoreBuilders}
 * picks this library's fastest pair.
 */
package io.bucketmap.eviction;
