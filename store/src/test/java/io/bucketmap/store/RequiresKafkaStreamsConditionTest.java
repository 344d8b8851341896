package io.bucketmap.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RequiresKafkaStreams} on sample methods whose versions hold or fail on any Kafka Streams of the matrix (every
 * one is 4.0 or newer and older than 99.0).
 */
class RequiresKafkaStreamsConditionTest {
    private static final String RUNNING = "this is Kafka Streams " + KafkaStreamsCompatibility.version();

    @Test
    void aTestWithoutTheAnnotationRuns() {
        assertThat(evaluate("unannotated").isDisabled()).isFalse();
    }

    @Test
    void aTestNeedingAnOlderOrEqualVersionRuns() {
        assertThat(evaluate("needsOldest").isDisabled()).isFalse();
    }

    @Test
    void aTestNeedingANewerVersionIsSkippedNamingTheVersionNeededAndTheVersionFound() {
        ConditionEvaluationResult result = evaluate("needsFuture");

        assertThat(result.isDisabled()).isTrue();
        assertThat(result.getReason()).hasValue("needs Kafka Streams 99.0 or newer; " + RUNNING);
    }

    @Test
    void aTestForOlderVersionsOnlyIsSkippedFromItsBoundOn() {
        ConditionEvaluationResult result = evaluate("onlyBeforeOldest");

        assertThat(result.isDisabled()).isTrue();
        assertThat(result.getReason()).hasValue("runs only on Kafka Streams before 4.0 (a reason); " + RUNNING);
    }

    @Test
    void aTestBelowItsUpperBoundRuns() {
        assertThat(evaluate("onlyBeforeFuture").isDisabled()).isFalse();
    }

    @Test
    void everyRequirementMustHoldWhetherDirectOrThroughAnotherAnnotation() {
        ConditionEvaluationResult result = evaluate("needsOldestAndFutureThroughMeta");

        assertThat(result.isDisabled()).isTrue();
        assertThat(result.getReason()).hasValue("needs Kafka Streams 99.0 or newer (the meta rule); " + RUNNING);
    }

    @Test
    void aMalformedVersionFailsInsteadOfSkipping() {
        assertThatThrownBy(() -> evaluate("malformed"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("four.three");
    }

    private static ConditionEvaluationResult evaluate(String sample) {
        try {
            return RequiresKafkaStreamsCondition.evaluate(Samples.class.getDeclaredMethod(sample));
        } catch (NoSuchMethodException missing) {
            throw new AssertionError(missing);
        }
    }

    @Retention(RetentionPolicy.RUNTIME)
    @RequiresKafkaStreams(value = "99.0", reason = "the meta rule")
    private @interface NeedsFuture {
    }

    @SuppressWarnings("unused") // read by reflection
    private static final class Samples {
        void unannotated() {
        }

        @RequiresKafkaStreams("4.0")
        void needsOldest() {
        }

        @RequiresKafkaStreams("99.0")
        void needsFuture() {
        }

        @RequiresKafkaStreams(value = "3.0", before = "4.0", reason = "a reason")
        void onlyBeforeOldest() {
        }

        @RequiresKafkaStreams(value = "4.0", before = "99.0")
        void onlyBeforeFuture() {
        }

        @RequiresKafkaStreams("4.0")
        @NeedsFuture
        void needsOldestAndFutureThroughMeta() {
        }

        @RequiresKafkaStreams("four.three")
        void malformed() {
        }
    }
}
