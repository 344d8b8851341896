package io.bucketmap.store;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateStore;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What the Kafka Streams on the classpath offers that this library needs beyond Kafka Streams 4.0, the oldest
 * version it runs on. The library is compiled against one Kafka version and runs on whichever the application
 * brings; a feature it lacks must fail when the store is built, with a message naming the version it needs, and
 * never later with a {@link NoSuchMethodError} in the middle of a commit.
 *
 * <p>The one such feature is the managed-offset API of {@link StateStore} ({@code commit(Map)},
 * {@code committedOffset(TopicPartition)}, {@code managesOffsets()}), added in Kafka Streams 4.3: without it
 * Kafka Streams never hands the persistent store its changelog offsets, so its local copy could not say where the
 * restoration must start. The in-memory stores need nothing newer than 4.0 (before 4.3 Kafka Streams calls
 * {@code flush()} where it now calls {@code commit(Map)}; the store implements both).
 */
final class KafkaStreamsFeatures {
    /** The Kafka Streams version the persistent store needs at least. */
    static final String PERSISTENT_STORE_MINIMUM = "4.3";

    private static final boolean MANAGED_OFFSETS = declares(StateStore.class, "committedOffset", TopicPartition.class);

    private KafkaStreamsFeatures() {
    }

    /**
     * Fails unless the Kafka Streams on the classpath lets a store manage its changelog offsets (4.3 and newer).
     * O(1): the answer is found once per class loader.
     *
     * @throws UnsupportedOperationException naming the store, the version found and the version needed
     */
    static void requireManagedOffsets(String storeName) {
        if (!MANAGED_OFFSETS) {
            throw new UnsupportedOperationException("The persistent bucket-map store " + storeName + " needs Kafka"
                    + " Streams " + PERSISTENT_STORE_MINIMUM + " or newer (it keeps its changelog offsets through"
                    + " StateStore.commit(Map), added in 4.3), but this application runs Kafka Streams "
                    + version() + ". Upgrade Kafka Streams to " + PERSISTENT_STORE_MINIMUM
                    + " or newer, or use the in-memory BucketMapStores.keyValueStore, which runs on 4.0 and newer.");
        }
    }

    /**
     * The version of the Kafka Streams on the classpath, from the {@code kafka/kafka-streams-version.properties} its
     * jar carries (Kafka's own {@code AppInfoParser} moved package in 4.4), or "(unknown version)".
     */
    static String version() {
        try (InputStream in = StateStore.class.getResourceAsStream("/kafka/kafka-streams-version.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version", "(unknown version)");
            }
        } catch (IOException unreadable) {
            // the version only makes the message more precise
        }
        return "(unknown version)";
    }

    private static boolean declares(Class<?> type, String method, Class<?>... parameterTypes) {
        try {
            type.getMethod(method, parameterTypes);
            return true;
        } catch (NoSuchMethodException absent) {
            return false;
        }
    }
}
