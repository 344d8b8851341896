package io.bucketmap.examples.risk.app;

import io.bucketmap.examples.risk.EvictionVariant;
import io.bucketmap.store.BucketMapStores;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The key-value stores the main job can run on ({@code --store}). A bucket-map family has two kinds: ordered, for
 * every store that is iterated, and hash-order, for the deadline tracker's pending store, which is only read and
 * written by key (as {@code DeadlineTrackerStores.bucketMapStoreBuilders} builds them). Kafka's stores have one kind.
 */
enum ExampleStore {
    BUCKETMAP("bucketmap",
        new Factory("BucketMapStores.keyValueStore", BucketMapStores::keyValueStore,
            BucketMapStores.ORDERED_METRICS_SCOPE),
        new Factory("BucketMapStores.hashOrderKeyValueStore", BucketMapStores::hashOrderKeyValueStore,
            BucketMapStores.HASH_ORDER_METRICS_SCOPE)),
    BUCKETMAP_PERSISTENT("bucketmap-persistent",
        new Factory("BucketMapStores.persistentKeyValueStore", BucketMapStores::persistentKeyValueStore,
            BucketMapStores.PERSISTENT_ORDERED_METRICS_SCOPE),
        new Factory("BucketMapStores.persistentHashOrderKeyValueStore",
            BucketMapStores::persistentHashOrderKeyValueStore, BucketMapStores.PERSISTENT_HASH_ORDER_METRICS_SCOPE)),
    IN_MEMORY("in-memory", new Factory("Stores.inMemoryKeyValueStore", Stores::inMemoryKeyValueStore, null)),
    ROCKSDB("rocksdb", new Factory("Stores.persistentKeyValueStore", Stores::persistentKeyValueStore, null));

    /**
     * One kind of store.
     *
     * @param name         the factory, as the run's log names it
     * @param suppliers    makes the supplier for a store name
     * @param metricsScope the bucket-map metrics scope, whose {@code <scope>-state-id} tag names the store; null for
     *                     Kafka's stores
     */
    record Factory(String name, Function<String, KeyValueBytesStoreSupplier> suppliers, String metricsScope) {
    }

    /** The value of {@code --store}. */
    final String option;
    private final Factory ordered;
    private final Factory byKeyOnly;

    ExampleStore(String option, Factory ordered, Factory byKeyOnly) {
        this.option = option;
        this.ordered = ordered;
        this.byKeyOnly = byKeyOnly;
    }

    ExampleStore(String option, Factory only) {
        this(option, only, only);
    }

    /** The factory of the pending store under {@code variant}: swept by {@code all()}, or only read by key. */
    Factory pendingStore(EvictionVariant variant) {
        return variant == EvictionVariant.DEADLINE_INDEX ? byKeyOnly : ordered;
    }

    /** Makes the supplier of each of {@code variant}'s stores from its name. */
    Function<String, KeyValueBytesStoreSupplier> suppliers(EvictionVariant variant) {
        Factory pending = pendingStore(variant);
        return name -> (name.equals(EvictionVariant.PENDING_STORE) ? pending : ordered).suppliers().apply(name);
    }

    /** How the run's log names the stores of {@code variant}. */
    String describe(EvictionVariant variant) {
        Factory pending = pendingStore(variant);
        return pending == ordered ? ordered.name()
            : pending.name() + " (pending store), " + ordered.name() + " (deadline index)";
    }

    /** @throws IllegalArgumentException naming {@code --store} and the accepted values */
    static ExampleStore ofOption(String value) {
        String wanted = value.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(store -> store.option.equals(wanted)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("--store must be one of " + options() + ": " + value));
    }

    /** The accepted values, separated by {@code |}. */
    static String options() {
        return Arrays.stream(values()).map(store -> store.option).collect(Collectors.joining("|"));
    }
}
