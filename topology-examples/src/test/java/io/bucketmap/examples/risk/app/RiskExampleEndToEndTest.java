package io.bucketmap.examples.risk.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The main job against its embedded broker, shortened: a few seconds of input, both eviction variants. */
class RiskExampleEndToEndTest {

    @ParameterizedTest
    @ValueSource(strings = {"index", "scan"})
    void aShortRunReconcilesEveryEventToOneOutcomeAndDecidesTheEventsThePlanMeantToBeDecided(String variant)
        throws Exception {
        ExampleOptions options = ExampleOptions.parse("--duration-s", "2", "--rate", "500", "--timeout-ms", "1000",
            "--decision-delay-ms", "1500", "--malformed", "6", "--duplicates", "3", "--variant", variant);

        Reconciliation result = new RiskExampleMain(options).run().orElseThrow();

        assertThat(result.reconciled()).isTrue();
        assertThat(result.expectedDecided()).isPositive().isLessThan(result.events());
        // Event time makes every outcome the plan's, whatever the machine's load.
        assertThat(result.decidedAgainstPlan()).isZero();
        assertThat(result.timedOutAgainstPlan()).isZero();
    }
}
