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
}
