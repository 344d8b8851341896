package io.bucketmap.store;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Which source of Kafka's own key-value store suite ({@code AbstractKeyValueStoreTest}) runs on which Kafka Streams,
 * in one place. Kafka's test jar (classes under {@code kafkajar}) runs on the minors whose test jar links against
 * them; the copy of its sources (under {@code kafkasuite}, extended by the {@code *KafkaSuiteTest} classes) is
 * compiled against the project's Kafka internals and runs from {@link #COPY_FROM} on, where Kafka publishes no test
 * jar and the 4.3 one no longer links (4.4 moved {@code LogContext} into {@code utils.internals}). Each Kafka Streams
 * of the matrix runs exactly one of the two; the other is reported skipped with this reason.
 */
public final class KafkaStoreSuite {
    /** The first Kafka Streams minor that runs the copy, and the first that Kafka's test jar does not run on. */
    static final String COPY_FROM = "4.4";

    private KafkaStoreSuite() {
    }

    /** Marks a test class that extends the copy of Kafka's suite under {@code kafkasuite}. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @RequiresKafkaStreams(value = COPY_FROM,
            reason = "the copy of Kafka's store suite is compiled against 4.4 internals; Kafka's test jar runs instead")
    public @interface Copy {
    }

    /** Marks a test class that extends {@code AbstractKeyValueStoreTest} from Kafka's own test jar. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @RequiresKafkaStreams(value = "4.0", before = COPY_FROM,
            reason = "Kafka publishes no 4.4 test jar and the 4.3 one does not link against 4.4; the copy runs instead")
    public @interface TestJar {
    }
}
