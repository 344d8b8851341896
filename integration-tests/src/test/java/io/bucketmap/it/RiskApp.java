package io.bucketmap.it;

import io.bucketmap.examples.risk.EvictionVariant;
import io.bucketmap.examples.risk.ExpiryClock;
import io.bucketmap.examples.risk.RiskTopics;
import io.bucketmap.examples.risk.RiskTopologyConfig;
import io.bucketmap.store.BucketMapStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;

/**
 * The risk-event example as the integration tests run it, in this JVM or in a child JVM
 * ({@link RiskAppProcess}): deadline-index eviction on bucket-map stores, expiry every 100 ms of the given
 * clock, {@code exactly_once_v2}, and the short timeouts of {@link StreamsApps}.
 */
final class RiskApp {

    /**
     * Event time: longer than any test runs, so the wall clock never expires an event in them; a test without
     * decisions sends clock records to the decisions topic ({@link RiskRecords#decisionsClock}) instead.
     */
    private static final Duration NO_FALLBACK_IN_A_TEST = Duration.ofHours(1);

    private RiskApp() {
    }

    /**
     * @param expiryClock {@code WALL_CLOCK_TIME} to time events out while input pauses ({@link ExpiryClock#wallClock});
     *                    {@code STREAM_TIME} to expire them exactly when a record with a later timestamp arrives
     *                    ({@link ExpiryClock#eventTime} with an idle fallback of {@link #NO_FALLBACK_IN_A_TEST})
     */
    static RiskTopologyConfig config(RiskTopics topics, Duration eventTimeout, PunctuationType expiryClock) {
        ExpiryClock clock = expiryClock == PunctuationType.WALL_CLOCK_TIME
            ? ExpiryClock.wallClock()
            : ExpiryClock.eventTime(NO_FALLBACK_IN_A_TEST);
        return new RiskTopologyConfig(EvictionVariant.DEADLINE_INDEX, BucketMapStores::keyValueStore, eventTimeout,
            clock, Duration.ofMillis(100), topics);
    }

    static Properties properties(String bootstrapServers, String applicationId, Path stateDir, int standbyReplicas) {
        return properties(bootstrapServers, applicationId, stateDir, standbyReplicas, false);
    }

    /** As above, with {@code enable.transactional.statestores} (Kafka 4.4, KIP-892) as given. */
    static Properties properties(String bootstrapServers, String applicationId, Path stateDir, int standbyReplicas,
                                 boolean transactionalStores) {
        Properties props = StreamsApps.properties(bootstrapServers, applicationId, stateDir);
        props.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, transactionalStores);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
        // A crashed instance leaves its transaction open; the broker aborts it only after this timeout, and the
        // task's next owner waits for that (10 s by default under exactly-once).
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 5_000);
        return props;
    }

    /** Topic names prefixed with {@code prefix}, so test classes sharing nothing still read clearly in logs. */
    static RiskTopics topics(String prefix) {
        return new RiskTopics(prefix + "-events", prefix + "-decisions", prefix + "-outcomes",
            prefix + "-dead-letters");
    }
}
