package io.bucketmap.store;

import org.apache.kafka.streams.StreamsConfig;

import java.util.Map;

/**
 * The application settings that change what a store does, read from {@code StateStoreContext.appConfigs()} (values
 * may be strings or typed, as given). The config names are compile-time constants, so reading them loads no class
 * that an older Kafka Streams lacks; a setting of a feature the running Kafka Streams does not have reads as off
 * ({@link KafkaStreamsCompatibility}). O(1) each; any thread.
 */
final class StoreSettings {
    /** Kafka Streams' default {@code statestore.cache.max.bytes}. */
    private static final long DEFAULT_CACHE_BYTES = 10L * 1024 * 1024;

    private StoreSettings() {
    }

    /**
     * {@code enable.transactional.statestores}: false when absent, and false whatever its value on a Kafka Streams
     * without {@link KafkaStreamsCompatibility.Feature#TRANSACTIONAL_STATE_STORES}: such a Kafka Streams hands the
     * setting to the store but neither asks it for committed reads nor bounds its uncommitted bytes, so an undo record
     * would only grow, and a query would call {@code QueryConfig.getIsolationLevel()}, which it lacks.
     */
    static boolean transactionalStateStores(Map<String, Object> appConfigs) {
        Object setting = appConfigs.get(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG);
        return KafkaStreamsCompatibility.Feature.TRANSACTIONAL_STATE_STORES.isPresent()
                && Boolean.parseBoolean(String.valueOf(setting));
    }

    /**
     * Whether Kafka Streams' record cache has room: {@code statestore.cache.max.bytes} (10 MB by default), or the
     * deprecated {@code cache.max.bytes.buffering} where only that one is set to 0, is above 0. A cache of 0 bytes
     * evicts every entry as it is put, so reads reach the store.
     */
    @SuppressWarnings("deprecation") // cache.max.bytes.buffering is still read by Kafka Streams 4.4
    static boolean storeCacheHasRoom(Map<String, Object> appConfigs) {
        long cacheBytes = longSetting(appConfigs, StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, DEFAULT_CACHE_BYTES);
        long deprecatedCacheBytes = longSetting(appConfigs, StreamsConfig.CACHE_MAX_BYTES_BUFFERING_CONFIG,
                DEFAULT_CACHE_BYTES);
        return cacheBytes > 0 && !(cacheBytes == DEFAULT_CACHE_BYTES && deprecatedCacheBytes == 0);
    }

    /** Whether {@code processing.guarantee} is {@code exactly_once_v2}. */
    static boolean exactlyOnce(Map<String, Object> appConfigs) {
        return StreamsConfig.EXACTLY_ONCE_V2.equals(String.valueOf(appConfigs.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)));
    }

    private static long longSetting(Map<String, Object> appConfigs, String name, long absent) {
        Object value = appConfigs.get(name);
        return value == null ? absent : Long.parseLong(String.valueOf(value).trim());
    }
}
