package io.bucketmap.examples.risk;

import static io.bucketmap.examples.risk.RiskDriver.TIMEOUT;
import static io.bucketmap.examples.risk.RiskDriver.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.bucketmap.store.BucketMapStores;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the topology does with each kind of input, on the default clock (event time): both eviction variants. How
 * deadlines are judged is specified in {@link EventTimeDeadlinesTest} and {@link WallClockDeadlinesTest}.
 */
class RiskTopologyTest {

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void aDecisionBeforeTheDeadlineGivesOneDecidedOutcomeAndEmptiesTheStore(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(variant)) {
            risk.sendEvent("e1");
            risk.advance(Duration.ofSeconds(5));
            risk.sendDecision("e1", Verdict.APPROVE);
            risk.goIdle();

            List<Outcome> outcomes = risk.readOutcomes();
            assertThat(outcomes).hasSize(1);
            assertThat(outcomes.get(0).kind()).isEqualTo(OutcomeKind.DECIDED);
            assertThat(outcomes.get(0).verdict()).isEqualTo(Verdict.APPROVE);
            assertThat(outcomes.get(0).event()).isEqualTo(RiskDriver.event(RiskDriver.START.toEpochMilli()));
            assertThat(risk.pendingCount()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void anEventWithoutDecisionTimesOutOnce(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(variant)) {
            risk.sendEvent("e1");
            risk.goIdle();
            risk.goIdle();

            List<Outcome> outcomes = risk.readOutcomes();
            assertThat(outcomes).extracting(Outcome::eventId, Outcome::kind)
                .containsExactly(tuple("e1", OutcomeKind.TIMED_OUT));
            assertThat(outcomes.get(0).deadline()).isEqualTo(RiskDriver.START.plus(TIMEOUT).toEpochMilli());
            assertThat(risk.pendingCount()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void aDecisionAtTheDeadlineGivesATimedOutThenALateDecisionOutcome(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(variant)) {
            risk.sendEvent("e1");
            risk.advance(TIMEOUT);
            risk.sendDecision("e1", Verdict.DECLINE);
            risk.goIdle();

            assertThat(risk.readOutcomes()).extracting(Outcome::kind, Outcome::verdict)
                .containsExactly(
                    tuple(OutcomeKind.TIMED_OUT, null),
                    tuple(OutcomeKind.LATE_DECISION, Verdict.DECLINE));
            assertThat(risk.pendingCount()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void aDecisionForAnEventNeverSeenGivesALateDecisionOutcome(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(variant)) {
            risk.sendDecision("ghost", Verdict.REVIEW);
            risk.goIdle();

            List<Outcome> outcomes = risk.readOutcomes();
            assertThat(outcomes).singleElement().satisfies(outcome -> {
                assertThat(outcome.kind()).isEqualTo(OutcomeKind.LATE_DECISION);
                assertThat(outcome.event()).isNull();
            });
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void aSecondDecisionForADecidedEventIsLateAndDoesNotDecideAgain(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(variant)) {
            risk.sendEvent("e1");
            risk.sendDecision("e1", Verdict.APPROVE);
            risk.sendDecision("e1", Verdict.DECLINE);
            risk.goIdle();

            assertThat(risk.readOutcomes()).extracting(Outcome::kind)
                .containsExactly(OutcomeKind.DECIDED, OutcomeKind.LATE_DECISION);
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void aDuplicateIdWhilePendingGetsADuplicateOutcomeAndTheFirstEventKeepsItsDeadline(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(variant)) {
            long firstTime = risk.now();
            risk.sendEvent("e1");
            risk.advance(Duration.ofSeconds(5));
            risk.sendEvent("e1");
            risk.goIdle();

            List<Outcome> outcomes = risk.readOutcomes();
            assertThat(outcomes).extracting(Outcome::kind)
                .containsExactly(OutcomeKind.DUPLICATE_EVENT, OutcomeKind.TIMED_OUT);
            assertThat(outcomes.get(1).event().eventTime()).isEqualTo(firstTime);
            assertThat(outcomes.get(1).deadline()).isEqualTo(firstTime + TIMEOUT.toMillis());
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void anIdIsFreeAgainOnceItsEventHasItsOutcome(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(variant)) {
            risk.sendEvent("e1");
            risk.advance(Duration.ofMillis(1));
            risk.sendDecision("e1", Verdict.APPROVE);
            risk.advance(Duration.ofMillis(1));
            risk.sendEvent("e1");
            risk.goIdle();

            assertThat(risk.readOutcomes()).extracting(Outcome::eventId, Outcome::kind)
                .containsExactly(tuple("e1", OutcomeKind.DECIDED), tuple("e1", OutcomeKind.TIMED_OUT));
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void malformedRecordsGoToTheDeadLetterTopicWithTheirReasonAndProcessingContinues(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(variant)) {
            risk.sendRawEvent(bytes("bad-json"), bytes("{not json"));
            risk.sendRawEvent(bytes("missing-field"), bytes("{\"account\":\"a\",\"amount\":1,\"type\":\"T\"}"));
            risk.sendRawEvent(bytes("negative"), bytes("{\"account\":\"a\",\"amount\":-1,\"type\":\"T\",\"eventTime\":5}"));
            risk.sendRawEvent(null, Json.write(RiskDriver.event(risk.now())));
            risk.sendRawEvent(new byte[] {(byte) 0xC3, (byte) 0x28}, Json.write(RiskDriver.event(risk.now())));
            risk.sendRawDecision(bytes("e1"), bytes("{\"verdict\":\"MAYBE\",\"decidedAt\":1}"));
            risk.sendRawDecision(bytes("e1"), null);
            risk.sendEvent("e1");
            risk.sendDecision("e1", Verdict.APPROVE);
            risk.goIdle();

            List<TestRecord<byte[], byte[]>> dead = risk.deadLetters.readRecordsToList();
            assertThat(dead).hasSize(7);
            assertThat(dead.get(0).value()).isEqualTo(bytes("{not json"));
            assertThat(reason(dead.get(0))).contains("RiskEvent");
            assertThat(reason(dead.get(1))).contains("eventTime");
            assertThat(reason(dead.get(2))).contains("amount");
            assertThat(reason(dead.get(3))).contains("missing event id");
            assertThat(reason(dead.get(4))).contains("not UTF-8");
            assertThat(reason(dead.get(5))).contains("Verdict");
            assertThat(reason(dead.get(6))).contains("missing value");
            assertThat(header(dead.get(5), DeadLetters.SOURCE_TOPIC_HEADER)).isEqualTo("risk-decisions");
            assertThat(risk.readOutcomes()).extracting(Outcome::kind).containsExactly(OutcomeKind.DECIDED);
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void onThePersistentBucketMapStoreEveryEventGetsExactlyOneOutcome(EvictionVariant variant) {
        RiskTopologyConfig config = RiskDriver.config(variant, BucketMapStores::persistentKeyValueStore,
            ExpiryClock.eventTime(RiskDriver.IDLE_FALLBACK));
        try (RiskDriver risk = new RiskDriver(config)) {
            risk.sendEvent("decided");
            risk.sendEvent("expired");
            risk.sendDecision("decided", Verdict.APPROVE);
            risk.goIdle();

            assertThat(risk.readOutcomes()).extracting(Outcome::eventId, Outcome::kind).containsExactlyInAnyOrder(
                tuple("decided", OutcomeKind.DECIDED), tuple("expired", OutcomeKind.TIMED_OUT));
            assertThat(risk.pendingCount()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionVariant.class)
    void everyRemovalFromThePendingStoreIsWrittenToItsChangelog(EvictionVariant variant) {
        try (RiskDriver risk = new RiskDriver(variant)) {
            risk.sendEvent("decided");
            risk.sendEvent("expired");
            risk.sendDecision("decided", Verdict.APPROVE);
            risk.goIdle();

            List<TestRecord<String, byte[]>> changelog = risk.driver.createOutputTopic(
                    "risk-test-" + EvictionVariant.PENDING_STORE + "-changelog", new StringDeserializer(),
                    new ByteArrayDeserializer())
                .readRecordsToList();
            assertThat(changelog).filteredOn(record -> record.value() == null)
                .extracting(TestRecord::key).containsExactlyInAnyOrder("decided", "expired");
            assertThat(risk.driver.<Bytes, byte[]>getKeyValueStore(EvictionVariant.PENDING_STORE)
                .approximateNumEntries()).isZero();
        }
    }

    private static String reason(TestRecord<byte[], byte[]> record) {
        return header(record, DeadLetters.REASON_HEADER);
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
