package io.bucketmap.examples.risk.app;

import io.bucketmap.examples.risk.EvictionVariant;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * Reads the pending store's size and the bucket map's growth state from a running application, for the
 * progress line: the entry count by an interactive query (any store), buckets and migrations from the
 * bucket-map store's metrics (group {@code stream-state-metrics}, tag {@code <metrics scope>-state-id}), summed
 * over tasks. Cost O(metrics) per call; thread-safe as {@link KafkaStreams} is.
 */
final class StoreGauges {

    private final KafkaStreams streams;
    /** The tag that names a bucket-map store in its metrics; null for Kafka's stores, which have none of these. */
    private final String stateIdTag;

    StoreGauges(KafkaStreams streams, String bucketMapMetricsScope) {
        this.streams = streams;
        this.stateIdTag = bucketMapMetricsScope == null ? null : bucketMapMetricsScope + "-state-id";
    }

    /** Entries in the pending store, or -1 while it cannot be queried (e.g. during a rebalance). */
    long pendingEntries() {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(EvictionVariant.PENDING_STORE,
                QueryableStoreTypes.keyValueStore())).approximateNumEntries();
        } catch (InvalidStateStoreException e) {
            return -1;
        }
    }

    /** "buckets=N migrating=M/T" for the bucket-map pending stores, or "n/a" for other stores. */
    String growthState() {
        long buckets = 0;
        int migrating = 0;
        int stores = 0;
        if (stateIdTag == null) {
            return "n/a";
        }
        for (Map.Entry<MetricName, ? extends Metric> entry : streams.metrics().entrySet()) {
            MetricName name = entry.getKey();
            if (!EvictionVariant.PENDING_STORE.equals(name.tags().get(stateIdTag))) {
                continue;
            }
            double value = ((Number) entry.getValue().metricValue()).doubleValue();
            switch (name.name()) {
                case "num-buckets" -> {
                    buckets += (long) value;
                    stores++;
                }
                case "growth-in-progress" -> migrating += value > 0 ? 1 : 0;
                default -> {
                }
            }
        }
        return stores == 0 ? "n/a" : "buckets=" + buckets + " migrating=" + migrating + "/" + stores;
    }
}
