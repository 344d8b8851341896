package io.bucketmap.store;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated test class or method only on the Kafka Streams versions it is written for, and reports it
 * skipped, with the version found and the version needed, on the others. The compatibility matrix runs every test on
 * every Kafka Streams minor (see {@code store/pom.xml}); what needs which version is in
 * {@link KafkaStreamsCompatibility}, whose version this asks ({@link RequiresKafkaStreamsCondition}). It may also
 * annotate an annotation that states a rule once ({@link KafkaStoreSuite}); every one present must hold.
 *
 * <p>JUnit reads the signatures of a test class's own methods and fields on every Kafka Streams before it evaluates
 * this condition, so a type that an older Kafka Streams lacks may appear in method bodies and nested classes, never
 * in those signatures: there it fails the discovery of the whole run with a {@link NoClassDefFoundError}.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RequiresKafkaStreamsCondition.class)
public @interface RequiresKafkaStreams {
    /** The oldest Kafka Streams minor the test runs on, such as "4.3". */
    String value();

    /** The first Kafka Streams minor the test no longer runs on, such as "4.3"; empty (the default) for none. */
    String before() default "";

    /** Why, for the skip report, when the version alone does not say it; empty (the default) for nothing more. */
    String reason() default "";
}
