package io.bucketmap.examples.risk;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketmap.store.BucketMapStores;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The all()-scan variant on the bucket-map store with a scan that runs while the table changes size under
 * it: new events arrive until the table is growing, then one punctuation deletes 100,000 entries while its
 * iterator is open, which finishes the growth and shrinks the table. The store's own metrics show both.
 */
class LargeExpiryTest {

    private static final int EXPIRING = 100_000;
    private static final int MAX_ARRIVING = 200_000;

    @Test
    void oneStoreScanExpiresAHundredThousandPendingEventsExactlyOnceWhileTheTableGrowsAndShrinks() {
        RiskTopologyConfig config = RiskDriver.config(EvictionVariant.STORE_SCAN, BucketMapStores::keyValueStore,
            ExpiryClock.wallClock());
        try (RiskDriver risk = new RiskDriver(config)) {
            for (int i = 0; i < EXPIRING; i++) {
                risk.sendEvent("old-" + i);
            }
            risk.advance(RiskDriver.TIMEOUT.minusMillis(1));
            int arriving = 0;
            while (arriving < 1_000 || pendingStoreMetric(risk, "growth-in-progress") == 0) {
                assertThat(arriving).as("new events until the table grows").isLessThan(MAX_ARRIVING);
                risk.sendEvent("new-" + arriving++);
            }
            double bucketsBeforeScan = pendingStoreMetric(risk, "num-buckets");

            risk.advance(Duration.ofMillis(1));

            assertThat(pendingStoreMetric(risk, "num-buckets")).isLessThan(bucketsBeforeScan);
            List<Outcome> expired = risk.readOutcomes();
            assertThat(expired).allMatch(outcome -> outcome.kind() == OutcomeKind.TIMED_OUT);
            assertThat(expired.stream().map(Outcome::eventId).collect(Collectors.toSet()))
                .hasSize(EXPIRING)
                .allMatch(id -> id.startsWith("old-"));
            assertThat(expired).hasSize(EXPIRING);
            assertThat(risk.pendingCount()).isEqualTo(arriving);

            for (int i = 0; i < arriving; i += 2) {
                risk.sendDecision("new-" + i, Verdict.APPROVE);
            }
            risk.advance(RiskDriver.TIMEOUT);

            List<Outcome> rest = risk.readOutcomes();
            int decided = (arriving + 1) / 2;
            assertThat(rest).filteredOn(outcome -> outcome.kind() == OutcomeKind.DECIDED).hasSize(decided);
            assertThat(rest).filteredOn(outcome -> outcome.kind() == OutcomeKind.TIMED_OUT)
                .hasSize(arriving - decided);
            assertThat(rest.stream().map(Outcome::eventId).distinct()).hasSize(arriving);
            assertThat(risk.pendingCount()).isZero();
        }
    }

    /** A bucket-map metric of the pending store (one task in the driver). */
    private static double pendingStoreMetric(RiskDriver risk, String name) {
        return risk.driver.metrics().entrySet().stream()
            .filter(entry -> entry.getKey().name().equals(name)
                && EvictionVariant.PENDING_STORE.equals(entry.getKey().tags().get("bucketmap-state-id")))
            .mapToDouble(entry -> ((Number) entry.getValue().metricValue()).doubleValue())
            .findFirst()
            .orElseThrow(() -> new AssertionError("no bucket-map metric " + name));
    }
}
