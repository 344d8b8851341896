package io.bucketmap.examples.risk.app;

import io.bucketmap.store.BucketMapStores;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/** The key-value stores the main job can run on ({@code --store}). */
enum ExampleStore {
    BUCKETMAP("bucketmap", "BucketMapStores.keyValueStore", BucketMapStores::keyValueStore,
        BucketMapStores.ORDERED_METRICS_SCOPE),
    BUCKETMAP_PERSISTENT("bucketmap-persistent", "BucketMapStores.persistentKeyValueStore",
        BucketMapStores::persistentKeyValueStore, BucketMapStores.PERSISTENT_ORDERED_METRICS_SCOPE),
    IN_MEMORY("in-memory", "Stores.inMemoryKeyValueStore", Stores::inMemoryKeyValueStore, null),
    ROCKSDB("rocksdb", "Stores.persistentKeyValueStore", Stores::persistentKeyValueStore, null);

    /** The value of {@code --store}. */
    final String option;
    /** The factory, as the run's log names it. */
    final String factory;
    /** Makes the supplier for a store name. */
    final Function<String, KeyValueBytesStoreSupplier> suppliers;
    /** The bucket-map metrics scope, whose {@code <scope>-state-id} tag names the store; null for Kafka's stores. */
    final String metricsScope;

    ExampleStore(String option, String factory, Function<String, KeyValueBytesStoreSupplier> suppliers,
                 String metricsScope) {
        this.option = option;
        this.factory = factory;
        this.suppliers = suppliers;
        this.metricsScope = metricsScope;
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
