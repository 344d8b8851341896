package io.bucketmap.it;

import io.bucketmap.store.BucketMapDslStoreSuppliers;
import io.bucketmap.store.BucketMapStores;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * A DSL count whose store forgets keys {@link #TTL} of stream time after their last event, under
 * {@code exactly_once_v2}, on each way a user turns the time to live on ({@link Kind}). As a main class it runs in a
 * child JVM until killed ({@link ChildJvm}), printing each state change as {@code STATE <name>}.
 *
 * <p>Arguments of {@link #main}: bootstrap servers, application id, state directory, input topic, kind.
 */
public final class TtlApp {
    static final String STORE = "ttl-counts";
    static final Duration TTL = Duration.ofSeconds(60);

    /** How the time to live is turned on. */
    enum Kind {
        /** {@code Materialized.as(BucketMapStores.keyValueStore(..).withTtl(..))}: in memory, restored from the changelog. */
        MATERIALIZED_IN_MEMORY,
        /** {@code Materialized.as(BucketMapStores.persistentKeyValueStore(..).withTtl(..))}: restarts from its copy. */
        MATERIALIZED_PERSISTENT,
        /** {@code dsl.store.suppliers.class} and {@code bucketmap.ttl.ms}: every DSL store, in memory. */
        DSL_STORE_SUPPLIERS
    }

    private TtlApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        KafkaStreams streams = new KafkaStreams(topology(args[3], Kind.valueOf(args[4])),
                properties(args[0], args[1], Path.of(args[2]), Kind.valueOf(args[4])));
        streams.setStateListener((newState, oldState) -> System.out.println("STATE " + newState));
        streams.start();
        Thread.currentThread().join();
    }

    /** {@link StreamsApps#properties} under {@code exactly_once_v2} with static membership, caching off. */
    static Properties properties(String bootstrapServers, String applicationId, Path stateDir, Kind kind) {
        Properties props = StreamsApps.properties(bootstrapServers, applicationId, stateDir);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, applicationId + "-instance");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        if (kind == Kind.DSL_STORE_SUPPLIERS) {
            props.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, BucketMapDslStoreSuppliers.class);
            props.put(BucketMapDslStoreSuppliers.TTL_MS_CONFIG, Long.toString(TTL.toMillis()));
        }
        return props;
    }

    static Topology topology(String input, Kind kind) {
        StreamsBuilder builder = new StreamsBuilder();
        Materialized<String, Long, KeyValueStore<Bytes, byte[]>> materialized = switch (kind) {
            case MATERIALIZED_IN_MEMORY -> Materialized.as(BucketMapStores.keyValueStore(STORE).withTtl(TTL));
            case MATERIALIZED_PERSISTENT -> Materialized.as(
                    BucketMapStores.persistentKeyValueStore(STORE).withTtl(TTL));
            case DSL_STORE_SUPPLIERS -> Materialized.as(STORE);
        };
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey()
                .count(materialized.withKeySerde(Serdes.String()).withValueSerde(Serdes.Long())
                        .withCachingDisabled());
        return builder.build();
    }
}
