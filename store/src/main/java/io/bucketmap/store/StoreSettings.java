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

    /** Whether {@code processing.guarantee} is {@code exactly_once_v2}. */
    static boolean exactlyOnce(Map<String, Object> appConfigs) {
        return StreamsConfig.EXACTLY_ONCE_V2.equals(String.valueOf(appConfigs.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)));
    }
}
