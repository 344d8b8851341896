package io.bucketmap.eviction;

import io.bucketmap.store.BucketMapStoreSupplier;
import io.bucketmap.store.BucketMapStores;
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
 * <p>The pending store is only read and written by key; the index is read by range. So on this library's stores
 * {@link #bucketMapStoreBuilders} keeps the pending entries in a hash-order store and the index in an ordered one:
 * the pair that expired fastest at 10M pending entries, and the hash-order store is the faster and smaller one for
 * access by key ({@code benchmarks/results/2026-11-28-eviction-at-scale.md}).
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
     * Builders for the tracker's two stores on this library's in-memory stores: the pending store in hash order
     * ({@link BucketMapStores#hashOrderKeyValueStore}), the deadline index ordered ({@link
     * BucketMapStores#keyValueStore}); see the class comment for why. For the persistent stores, pass their
     * factories to {@link #storeBuilders(String, Function, Function)}. O(1), any thread.
     *
     * @param name the tracker's name, the prefix of both store names
     * @return two builders, pending store first, with changelogging enabled and caching disabled
     */
    public static List<StoreBuilder<KeyValueStore<Bytes, byte[]>>> bucketMapStoreBuilders(String name) {
        return storeBuilders(name, BucketMapStores::hashOrderKeyValueStore, BucketMapStores::keyValueStore);
    }

    /**
     * Builders for the tracker's two stores, both made by {@code suppliers}, in the order pending store, deadline
     * index. O(1), any thread; calls {@code suppliers} twice.
     *
     * @param name      the tracker's name, the prefix of both store names
     * @param suppliers makes a store supplier for a given store name, e.g. {@code Stores::inMemoryKeyValueStore}
     *                  or {@code BucketMapStores::keyValueStore}; it must make an <em>ordered</em> store for the
     *                  deadline index (see {@link #storeBuilders(String, Function, Function)})
     * @return two builders with changelogging enabled and caching disabled
     * @throws IllegalArgumentException if {@code suppliers} makes a hash-order bucket-map store for the index
     */
    public static List<StoreBuilder<KeyValueStore<Bytes, byte[]>>> storeBuilders(
        String name, Function<String, KeyValueBytesStoreSupplier> suppliers) {
        return storeBuilders(name, suppliers, suppliers);
    }

    /**
     * Builders for the tracker's two stores, each made by its own factory, in the order pending store, deadline
     * index. O(1), any thread; calls each factory once.
     *
     * @param name             the tracker's name, the prefix of both store names
     * @param pendingSuppliers makes the pending store's supplier from its name; any key-value store, ordered or not
     * @param indexSuppliers   makes the deadline index's supplier from its name. It must be an <em>ordered</em> store
     *                         (range scans in unsigned byte order, as Kafka's own stores and {@link
     *                         BucketMapStores#keyValueStore} do): over a hash-order store {@link DeadlineTracker#expire}
     *                         would walk the whole index per call and hand entries over out of deadline order
     * @return two builders with changelogging enabled and caching disabled
     * @throws IllegalArgumentException if {@code indexSuppliers} makes a hash-order bucket-map store
     */
    public static List<StoreBuilder<KeyValueStore<Bytes, byte[]>>> storeBuilders(
        String name, Function<String, KeyValueBytesStoreSupplier> pendingSuppliers,
        Function<String, KeyValueBytesStoreSupplier> indexSuppliers) {
        KeyValueBytesStoreSupplier index = indexSuppliers.apply(deadlineIndexStoreName(name));
        if (index instanceof BucketMapStoreSupplier bucketMap && !bucketMap.isOrdered()) {
            throw new IllegalArgumentException("The deadline index " + index.name() + " must be an ordered store:"
                + " expire reads it by range in deadline order. Use BucketMapStores.keyValueStore (or"
                + " persistentKeyValueStore) for it; the pending store may be hash-order.");
        }
        return List.of(builder(pendingSuppliers.apply(pendingStoreName(name))), builder(index));
    }

    private static StoreBuilder<KeyValueStore<Bytes, byte[]>> builder(KeyValueBytesStoreSupplier supplier) {
        return Stores.keyValueStoreBuilder(supplier, Serdes.Bytes(), Serdes.ByteArray());
    }
}
