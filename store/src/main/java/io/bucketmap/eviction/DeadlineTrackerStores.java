package io.bucketmap.eviction;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Names and builds the two state stores a {@link DeadlineTracker} called {@code name} works on:
 * {@code <name>-pending} (id to deadline and value) and {@code <name>-deadlines} (the deadline-ordered index).
 *
 * <p>Both are plain {@code KeyValueStore<Bytes, byte[]>} built by {@link Stores#keyValueStoreBuilder}, so they
 * get Kafka's metering and changelog wrappers (logging on, caching off). Add both to the topology and connect
 * both to every processor that creates a tracker over them, so they live in the same task and commit in the
 * same transaction.
 *
 * <p>Stateless and thread-safe.
 */
public final class DeadlineTrackerStores {

    private DeadlineTrackerStores() {
    }

    /**
     * The name of the store that maps ids to their deadline and value. O(1), any thread.
     *
     * @param name the tracker's name
     * @return {@code <name>-pending}
     */
    public static String pendingStoreName(String name) {
        return Objects.requireNonNull(name, "name") + "-pending";
    }

    /**
     * The name of the deadline-ordered index store. O(1), any thread.
     *
     * @param name the tracker's name
     * @return {@code <name>-deadlines}
     */
    public static String deadlineIndexStoreName(String name) {
        return Objects.requireNonNull(name, "name") + "-deadlines";
    }

    /**
     * Builders for the tracker's two stores, in the order pending store, deadline index. O(1), any thread; calls
     * {@code suppliers} twice.
     *
     * @param name      the tracker's name, the prefix of both store names
     * @param suppliers makes a store supplier for a given store name, e.g. {@code Stores::inMemoryKeyValueStore}
     *                  or {@code BucketMapStores::keyValueStore}. The deadline index needs an <em>ordered</em>
     *                  store (range scans in unsigned byte order, as Kafka's own stores do); a hash-order store
     *                  would make {@link DeadlineTracker#expire} miss entries. The pending store may be either.
     * @return two builders with changelogging enabled and caching disabled
     */
    public static List<StoreBuilder<KeyValueStore<Bytes, byte[]>>> storeBuilders(
        String name, Function<String, KeyValueBytesStoreSupplier> suppliers) {
        return List.of(
            builder(suppliers.apply(pendingStoreName(name))),
            builder(suppliers.apply(deadlineIndexStoreName(name))));
    }

    private static StoreBuilder<KeyValueStore<Bytes, byte[]>> builder(KeyValueBytesStoreSupplier supplier) {
        return Stores.keyValueStoreBuilder(supplier, Serdes.Bytes(), Serdes.ByteArray());
    }
}
