package io.bucketmap.examples.risk;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketmap.store.BucketMapStores;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.streams.processor.PunctuationType;
import org.junit.jupiter.api.Test;

/**
 * The all()-scan variant on the bucket-map store with a scan large enough to span growth and shrinking: the
 * punctuation deletes 100,000 entries while its iterator is open, which shrinks the table under it.
 */
class LargeExpiryTest {

    private static final int EXPIRING = 100_000;
    private static final int ARRIVING = 20_000;

    @Test
    void oneStoreScanExpiresAHundredThousandPendingEventsExactlyOnceWhileNewerEventsStayPending() {
        RiskTopologyConfig config = RiskDriver.config(EvictionVariant.STORE_SCAN, BucketMapStores::keyValueStore,
            PunctuationType.WALL_CLOCK_TIME);
        try (RiskDriver risk = new RiskDriver(config)) {
            for (int i = 0; i < EXPIRING; i++) {
                risk.sendEvent("old-" + i);
            }
            // New events arrive right up to the punctuation: the table is still growing when the scan starts.
            risk.advance(RiskDriver.TIMEOUT.minusMillis(1));
            for (int i = 0; i < ARRIVING; i++) {
                risk.sendEvent("new-" + i);
            }
            assertThat(risk.pendingCount()).isEqualTo(EXPIRING + ARRIVING);

            risk.advance(Duration.ofMillis(1));

            List<Outcome> expired = risk.readOutcomes();
            assertThat(expired).allMatch(outcome -> outcome.kind() == OutcomeKind.TIMED_OUT);
            assertThat(expired.stream().map(Outcome::eventId).collect(Collectors.toSet()))
                .hasSize(EXPIRING)
                .allMatch(id -> id.startsWith("old-"));
            assertThat(expired).hasSize(EXPIRING);
            assertThat(risk.pendingCount()).isEqualTo(ARRIVING);

            for (int i = 0; i < ARRIVING; i += 2) {
                risk.sendDecision("new-" + i, Verdict.APPROVE);
            }
            risk.advance(RiskDriver.TIMEOUT);

            List<Outcome> rest = risk.readOutcomes();
            assertThat(rest).filteredOn(outcome -> outcome.kind() == OutcomeKind.DECIDED).hasSize(ARRIVING / 2);
            assertThat(rest).filteredOn(outcome -> outcome.kind() == OutcomeKind.TIMED_OUT).hasSize(ARRIVING / 2);
            assertThat(rest.stream().map(Outcome::eventId).distinct()).hasSize(ARRIVING);
            assertThat(risk.pendingCount()).isZero();
        }
    }
}
