package io.bucketmap.bench;

import io.bucketmap.store.BucketMapStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.ValueTimestampHeaders;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a value format costs per access through Kafka's typed store stack (metered layer, serdes; no cache, no
 * changelog), for the persistent bucket-map store as the DSL builds it: a plain store, which Kafka's timestamped and
 * headers builders wrap in a value-converting adapter ({@code KeyValueToTimestampedKeyValueByteStoreAdapter},
 * {@code PlainToHeadersStoreAdapter}: a copy of every value on every get and put, and the timestamp and headers
 * dropped), against the stores that declare their format ({@code persistentTimestampedKeyValueStore},
 * {@code persistentTimestampedKeyValueStoreWithHeaders}), which the builders use as they are.
 * {@link #layers} names the stack each case runs on, so a row shows whether an adapter was in it.
 *
 * <p>100,000 entries, 21-byte keys, 100-byte values; get of a present key and update of a present key.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar ValueFormatBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class ValueFormatBenchmark {
    static final int ENTRIES = 100_000;

    /** The value format and the supplier the store comes from. */
    public enum Case {
        /** The DSL's default format on a plain persistent bucket-map store: an adapter converts. */
        TIMESTAMPED_ON_PLAIN_STORE,
        /** The DSL's default format on {@code persistentTimestampedKeyValueStore}: no adapter. */
        TIMESTAMPED_NATIVE,
        /** {@code dsl.store.format=headers} on a plain persistent bucket-map store: an adapter converts. */
        HEADERS_ON_PLAIN_STORE,
        /** {@code dsl.store.format=headers} on {@code persistentTimestampedKeyValueStoreWithHeaders}: no adapter. */
        HEADERS_NATIVE
    }

    @State(Scope.Benchmark)
    public static class Filled {
        @Param({"TIMESTAMPED_ON_PLAIN_STORE", "TIMESTAMPED_NATIVE", "HEADERS_ON_PLAIN_STORE", "HEADERS_NATIVE"})
        public Case format;

        KeyValueStore<String, Object> store;
        private Path stateDir;
        private String[] keys;
        private Object[] values;
        private int[] order;
        private int next;

        @Setup(Level.Trial)
        @SuppressWarnings("unchecked")
        public void open() {
            stateDir = TempDirs.create("bucketmap-format-bench-");
            store = (KeyValueStore<String, Object>) build(format, stateDir);
            keys = new String[ENTRIES];
            values = new Object[ENTRIES];
            RecordHeaders headers = new RecordHeaders();
            headers.add("trace", "abc".getBytes(StandardCharsets.UTF_8));
            String padding = "x".repeat(90);
            for (int i = 0; i < ENTRIES; i++) {
                keys[i] = String.format("risk-event-%010d", i);
                String value = padding + i;
                values[i] = isHeaders(format) ? ValueTimestampHeaders.make(value, i, headers)
                    : ValueAndTimestamp.make(value, i);
                store.put(keys[i], values[i]);
            }
            order = Shuffle.permutation(ENTRIES, 17);
        }

        @TearDown(Level.Trial)
        public void close() {
            store.close();
            TempDirs.deleteRecursively(stateDir);
        }

        /** The next entry's index, in a fixed random order over the whole store. */
        int nextIndex() {
            int index = order[next];
            next = next + 1 == ENTRIES ? 0 : next + 1;
            return index;
        }
    }

    @Benchmark
    public Object get(Filled filled) {
        return filled.store.get(filled.keys[filled.nextIndex()]);
    }

    @Benchmark
    public void update(Filled filled) {
        int index = filled.nextIndex();
        filled.store.put(filled.keys[index], filled.values[index]);
    }

    static boolean isHeaders(Case format) {
        return format == Case.HEADERS_ON_PLAIN_STORE || format == Case.HEADERS_NATIVE;
    }

    /** The typed store of {@code format}, built as the DSL builds it (without cache and changelog) and opened. */
    static StateStore build(Case format, Path stateDir) {
        StoreBuilder<?> builder = switch (format) {
            case TIMESTAMPED_ON_PLAIN_STORE -> Stores.timestampedKeyValueStoreBuilder(
                BucketMapStores.persistentKeyValueStore("format"), Serdes.String(), Serdes.String());
            case TIMESTAMPED_NATIVE -> Stores.timestampedKeyValueStoreBuilder(
                BucketMapStores.persistentTimestampedKeyValueStore("format"), Serdes.String(), Serdes.String());
            case HEADERS_ON_PLAIN_STORE -> Stores.timestampedKeyValueStoreWithHeadersBuilder(
                BucketMapStores.persistentKeyValueStore("format"), Serdes.String(), Serdes.String());
            case HEADERS_NATIVE -> Stores.timestampedKeyValueStoreWithHeadersBuilder(
                BucketMapStores.persistentTimestampedKeyValueStoreWithHeaders("format"), Serdes.String(),
                Serdes.String());
        };
        StateStore store = builder.withLoggingDisabled().withCachingDisabled().build();
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "bucketmap-format-bench");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:0");
        MockProcessorContext<Object, Object> context =
            new MockProcessorContext<>(config, new TaskId(0, 0), stateDir.toFile());
        store.init(context.getStateStoreContext(), store);
        return store;
    }

    /** The class names of a store's layers, outermost first: whether an adapter sits in the stack. */
    static List<String> layers(StateStore outer) {
        List<String> layers = new ArrayList<>();
        StateStore layer = outer;
        while (true) {
            layers.add(layer.getClass().getSimpleName());
            if (!(layer instanceof WrappedStateStore<?, ?, ?> wrapper)) {
                return layers;
            }
            layer = wrapper.wrapped();
        }
    }
}
