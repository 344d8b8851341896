package io.bucketmap.bench;

import io.bucketmap.core.BucketMap;
import io.bucketmap.store.BucketMapStores;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The stores compared side by side. Each opens an empty {@link BenchStore}; the constant names are the
 * values of the JMH {@code contender} parameter and of the harnesses' first argument.
 *
 * <p>Two kinds: Kafka Streams stores, opened from their {@link KeyValueBytesStoreSupplier} and called through
 * {@code KeyValueStore<Bytes, byte[]>} (Kafka's two and the bucket-map stores: the like-for-like comparison), and
 * bare maps called with the arrays as they come (the core bucket map, to show what the store layer costs, and
 * {@code HashMap} as the hash-table reference).
 */
public enum Contender {
    /** The core bucket map with its ordered key index, no Kafka store layer. */
    BUCKETMAP_ORDERED("BucketMap ordered, core map", true, () -> new BucketMapBenchStore(BucketMap.ordered())),
    /** The core bucket map without the index: iteration in hash order. */
    BUCKETMAP_HASH("BucketMap hash-order, core map", false, () -> new BucketMapBenchStore(BucketMap.hashOrdered())),
    /** {@code BucketMapStores.keyValueStore}: the ordered bucket-map store, a drop-in for Kafka's stores. */
    BUCKETMAP_STORE_ORDERED("BucketMap store ordered", true, BucketMapStores::keyValueStore),
    /** {@code BucketMapStores.hashOrderKeyValueStore}: iterators in hash order; range and prefix scans are O(n). */
    BUCKETMAP_STORE_HASH("BucketMap store hash-order", false, BucketMapStores::hashOrderKeyValueStore),
    /** {@code BucketMapStores.persistentKeyValueStore}: the ordered store plus a RocksDB copy written at commit. */
    BUCKETMAP_STORE_PERSISTENT("BucketMap store persistent", true, BucketMapStores::persistentKeyValueStore),
    /** {@code HashMap<Bytes, byte[]>}: the hash-table reference. */
    HASHMAP("HashMap<Bytes,byte[]>", false, HashMapBenchStore::new),
    /** {@code Stores.inMemoryKeyValueStore}: the store this project replaces (a synchronized TreeMap). */
    IN_MEMORY_STORE("Kafka in-memory store", true, Stores::inMemoryKeyValueStore),
    /** {@code Stores.persistentKeyValueStore}: Kafka's default store (RocksDB, data off-heap). */
    ROCKSDB_STORE("Kafka RocksDB store", true, Stores::persistentKeyValueStore);

    private final String label;
    private final boolean keyOrdered;
    private final Supplier<BenchStore> bareMap;
    private final Function<String, KeyValueBytesStoreSupplier> kafkaStore;

    Contender(String label, boolean keyOrdered, Supplier<BenchStore> bareMap) {
        this(label, keyOrdered, bareMap, null);
    }

    Contender(String label, boolean keyOrdered, Function<String, KeyValueBytesStoreSupplier> kafkaStore) {
        this(label, keyOrdered, null, kafkaStore);
    }

    Contender(String label, boolean keyOrdered, Supplier<BenchStore> bareMap,
              Function<String, KeyValueBytesStoreSupplier> kafkaStore) {
        this.label = label;
        this.keyOrdered = keyOrdered;
        this.bareMap = bareMap;
        this.kafkaStore = kafkaStore;
    }

    /** The name used in result tables. */
    public String label() {
        return label;
    }

    /** Whether iterators return keys in ascending byte order, so that a range scan costs O(log n + matches). */
    public boolean isKeyOrdered() {
        return keyOrdered;
    }

    /** Whether this is a Kafka Streams store (it has a {@link #storeSupplier}, restores from a changelog). */
    public boolean isKafkaStore() {
        return kafkaStore != null;
    }

    /**
     * The supplier of a store called {@code name}, for a topology or {@link KafkaBenchStore#open}.
     *
     * @throws UnsupportedOperationException unless {@link #isKafkaStore()}
     */
    public KeyValueBytesStoreSupplier storeSupplier(String name) {
        if (kafkaStore == null) {
            throw new UnsupportedOperationException(this + " is a bare map, not a Kafka Streams store");
        }
        return kafkaStore.apply(name);
    }

    /** A new, empty store. The caller closes it. */
    public BenchStore open() {
        return kafkaStore != null ? KafkaBenchStore.open(kafkaStore.apply("bench")) : bareMap.get();
    }
}
