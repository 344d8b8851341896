package io.bucketmap.it;

import io.bucketmap.store.BucketMapStores;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.apache.kafka.streams.state.Stores;
import org.rocksdb.Options;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * The smallest stateful application: every input record is applied to one changelogged key-value store (a value
 * puts, a tombstone deletes), under {@code exactly_once_v2}. Built on any of the {@link Kind}s of store, so restart
 * and crash tests compare them on the same topology. As a main class it runs in a child JVM until killed
 * ({@link ChildJvm}), printing each state change as {@code STATE <name>}.
 *
 * <p>Arguments of {@link #main}: bootstrap servers, application id, state directory, input topic, store kind, and
 * optionally {@code true} for {@code enable.transactional.statestores}.
 */
public final class KeyValueApp {
    static final String STORE = "kv-store";

    /** The stores compared. */
    enum Kind {
        BUCKETMAP_IN_MEMORY(BucketMapStores::keyValueStore),
        BUCKETMAP_PERSISTENT(BucketMapStores::persistentKeyValueStore),
        KAFKA_ROCKSDB(Stores::persistentKeyValueStore);

        private final Function<String, KeyValueBytesStoreSupplier> supplier;

        Kind(Function<String, KeyValueBytesStoreSupplier> supplier) {
            this.supplier = supplier;
        }
    }

    private KeyValueApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        KafkaStreams streams = new KafkaStreams(topology(args[3], Kind.valueOf(args[4])),
            properties(args[0], args[1], Path.of(args[2]), args.length > 5 && Boolean.parseBoolean(args[5])));
        streams.setStateListener((newState, oldState) -> System.out.println("STATE " + newState));
        streams.start();
        Thread.currentThread().join();
    }

    /**
     * {@link StreamsApps#properties} under {@code exactly_once_v2}, with RocksDB memtables of
     * {@value SmallMemtables#WRITE_BUFFER_BYTES} bytes for every RocksDB-backed store: a test writes megabytes, not
     * the gigabytes of a long-running application, and small memtables let its writes reach disk the way theirs do
     * (with 16 MB memtables, Kafka's default, a short test would never flush one).
     */
    static Properties properties(String bootstrapServers, String applicationId, Path stateDir) {
        return properties(bootstrapServers, applicationId, stateDir, false);
    }

    /** As above, with {@code enable.transactional.statestores} (Kafka 4.4, KIP-892) as given. */
    static Properties properties(String bootstrapServers, String applicationId, Path stateDir,
                                 boolean transactionalStores) {
        Properties props = StreamsApps.properties(bootstrapServers, applicationId, stateDir);
        props.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, transactionalStores);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, SmallMemtables.class);
        // static membership: an instance restarted after a crash takes its place in the group at once, instead of
        // waiting for the dead member's session to time out, so restart times measure the stores
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, applicationId + "-instance");
        return props;
    }

    /** Memtables of {@value #WRITE_BUFFER_BYTES} bytes. */
    public static final class SmallMemtables implements RocksDBConfigSetter {
        static final long WRITE_BUFFER_BYTES = 256 * 1024;

        @Override
        public void setConfig(String storeName, Options options, Map<String, Object> configs) {
            options.setWriteBufferSize(WRITE_BUFFER_BYTES);
        }

        @Override
        public void close(String storeName, Options options) {
        }
    }

    static Topology topology(String input, Kind kind) {
        Topology topology = new Topology();
        topology.addSource("input", new StringDeserializer(), new StringDeserializer(), input);
        topology.addProcessor("apply", ApplyToStore::new, "input");
        topology.addStateStore(Stores.keyValueStoreBuilder(kind.supplier.apply(STORE), Serdes.String(),
            Serdes.String()), "apply");
        return topology;
    }

    private static final class ApplyToStore implements Processor<String, String, Void, Void> {
        private KeyValueStore<String, String> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, String> record) {
            if (record.value() == null) {
                store.delete(record.key());
            } else {
                store.put(record.key(), record.value());
            }
        }
    }
}
