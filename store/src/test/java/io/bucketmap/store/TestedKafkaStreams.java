package io.bucketmap.store;

import org.apache.kafka.streams.processor.StateStore;

import java.util.Map;

/** What the Kafka Streams on the test classpath is; the compatibility matrix swaps it (see {@link NeedsKafka43}). */
final class TestedKafkaStreams {
    private TestedKafkaStreams() {
    }

    /** Whether it predates 4.3: its {@link StateStore} has no {@code commit(Map)}. Found independently of the store. */
    static boolean before43() {
        try {
            StateStore.class.getMethod("commit", Map.class);
            return false;
        } catch (NoSuchMethodException absent) {
            return true;
        }
    }

    /**
     * Whether it predates 4.4: its {@link StateStore} has no {@code approximateNumUncommittedBytes()} (and its IQv2 has
     * no header-aware queries). Found independently of the store.
     */
    static boolean before44() {
        try {
            StateStore.class.getMethod("approximateNumUncommittedBytes");
            return false;
        } catch (NoSuchMethodException absent) {
            return true;
        }
    }
}
