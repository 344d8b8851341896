package io.bucketmap.it;

import io.bucketmap.store.BucketMapStores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStoreWithHeaders;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.ValueTimestampHeaders;

/**
 * The stores a {@link QueryStress} runs on, and the topology that feeds them: one processor writes each input record
 * into every store (a tombstone deletes the key), through the builder each store is meant for (plain, timestamped or
 * header-aware values).
 */
enum StressedStores {
    BUCKET_MAP("bm-ordered", true, true, Format.PLAIN, "4.0", BucketMapStores::keyValueStore),
    BUCKET_MAP_HASH_ORDER("bm-hash-order", true, false, Format.PLAIN, "4.0", BucketMapStores::hashOrderKeyValueStore),
    BUCKET_MAP_PERSISTENT("bm-persistent", true, true, Format.PLAIN, "4.3", BucketMapStores::persistentKeyValueStore),
    BUCKET_MAP_PERSISTENT_HASH_ORDER("bm-persistent-hash-order", true, false, Format.PLAIN, "4.3",
        BucketMapStores::persistentHashOrderKeyValueStore),
    BUCKET_MAP_TIMESTAMPED("bm-timestamped", true, true, Format.TIMESTAMPED, "4.0",
        BucketMapStores::timestampedKeyValueStore),
    BUCKET_MAP_PERSISTENT_TIMESTAMPED("bm-persistent-timestamped", true, true, Format.TIMESTAMPED, "4.3",
        BucketMapStores::persistentTimestampedKeyValueStore),
    BUCKET_MAP_HEADERS("bm-headers", true, true, Format.HEADERS, "4.3",
        BucketMapStores::timestampedKeyValueStoreWithHeaders),
    BUCKET_MAP_PERSISTENT_HEADERS("bm-persistent-headers", true, true, Format.HEADERS, "4.3",
        BucketMapStores::persistentTimestampedKeyValueStoreWithHeaders),
    KAFKA_IN_MEMORY("kafka-in-memory", false, true, Format.PLAIN, "4.0", Stores::inMemoryKeyValueStore);

    enum Format { PLAIN, TIMESTAMPED, HEADERS }

    final String storeName;
    final boolean ours;
    final boolean ordered;
    private final Format format;
    /** The oldest Kafka Streams minor the builder runs on (the store's {@code KafkaStreamsCompatibility}). */
    private final String since;
    private final Function<String, KeyValueBytesStoreSupplier> supplier;

    StressedStores(String storeName, boolean ours, boolean ordered, Format format, String since,
                   Function<String, KeyValueBytesStoreSupplier> supplier) {
        this.storeName = storeName;
        this.ours = ours;
        this.ordered = ordered;
        this.format = format;
        this.since = since;
        this.supplier = supplier;
    }

    /**
     * Our stores whose builders run on Kafka Streams {@code version} (such as "4.2.2"): the in-memory plain and
     * timestamped ones on 4.0 and newer; the persistent ones (managed offsets) and the header-aware ones on 4.3 and
     * newer, as the store's {@code KafkaStreamsCompatibility} says.
     */
    static List<StressedStores> oursRunningOn(String version) {
        return Arrays.stream(values()).filter(store -> store.ours && minorOf(store.since) <= minorOf(version))
            .toList();
    }

    /** The minor number of a 4.x version. */
    private static int minorOf(String version) {
        String[] parts = version.split("\\.");
        if (!parts[0].equals("4")) {
            throw new IllegalArgumentException("not a Kafka Streams 4.x version: " + version);
        }
        return Integer.parseInt(parts[1]);
    }

    /** The stores whose names {@code names} lists, comma-separated (as {@link #namesList} writes them). */
    static List<StressedStores> fromNamesList(String names) {
        List<String> wanted = Arrays.asList(names.split(","));
        List<StressedStores> stores = Arrays.stream(values()).filter(store -> wanted.contains(store.storeName))
            .toList();
        if (stores.size() != wanted.size()) {
            throw new IllegalArgumentException("unknown store among " + names);
        }
        return stores;
    }

    /** The names of {@code stores}, comma-separated. */
    static String namesList(List<StressedStores> stores) {
        return String.join(",", names(stores));
    }

    static List<String> names(List<StressedStores> stores) {
        return stores.stream().map(store -> store.storeName).toList();
    }

    static Set<String> orderedNames(List<StressedStores> stores) {
        return stores.stream().filter(store -> store.ordered).map(store -> store.storeName).collect(Collectors.toSet());
    }

    /** A source on {@code input} and a processor writing each record into each of {@code stores}. */
    static Topology topology(String input, List<StressedStores> stores) {
        Topology topology = new Topology();
        topology.addSource("source", new StringDeserializer(), new StringDeserializer(), input);
        topology.addProcessor("write-each", () -> new WriteEach(stores), "source");
        for (StressedStores store : stores) {
            topology.addStateStore(store.builder(), "write-each");
        }
        return topology;
    }

    private StoreBuilder<?> builder() {
        KeyValueBytesStoreSupplier bytes = supplier.apply(storeName);
        return switch (format) {
            case PLAIN -> Stores.keyValueStoreBuilder(bytes, Serdes.String(), Serdes.String());
            case TIMESTAMPED -> Stores.timestampedKeyValueStoreBuilder(bytes, Serdes.String(), Serdes.String());
            case HEADERS -> Stores.timestampedKeyValueStoreWithHeadersBuilder(bytes, Serdes.String(), Serdes.String());
        };
    }

    /** Puts each record's value under its key into every store, or deletes the key for a tombstone. */
    private static final class WriteEach implements Processor<String, String, Void, Void> {
        private final List<StressedStores> specs;
        private final List<KeyValueStore<String, ?>> stores = new ArrayList<>();

        WriteEach(List<StressedStores> specs) {
            this.specs = specs;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            specs.forEach(spec -> stores.add(context.getStateStore(spec.storeName)));
        }

        @Override
        @SuppressWarnings("unchecked")
        public void process(Record<String, String> record) {
            for (int i = 0; i < stores.size(); i++) {
                KeyValueStore<String, ?> store = stores.get(i);
                if (record.value() == null) {
                    store.delete(record.key());
                    continue;
                }
                switch (specs.get(i).format) {
                    case PLAIN -> ((KeyValueStore<String, String>) store).put(record.key(), record.value());
                    case TIMESTAMPED -> ((TimestampedKeyValueStore<String, String>) store).put(record.key(),
                        ValueAndTimestamp.make(record.value(), record.timestamp()));
                    case HEADERS -> ((TimestampedKeyValueStoreWithHeaders<String, String>) store).put(record.key(),
                        ValueTimestampHeaders.make(record.value(), record.timestamp(), record.headers()));
                }
            }
        }
    }
}
