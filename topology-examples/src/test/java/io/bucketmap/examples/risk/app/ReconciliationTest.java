package io.bucketmap.examples.risk.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconciliationTest {

    private static final double PLANNED_SHARE = 0.3;

    private final GeneratorLedger ledger = new GeneratorLedger();

    ReconciliationTest() {
        ledger.eventIds.addAll(List.of("a", "b", "c"));
        ledger.decisions.set(2);
        ledger.inTimeDecisionIds.add("a");
        ledger.malformed.set(1);
        ledger.duplicates.set(1);
    }

    @Test
    void oneTerminalOutcomePerEventWithAllSideCountsMatchingIsReconciled() {
        Reconciliation result = Reconciliation.of(ledger,
            new TallyCounts(1, 2, 1, 1, 1, 0, Map.of("a", 1, "b", 1, "c", 1), Set.of("a")), PLANNED_SHARE);

        assertThat(result.reconciled()).isTrue();
        assertThat(result.summary()).contains("lost=0 duplicated=0").contains("RECONCILED");
    }

    @Test
    void anEventWithoutTerminalOutcomeIsLost() {
        Reconciliation result = Reconciliation.of(ledger,
            new TallyCounts(1, 1, 1, 1, 1, 0, Map.of("a", 1, "b", 1), Set.of("a")), PLANNED_SHARE);

        assertThat(result.lost()).isEqualTo(1);
        assertThat(result.reconciled()).isFalse();
        assertThat(result.summary()).contains("NOT RECONCILED");
    }

    @Test
    void aSecondTerminalOutcomeAndAnOutcomeForAnUnknownIdAreDuplicated() {
        Reconciliation result = Reconciliation.of(ledger,
            new TallyCounts(1, 4, 1, 1, 1, 0, Map.of("a", 2, "b", 1, "c", 1, "ghost", 1), Set.of("a")),
            PLANNED_SHARE);

        assertThat(result.duplicated()).isEqualTo(2);
        assertThat(result.reconciled()).isFalse();
    }

    @Test
    void aDecisionWithoutDecidedOrLateOutcomeFailsReconciliation() {
        Reconciliation result = Reconciliation.of(ledger,
            new TallyCounts(1, 2, 0, 1, 1, 0, Map.of("a", 1, "b", 1, "c", 1), Set.of("a")), PLANNED_SHARE);

        assertThat(result.decisionsAccountedFor()).isFalse();
        assertThat(result.reconciled()).isFalse();
    }

    @Test
    void aMissingDeadLetterFailsReconciliation() {
        Reconciliation result = Reconciliation.of(ledger,
            new TallyCounts(1, 2, 1, 1, 0, 0, Map.of("a", 1, "b", 1, "c", 1), Set.of("a")), PLANNED_SHARE);

        assertThat(result.reconciled()).isFalse();
    }

    @Test
    void theSummaryPrintsTheDecidedShareBesideTheExpectedAndThePlannedOnes() {
        Reconciliation result = Reconciliation.of(ledger,
            new TallyCounts(1, 2, 1, 1, 1, 0, Map.of("a", 1, "b", 1, "c", 1), Set.of("a")), PLANNED_SHARE);

        assertThat(result.summary()).contains("decided share 33.33%, expected 33.33% (1 events got a decision "
            + "stamped before their deadline; the options ask for 30.00%); against that plan: 0 decided, 0 timed out");
    }

    @Test
    void eventsWhoseOutcomeWentAgainstThePlanAreCountedButDoNotFailReconciliation() {
        Reconciliation result = Reconciliation.of(ledger,
            new TallyCounts(1, 2, 1, 1, 1, 0, Map.of("a", 1, "b", 1, "c", 1), Set.of("b")), PLANNED_SHARE);

        assertThat(result.decidedAgainstPlan()).isEqualTo(1);
        assertThat(result.timedOutAgainstPlan()).isEqualTo(1);
        assertThat(result.reconciled()).isTrue();
    }
}
