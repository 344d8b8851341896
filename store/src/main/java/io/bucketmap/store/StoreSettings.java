package io.bucketmap.store;

import org.apache.kafka.streams.StreamsConfig;

import java.util.Map;

/**
 * The application settings that change what a store does, read from {@code StateStoreContext.appConfigs()} (values
 * may be strings or typed, as given). The config names are compile-time constants, so reading them needs no class of
 * Kafka Streams 4.4 at run time: the settings read as off on a Kafka without them.
 */
final class StoreSettings {
    private StoreSettings() {
    }

    /** Kafka Streams 4.4's {@code enable.transactional.statestores}; false when absent. */
    static boolean transactionalStateStores(Map<String, Object> appConfigs) {
        return Boolean.parseBoolean(String.valueOf(appConfigs.get(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG)));
    }

    /** Whether {@code processing.guarantee} is {@code exactly_once_v2}. */
    static boolean exactlyOnce(Map<String, Object> appConfigs) {
        return StreamsConfig.EXACTLY_ONCE_V2.equals(String.valueOf(appConfigs.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)));
    }
}
