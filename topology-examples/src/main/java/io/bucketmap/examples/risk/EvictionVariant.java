package io.bucketmap.examples.risk;

import io.bucketmap.eviction.DeadlineTracker;
import io.bucketmap.eviction.DeadlineTrackerStores;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** How the topology keeps pending events and finds the expired ones. */
public enum EvictionVariant {

    /** {@link DeadlineTracker}: a pending store plus a deadline-ordered index; expiry costs O(expired). */
    DEADLINE_INDEX {
        @Override
        List<StoreBuilder<KeyValueStore<Bytes, byte[]>>> storeBuilders(
            Function<String, KeyValueBytesStoreSupplier> suppliers) {
            return DeadlineTrackerStores.storeBuilders(TRACKER_NAME, suppliers);
        }

        @Override
        PendingEvents open(ProcessingContext context) {
            return new IndexedPendingEvents(
                DeadlineTracker.fromContext(context, TRACKER_NAME, Serdes.String(), Json.serde(RiskEvent.class)));
        }
    },

    /** One store; each punctuation scans {@code all()} and deletes during the scan; expiry costs O(pending). */
    STORE_SCAN {
        @Override
        List<StoreBuilder<KeyValueStore<Bytes, byte[]>>> storeBuilders(
            Function<String, KeyValueBytesStoreSupplier> suppliers) {
            return List.of(Stores.keyValueStoreBuilder(suppliers.apply(PENDING_STORE), Serdes.Bytes(),
                Serdes.ByteArray()));
        }

        @Override
        PendingEvents open(ProcessingContext context) {
            return new ScanningPendingEvents(context.getStateStore(PENDING_STORE));
        }
    };

    private static final String TRACKER_NAME = "risk";

    /** The store that holds one entry per pending event, in both variants; interactive queries may read it. */
    public static final String PENDING_STORE = DeadlineTrackerStores.pendingStoreName(TRACKER_NAME);

    /** The stores this variant needs, changelogged; the topology connects them to its processor. */
    abstract List<StoreBuilder<KeyValueStore<Bytes, byte[]>>> storeBuilders(
        Function<String, KeyValueBytesStoreSupplier> suppliers);

    /** The pending events over this variant's stores, from a connected processor's {@code init}. */
    abstract PendingEvents open(ProcessingContext context);
}
