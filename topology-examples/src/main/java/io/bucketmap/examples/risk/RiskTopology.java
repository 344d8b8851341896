package io.bucketmap.examples.risk;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The risk-event timeout topology (Processor API):
 * <pre>
 *   risk-events    --+--&gt; risk --+--&gt; risk-outcomes      (DECIDED, TIMED_OUT, LATE_DECISION, DUPLICATE_EVENT)
 *   risk-decisions --+           +--&gt; risk-dead-letters  (malformed input, unchanged, with a reason header)
 * </pre>
 * One processor ({@link RiskProcessor}) reads both inputs, so events and decisions of one id meet in one task (the
 * topics must be co-partitioned), with the pending-event stores of the configured {@link EvictionVariant} and, for
 * event time, the {@link TimestampOrder} buffer. Records with the {@value #CLOCK_HEADER} header only move their input's
 * time. Every accepted event ends with exactly one DECIDED or TIMED_OUT
 * outcome when the application runs with {@code exactly_once_v2}: store changes (changelogged through the outer
 * stores) and outcomes commit together.
 */
public final class RiskTopology {

    /**
     * A record with this header, on either input, is a clock record: it says its input will send nothing stamped
     * earlier and has no other effect (see {@link ExpiryClock#eventTime}).
     */
    public static final String CLOCK_HEADER = "risk-clock";

    static final String OUTCOMES_SINK = "outcomes";
    static final String DEAD_LETTERS_SINK = "dead-letters";
    private static final String EVENTS_SOURCE = "events-source";
    private static final String DECISIONS_SOURCE = "decisions-source";
    private static final String RISK = "risk";

    private RiskTopology() {
    }

    /**
     * Builds the topology. Cost O(1); the result is not shared, build one per {@code KafkaStreams}.
     *
     * @throws IllegalArgumentException if the store suppliers make a hash-order store where an ordered one is needed
     */
    public static Topology build(RiskTopologyConfig config) {
        RiskTopics topics = config.topics();
        ByteArrayDeserializer raw = new ByteArrayDeserializer();
        Topology topology = new Topology()
            .addSource(EVENTS_SOURCE, raw, raw, topics.events())
            .addSource(DECISIONS_SOURCE, raw, raw, topics.decisions())
            .addProcessor(RISK, () -> new RiskProcessor(config), EVENTS_SOURCE, DECISIONS_SOURCE)
            .addSink(OUTCOMES_SINK, topics.outcomes(), new StringSerializer(),
                Json.serde(Outcome.class).serializer(), RISK)
            .addSink(DEAD_LETTERS_SINK, topics.deadLetters(), new ByteArraySerializer(), new ByteArraySerializer(),
                RISK);
        List<StoreBuilder<KeyValueStore<Bytes, byte[]>>> stores =
            new ArrayList<>(config.variant().storeBuilders(config.storeSuppliers()));
        if (config.expiryClock() instanceof ExpiryClock.EventTime) {
            stores.add(TimestampOrder.storeBuilder(config.storeSuppliers()));
        }
        for (StoreBuilder<KeyValueStore<Bytes, byte[]>> store : stores) {
            topology.addStateStore(store, RISK);
        }
        return topology;
    }
}
