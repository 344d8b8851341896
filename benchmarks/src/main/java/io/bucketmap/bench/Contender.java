package io.bucketmap.bench;

import io.bucketmap.core.BucketMap;
import org.apache.kafka.streams.state.Stores;

/**
 * The stores compared side by side. Each opens an empty {@link BenchStore}; the constant names are the
 * values of the JMH {@code contender} parameter and of the harnesses' first argument.
 */
public enum Contender {
    /** The bucket map with its ordered key index: the default store. */
    BUCKETMAP_ORDERED("BucketMap ordered") {
        @Override
        public BenchStore open() {
            return new BucketMapBenchStore(BucketMap.ordered());
        }
    },
    /** The bucket map without the index: iteration in hash order. */
    BUCKETMAP_HASH("BucketMap hash-order") {
        @Override
        public BenchStore open() {
            return new BucketMapBenchStore(BucketMap.hashOrdered());
        }
    },
    /** {@code HashMap<Bytes, byte[]>}: the hash-table reference. */
    HASHMAP("HashMap<Bytes,byte[]>") {
        @Override
        public BenchStore open() {
            return new HashMapBenchStore();
        }
    },
    /** {@code Stores.inMemoryKeyValueStore}: the store this project replaces (a synchronized TreeMap). */
    IN_MEMORY_STORE("Kafka in-memory store") {
        @Override
        public BenchStore open() {
            return KafkaBenchStore.open(Stores.inMemoryKeyValueStore("bench"));
        }
    },
    /** {@code Stores.persistentKeyValueStore}: Kafka's default store (RocksDB, data off-heap). */
    ROCKSDB_STORE("Kafka RocksDB store") {
        @Override
        public BenchStore open() {
            return KafkaBenchStore.open(Stores.persistentKeyValueStore("bench"));
        }
    };

    private final String label;

    Contender(String label) {
        this.label = label;
    }

    /** The name used in result tables. */
    public String label() {
        return label;
    }

    /** A new, empty store. The caller closes it. */
    public abstract BenchStore open();
}
