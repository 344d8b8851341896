package io.bucketmap.it;

import io.bucketmap.examples.risk.Decision;
import io.bucketmap.examples.risk.Json;
import io.bucketmap.examples.risk.Outcome;
import io.bucketmap.examples.risk.OutcomeKind;
import io.bucketmap.examples.risk.RiskEvent;
import io.bucketmap.examples.risk.RiskTopics;
import io.bucketmap.examples.risk.RiskTopology;
import io.bucketmap.examples.risk.Verdict;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.header.internals.RecordHeader;

/** Input records for the risk example and its outcomes read back, for the tests that run the risk topology. */
final class RiskRecords {

    private RiskRecords() {
    }

    /** An event {@code id} that happened at {@code eventTime}; its record timestamp is the event time too. */
    static ProducerRecord<byte[], byte[]> event(RiskTopics topics, String id, long eventTime) {
        RiskEvent event = new RiskEvent("acct-" + Math.floorMod(id.hashCode(), 1_000), BigDecimal.valueOf(1_999, 2),
            "CARD_PAYMENT", eventTime);
        return new ProducerRecord<>(topics.events(), null, eventTime, bytes(id), Json.write(event));
    }

    /** An APPROVE decision for event {@code id}, decided at {@code decidedAt}. */
    static ProducerRecord<byte[], byte[]> decision(RiskTopics topics, String id, long decidedAt) {
        return new ProducerRecord<>(topics.decisions(), null, decidedAt, bytes(id),
            Json.write(new Decision(Verdict.APPROVE, decidedAt)));
    }

    /**
     * A clock record for partition 0 of the decisions topic, stamped {@code time}: under event time it tells the
     * application that no decision stamped earlier will follow, so events up to {@code time} need not wait for one.
     */
    static ProducerRecord<byte[], byte[]> decisionsClock(RiskTopics topics, long time) {
        return new ProducerRecord<>(topics.decisions(), 0, time, null, null,
            List.of(new RecordHeader(RiskTopology.CLOCK_HEADER, new byte[0])));
    }

    /**
     * The outcome topic read to its end with {@code isolation.level=read_committed}: per event id, the kinds
     * of outcome in the order written. Only committed transactions count, as for any downstream consumer.
     */
    static Map<String, List<OutcomeKind>> committedOutcomes(TestCluster cluster, RiskTopics topics) {
        Map<String, List<OutcomeKind>> byId = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record
            : cluster.readToEnd(topics.outcomes(), IsolationLevel.READ_COMMITTED)) {
            Outcome outcome = Json.read(record.value(), Outcome.class);
            byId.computeIfAbsent(outcome.eventId(), id -> new ArrayList<>()).add(outcome.kind());
        }
        return byId;
    }

    /** The DECIDED or TIMED_OUT outcomes among {@code kinds}: each accepted event must end with exactly one. */
    static long terminal(List<OutcomeKind> kinds) {
        return kinds == null ? 0 : kinds.stream()
            .filter(kind -> kind == OutcomeKind.DECIDED || kind == OutcomeKind.TIMED_OUT).count();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
