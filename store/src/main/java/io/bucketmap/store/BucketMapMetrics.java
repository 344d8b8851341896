package io.bucketmap.store;

import io.bucketmap.core.BucketMapStats;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.MeasurableStat;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.StateStoreContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The bucket map's internals as Kafka Streams state-store metrics: group {@value #GROUP}, tags {@code thread-id},
 * {@code task-id} and {@code <metricsScope>-state-id}, the same group and tags as the metrics that Kafka's
 * {@code MeteredKeyValueStore} adds for the same store, so they appear side by side. Names in {@link #GAUGES}, and for a
 * store with a time to live in {@link #EXPIRY_GAUGES}.
 *
 * <p>Why a sensor: the public {@link StreamsMetrics} API offers sensors, not gauges, and only the public API works
 * under every {@link StateStoreContext} (Kafka's own stores use the internal {@code StreamsMetricsImpl}). Each
 * metric is a {@link MeasurableStat} that ignores recordings and reads the live value when measured, so nothing is
 * recorded on the write path: a metric costs one {@link BucketMapStats} snapshot (O(1), a short read lock) when a
 * reporter reads it. Registered on init, removed on close; registering twice for the same store is harmless.
 */
final class BucketMapMetrics {
    /** Kafka Streams' group for state-store metrics. */
    static final String GROUP = "stream-state-metrics";

    /** Name, description and value of each metric; the names avoid those of Kafka's metered layer. */
    static final List<Gauge> GAUGES = List.of(
            new Gauge("num-entries", "The number of entries in the bucket map", BucketMapStats::entries),
            new Gauge("num-buckets", "The number of primary buckets in the bucket map's current table",
                    BucketMapStats::buckets),
            new Gauge("load-factor", "The average number of entries per primary bucket of the current table",
                    BucketMapStats::loadFactor),
            new Gauge("num-overflow-buckets", "The number of overflow buckets chained to full primary buckets",
                    BucketMapStats::overflowBuckets),
            new Gauge("num-deleted-slots", "The number of deleted slots that lookups still step over",
                    BucketMapStats::deletedSlots),
            new Gauge("growth-in-progress",
                    "1 while the bucket map moves its entries to a new table (growing, shrinking or rebuilding), "
                            + "0 otherwise",
                    stats -> stats.migration() == BucketMapStats.MigrationState.IDLE ? 0 : 1),
            new Gauge("buckets-evacuated-total",
                    "The total number of buckets moved to a new table since the store was opened",
                    BucketMapStats::bucketsEvacuated),
            new Gauge("estimated-heap-bytes",
                    "The estimated heap bytes used by the bucket map: tables, ordered index, keys and values",
                    BucketMapStats::estimatedHeapBytes),
            new Gauge("num-open-map-iterators",
                    "The number of iterators open on the bucket map itself, including those opened by the caching "
                            + "layer and by interactive queries",
                    BucketMapStats::openIterators),
            new Gauge("ineffective-rebuilds-total",
                    "Rebuilds that left as many overflow buckets as started them: keys whose hashes collide at the"
                            + " map's seed (chance does not do this)",
                    BucketMapStats::ineffectiveRebuilds),
            new Gauge("reseeds-total", "Rebuilds that changed the hash seed to break colliding keys (ordered stores)",
                    BucketMapStats::reseeds));

    /** The metrics a store with a time to live adds, read from its expiring layer. */
    static final List<ExpiryGauge> EXPIRY_GAUGES = List.of(
            new ExpiryGauge("expired-entries-total",
                    "The number of entries removed because they expired (or had expired when written) since the store"
                            + " was opened", ExpiringData::expiredTotal),
            new ExpiryGauge("entries-waiting-to-expire",
                    "The number of keys in the expiry index: each entry with a time to live once, plus keys written"
                            + " again or deleted since they were filed, until their time comes",
                    ExpiringData::waitingToExpire),
            new ExpiryGauge("expiry-tombstones-owed",
                    "The number of removed expired entries whose changelog tombstone the next writes will send",
                    ExpiringData::tombstonesOwed));

    private final StreamsMetrics streamsMetrics;
    private final Sensor sensor;

    private BucketMapMetrics(StreamsMetrics streamsMetrics, Sensor sensor) {
        this.streamsMetrics = streamsMetrics;
        this.sensor = sensor;
    }

    /**
     * Adds every metric of {@link #GAUGES} for the store {@code storeName} in {@code context}'s task, reading
     * {@code stats} when measured, and those of {@link #EXPIRY_GAUGES} if {@code expiring} is not null. Call on the
     * thread that initialises the store (its name is the thread-id tag).
     */
    static BucketMapMetrics register(StateStoreContext context, String metricsScope, String storeName,
                                     Supplier<BucketMapStats> stats, ExpiringData expiring) {
        StreamsMetrics streamsMetrics = context.metrics();
        String threadId = Thread.currentThread().getName();
        String taskId = context.taskId().toString();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("thread-id", threadId);
        tags.put("task-id", taskId);
        tags.put(metricsScope + "-state-id", storeName);
        Sensor sensor = streamsMetrics.addSensor(
                "bucketmap." + threadId + ".task." + taskId + ".store." + metricsScope + "." + storeName,
                Sensor.RecordingLevel.INFO);
        for (Gauge gauge : GAUGES) {
            sensor.add(new MetricName(gauge.name(), GROUP, gauge.description(), tags),
                    new LiveValue(() -> gauge.value().applyAsDouble(stats.get())));
        }
        if (expiring != null) {
            for (ExpiryGauge gauge : EXPIRY_GAUGES) {
                sensor.add(new MetricName(gauge.name(), GROUP, gauge.description(), tags),
                        new LiveValue(() -> (double) gauge.value().applyAsLong(expiring)));
            }
        }
        return new BucketMapMetrics(streamsMetrics, sensor);
    }

    /** Removes every metric this registration added. */
    void remove() {
        streamsMetrics.removeSensor(sensor);
    }

    /** A metric: its Kafka-style name and description, and how to read it from a snapshot. */
    record Gauge(String name, String description, ToDoubleFunction<BucketMapStats> value) {
    }

    /** A metric of a store with a time to live: its name, description, and how to read it from the expiring layer. */
    record ExpiryGauge(String name, String description, ToLongFunction<ExpiringData> value) {
    }

    /** A stat whose measurement is a live value; recordings, which this sensor never gets, are ignored. */
    private record LiveValue(Supplier<Double> value) implements MeasurableStat {
        @Override
        public void record(MetricConfig config, double ignored, long timeMs) {
        }

        @Override
        public double measure(MetricConfig config, long now) {
            return value.get();
        }
    }
}
