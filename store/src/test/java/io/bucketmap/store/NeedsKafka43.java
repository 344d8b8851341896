package io.bucketmap.store;

import org.junit.jupiter.api.condition.DisabledIf;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test of the persistent store, which needs the managed-offset API of Kafka Streams 4.3
 * ({@code StateStore.commit(Map)}, {@code committedOffset}, {@code managesOffsets}). Under the compatibility matrix
 * ({@code -Dkafka.compat=4.0}, 4.1, 4.2) such a test is reported as skipped with that reason; there
 * {@link PersistentStoreOnOldKafkaTest} checks that the store refuses to be built instead.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@DisabledIf(value = "io.bucketmap.store.TestedKafkaStreams#before43",
        disabledReason = "the persistent store needs Kafka Streams 4.3 (StateStore.commit(Map)); this one is older")
public @interface NeedsKafka43 {
}
