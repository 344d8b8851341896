package io.bucketmap.examples.risk.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EventGeneratorTest {

    @Test
    void theDefaultsAskForDecisionsOnFourFifthsOfTheEventsTwoThirdsOfThemBeforeTheDeadline() {
        double notDuplicated = 1 - 10.0 / 30_000;
        double inTime = 2_000.0 / 3_001;

        assertThat(EventGenerator.plannedDecidedShare(ExampleOptions.parse()))
            .isCloseTo(notDuplicated * 0.8 * inTime, within(1e-12));
    }

    @Test
    void aTimeoutLongerThanEveryDelayAsksForEveryDecisionToCount() {
        ExampleOptions options = ExampleOptions.parse("--duplicates", "0", "--decision-ratio", "0.5",
            "--decision-delay-ms", "100", "--timeout-ms", "5000");

        assertThat(EventGenerator.plannedDecidedShare(options)).isEqualTo(0.5);
    }

    @Test
    void moreDuplicatesThanEveryOtherEventAreCappedAtEveryOtherEvent() {
        ExampleOptions options = ExampleOptions.parse("--rate", "10", "--duration-s", "1", "--duplicates", "100",
            "--decision-ratio", "1", "--timeout-ms", "5000");

        assertThat(EventGenerator.plannedDecidedShare(options)).isEqualTo(0.5);
    }
}
