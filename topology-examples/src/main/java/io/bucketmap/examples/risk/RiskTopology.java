package io.bucketmap.examples.risk;

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
 *   risk-events    --&gt; events    --+--&gt; risk-outcomes      (DECIDED, TIMED_OUT, LATE_DECISION, DUPLICATE_EVENT)
 *   risk-decisions --&gt; decisions --+--&gt; risk-dead-letters  (malformed input, unchanged, with a reason header)
 * </pre>
 * Both processors share the pending-event stores of the configured {@link EvictionVariant}, so events and
 * decisions are handled in one task per partition, and that task's stream time advances with both inputs; the
 * events processor runs the expiry punctuation of the configured {@link ExpiryClock}. Every
 * accepted event ends with exactly one DECIDED or TIMED_OUT outcome when the application runs with
 * {@code exactly_once_v2}: store changes (changelogged through the outer stores) and outcomes commit together.
 */
public final class RiskTopology {

    static final String OUTCOMES_SINK = "outcomes";
    static final String DEAD_LETTERS_SINK = "dead-letters";
    private static final String EVENTS_SOURCE = "events-source";
    private static final String DECISIONS_SOURCE = "decisions-source";
    private static final String EVENTS = "events";
    private static final String DECISIONS = "decisions";

    private RiskTopology() {
    }

    /** Builds the topology. Cost O(1); the result is not shared, build one per {@code KafkaStreams}. */
    public static Topology build(RiskTopologyConfig config) {
        RiskTopics topics = config.topics();
        ByteArrayDeserializer raw = new ByteArrayDeserializer();
        Topology topology = new Topology()
            .addSource(EVENTS_SOURCE, raw, raw, topics.events())
            .addSource(DECISIONS_SOURCE, raw, raw, topics.decisions())
            .addProcessor(EVENTS, () -> new EventProcessor(config), EVENTS_SOURCE)
            .addProcessor(DECISIONS, () -> new DecisionProcessor(config), DECISIONS_SOURCE)
            .addSink(OUTCOMES_SINK, topics.outcomes(), new StringSerializer(),
                Json.serde(Outcome.class).serializer(), EVENTS, DECISIONS)
            .addSink(DEAD_LETTERS_SINK, topics.deadLetters(), new ByteArraySerializer(), new ByteArraySerializer(),
                EVENTS, DECISIONS);
        for (StoreBuilder<KeyValueStore<Bytes, byte[]>> store : config.variant().storeBuilders(config.storeSuppliers())) {
            topology.addStateStore(store, EVENTS, DECISIONS);
        }
        return topology;
    }
}
