package io.bucketmap.store;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code prefixScan} with the prefixes at the edges of the byte alphabet: empty, only 0xFF bytes, ending in 0xFF. The
 * bucket-map store returns exactly the keys that start with the prefix, ordered or in hash order. Kafka's stores
 * (4.0 to 4.4) scan up to the prefix incremented as a number: {@code Stores.inMemoryKeyValueStore} throws
 * {@link IndexOutOfBoundsException} for the first two, where that increment overflows, and both it and
 * {@code Stores.persistentKeyValueStore} return a shorter key that sorts below the increment without starting with
 * the third ({@code 62} for {@code 61 FF}). Kafka's side is pinned here, and written down in
 * {@code docs/differences-from-kafka.md}.
 */
class PrefixScanEdgeCasesTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final List<String> KEYS = List.of("00", "61", "61ff", "61ff00", "61ffff", "62", "6200", "ff",
            "ffff", "ffff01");

    @ParameterizedTest(name = "ordered={0}")
    @ValueSource(booleans = {true, false})
    void anEmptyPrefixScansEveryKey(boolean ordered) {
        assertThat(prefixScanOfABucketMapStore(ordered, "")).isEqualTo(ordered ? KEYS : sorted(KEYS));
    }

    @ParameterizedTest(name = "ordered={0}")
    @ValueSource(booleans = {true, false})
    void aPrefixOfOnly0xFfBytesScansTheKeysStartingWithIt(boolean ordered) {
        assertThat(prefixScanOfABucketMapStore(ordered, "ff")).isEqualTo(List.of("ff", "ffff", "ffff01"));
        assertThat(prefixScanOfABucketMapStore(ordered, "ffff")).isEqualTo(List.of("ffff", "ffff01"));
    }

    @ParameterizedTest(name = "ordered={0}")
    @ValueSource(booleans = {true, false})
    void aPrefixEndingIn0xFfScansOnlyTheKeysStartingWithIt(boolean ordered) {
        assertThat(prefixScanOfABucketMapStore(ordered, "61ff")).isEqualTo(List.of("61ff", "61ff00", "61ffff"));
    }

    @Test
    void kafkasInMemoryStoreThrowsForAnEmptyOrAll0xFfPrefixAndScansAKeyOutsideAPrefixEndingIn0xFf() {
        KeyValueStore<Bytes, byte[]> kafkas = Stores.inMemoryKeyValueStore("kafka").get();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        kafkas.init(context.getStateStoreContext(), kafkas);
        KEYS.forEach(key -> kafkas.put(Bytes.wrap(HEX.parseHex(key)), HEX.parseHex(key)));

        assertThatThrownBy(() -> prefixScan(kafkas, "")).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> prefixScan(kafkas, "ffff")).isInstanceOf(IndexOutOfBoundsException.class);
        // "62" sorts between 61ff and the incremented prefix 6200
        assertThat(prefixScan(kafkas, "61ff")).containsExactly("61ff", "61ff00", "61ffff", "62");
        kafkas.close();
    }

    @Test
    void kafkasRocksDbStoreScansTheEmptyAndAll0xFfPrefixesButAlsoAKeyOutsideAPrefixEndingIn0xFf(
            @TempDir Path stateDir) {
        Topology topology = new Topology();
        topology.addSource("in", new ByteArrayDeserializer(), new ByteArrayDeserializer(), "unused");
        topology.addProcessor("none", Ignore::new, "in");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("kafka"),
                Serdes.Bytes(), Serdes.ByteArray()), "none");
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "prefix-scan");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, config)) {
            KeyValueStore<Bytes, byte[]> kafkas = driver.getKeyValueStore("kafka");
            KEYS.forEach(key -> kafkas.put(Bytes.wrap(HEX.parseHex(key)), HEX.parseHex(key)));

            assertThat(prefixScan(kafkas, "")).isEqualTo(KEYS);
            assertThat(prefixScan(kafkas, "ffff")).containsExactly("ffff", "ffff01");
            assertThat(prefixScan(kafkas, "61ff")).containsExactly("61ff", "61ff00", "61ffff", "62");
        }
    }

    /** The keys a bucket-map store's prefix scan returns, sorted for the hash-order store. */
    private static List<String> prefixScanOfABucketMapStore(boolean ordered, String hexPrefix) {
        Function<String, KeyValueBytesStoreSupplier> factory =
                ordered ? BucketMapStores::keyValueStore : BucketMapStores::hashOrderKeyValueStore;
        KeyValueStore<Bytes, byte[]> store = factory.apply("ours").get();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
        try {
            KEYS.forEach(key -> store.put(Bytes.wrap(HEX.parseHex(key)), HEX.parseHex(key)));
            List<String> keys = prefixScan(store, hexPrefix);
            return ordered ? keys : sorted(keys);
        } finally {
            store.close();
        }
    }

    private static List<String> prefixScan(KeyValueStore<Bytes, byte[]> store, String hexPrefix) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> entries = store.prefixScan(HEX.parseHex(hexPrefix),
                new ByteArraySerializer())) {
            entries.forEachRemaining(entry -> keys.add(HEX.formatHex(entry.key.get())));
        }
        return keys;
    }

    private static List<String> sorted(List<String> keys) {
        return keys.stream().sorted().toList();
    }

    /** A processor for the store to hang on; the test writes the store directly. */
    private static final class Ignore implements Processor<Object, Object, Void, Void> {
        @Override
        public void process(Record<Object, Object> record) {
        }
    }
}
