package io.bucketmap.examples.risk.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The main job against its embedded broker, shortened: a few seconds of input, both eviction variants. */
class RiskExampleEndToEndTest {

    @ParameterizedTest
    @ValueSource(strings = {"index", "scan"})
    void aShortRunOnTheEmbeddedBrokerReconcilesEveryEventToExactlyOneOutcome(String variant) throws Exception {
        ExampleOptions options = ExampleOptions.parse("--duration-s", "2", "--rate", "500", "--timeout-ms", "800",
            "--decision-delay-ms", "1200", "--malformed", "6", "--duplicates", "3", "--variant", variant);

        assertThat(new RiskExampleMain(options).run()).isTrue();
    }
}
