package io.bucketmap.store;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.List;

/**
 * The condition of {@link RequiresKafkaStreams}: a test class or method runs when the running Kafka Streams
 * ({@link KafkaStreamsCompatibility#runsAtLeast}) satisfies every {@code @RequiresKafkaStreams} on it, present
 * directly, inherited or as the meta-annotation of one of its annotations (such as {@link KafkaStoreSuite.Copy}).
 * Without any it runs. A Kafka Streams whose jar carries no version fails the test rather than skipping it.
 */
final class RequiresKafkaStreamsCondition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return context.getElement().map(RequiresKafkaStreamsCondition::evaluate)
                .orElse(ConditionEvaluationResult.enabled("no annotated element"));
    }

    /** The result for a test class or method: disabled, with the versions found and needed, by the first unmet one. */
    static ConditionEvaluationResult evaluate(AnnotatedElement element) {
        String running = "Kafka Streams " + KafkaStreamsCompatibility.version();
        for (RequiresKafkaStreams required : requirements(element)) {
            String why = required.reason().isEmpty() ? "" : " (" + required.reason() + ")";
            if (!KafkaStreamsCompatibility.runsAtLeast(required.value())) {
                return ConditionEvaluationResult.disabled(
                        "needs Kafka Streams " + required.value() + " or newer" + why + "; this is " + running);
            }
            if (!required.before().isEmpty() && KafkaStreamsCompatibility.runsAtLeast(required.before())) {
                return ConditionEvaluationResult.disabled(
                        "runs only on Kafka Streams before " + required.before() + why + "; this is " + running);
            }
        }
        return ConditionEvaluationResult.enabled("runs on " + running);
    }

    private static List<RequiresKafkaStreams> requirements(AnnotatedElement element) {
        List<RequiresKafkaStreams> found = new ArrayList<>();
        for (Annotation annotation : element.getAnnotations()) {
            if (annotation instanceof RequiresKafkaStreams direct) {
                found.add(direct);
            } else {
                RequiresKafkaStreams meta = annotation.annotationType().getAnnotation(RequiresKafkaStreams.class);
                if (meta != null) {
                    found.add(meta);
                }
            }
        }
        return found;
    }
}
