package io.bucketmap.examples.risk.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The main job against its embedded broker, shortened: a few seconds of input, both eviction variants. */
class RiskExampleEndToEndTest {

    @ParameterizedTest
    @ValueSource(strings = {"index", "scan"})
    void aShortRunOnTheEmbeddedBrokerReconcilesEveryEventToExactlyOneOutcome(String variant) throws Exception {
        // The timeout must exceed the application's start-up lag: a duplicate is sent right after its original, but
        // if the original already expired when it arrives, the wall-clock punctuation may time it out between the
        // two records, and the copy then starts a second life (an id is free again after its outcome).
        ExampleOptions options = ExampleOptions.parse("--duration-s", "2", "--rate", "500", "--timeout-ms", "3000",
            "--decision-delay-ms", "1200", "--malformed", "6", "--duplicates", "3", "--variant", variant);

        assertThat(new RiskExampleMain(options).run()).isTrue();
    }
}
