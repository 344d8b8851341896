package io.bucketmap.store;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;

import org.apache.kafka.common.config.TopicConfig;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Supplies {@link BucketMapKeyValueStore}s, ordered or hash-order, in-memory or persistent, plain, timestamped or
 * with headers, with or without a time to live, to Kafka Streams' store builders ({@code Stores.keyValueStoreBuilder},
 * {@code Materialized.as}, the timestamped and headers builders), which wrap them in the metering, caching and
 * change-logging layers. Obtain one from {@link BucketMapStores}; its "with" methods return a changed copy.
 * Immutable and thread-safe; {@link #get()} costs one empty map.
 */
public sealed class BucketMapStoreSupplier implements KeyValueBytesStoreSupplier permits HeadersBucketMapStoreSupplier {
    /** What {@link #changelogConfig} adds to a wall-clock time to live as the changelog's retention. */
    static final long WALL_CLOCK_EXTRA_RETENTION_MS = 24 * 60 * 60 * 1000L;

    private final String name;
    private final boolean ordered;
    private final boolean persistent;
    private final ValueFormat format;
    /** Where persistent stores load and write their local copy; null for the shared default. */
    private final Executor background;
    /** How long entries live after their last write; null: for ever. */
    private final TimeToLive ttl;

    BucketMapStoreSupplier(String name, boolean ordered, boolean persistent) {
        this(name, ordered, persistent, ValueFormat.PLAIN);
    }

    BucketMapStoreSupplier(String name, boolean ordered, boolean persistent, ValueFormat format) {
        this(name, ordered, persistent, format, null, null);
    }

    BucketMapStoreSupplier(String name, boolean ordered, boolean persistent, ValueFormat format, Executor background,
                           TimeToLive ttl) {
        this.name = Objects.requireNonNull(name, "name cannot be null");
        this.ordered = ordered;
        this.persistent = persistent;
        this.format = Objects.requireNonNull(format, "format cannot be null");
        this.background = background;
        this.ttl = ttl;
    }

    /**
     * This supplier with persistent stores doing their background work on {@code executor}: loading the local copy
     * into the map after a restart (a task that runs until the copy is loaded, and a read-ahead task beside it when the
     * executor has a thread for it) and writing each commit's changes to the copy (one task per commit, one at a time
     * per store). Without it they share one pool of daemon threads that exist only while there is work. The executor
     * must not run tasks on the calling thread (a commit would then wait for its RocksDB write); it may be
     * single-threaded. A refused task fails the store's task with {@code TaskCorruptedException} (Kafka Streams then
     * restores it from the changelog). In-memory stores have no background work and ignore it. O(1); any thread.
     *
     * @param executor where the stores' background work runs
     * @return a supplier equal to this one but for the executor
     * @throws NullPointerException if {@code executor} is null
     */
    public BucketMapStoreSupplier withBackgroundExecutor(Executor executor) {
        return new BucketMapStoreSupplier(name, ordered, persistent, format,
                Objects.requireNonNull(executor, "executor cannot be null"), ttl);
    }

    /**
     * This supplier with stores whose entries expire {@code ttl} after their last write, by stream time. An entry's
     * write time is its record time: the timestamp in front of a timestamped value (what the DSL stores: for an
     * aggregation, the largest timestamp of the records it aggregated) or in a value with headers, and for a plain
     * store the timestamp of the record being processed when it was written ({@code ProcessorContext.timestamp()}).
     * Stream time is the largest record time the store has seen, from writes and from changelog restoration; it only
     * moves forward, with the records, so an entry expires once records {@code ttl} younger than its last write have
     * reached the store, and a replay decides exactly as the first run did. A processor's reads also count the task's
     * stream time, which includes the record being processed: an aggregation whose input has outlived a key's last
     * write by {@code ttl} finds the key absent and starts afresh. An idle input expires nothing: use
     * {@link #withTtl(Duration, Clock)} for that.
     *
     * <p>What the stores guarantee: an expired entry is absent at once from {@code get}, every iterator and every
     * interactive query (IQv1 and IQv2), whether or not it has been removed yet; it is removed within a bounded number
     * of writes (each write removes up to two expired entries, as it moves up to two buckets of the table), with a
     * tombstone in the changelog, so the changelog's compaction drops it; nothing expired comes back after a restore
     * from the changelog, a restart from a persistent store's local copy or a crash (the persistent copy records the
     * stream time). A write whose record time is already more than {@code ttl} behind stream time is expired on
     * arrival: it leaves the store at once. A value whose timestamp is negative (Kafka's "none") never expires until
     * written again. See {@code docs/ttl.md}.
     *
     * <p>Needs Kafka's caching layer off (or its cache at 0 bytes): that layer answers reads from its cache without
     * asking the store, so the store refuses to open under it with a message naming the fix
     * ({@code Materialized.withCachingDisabled()}, or {@code statestore.cache.max.bytes=0}). O(1); any thread.
     *
     * @param ttl how long an entry lives after its last write; at least one millisecond
     * @return a supplier equal to this one but for the time to live (it replaces an earlier one)
     * @throws NullPointerException     if {@code ttl} is null
     * @throws IllegalArgumentException if {@code ttl} is zero, negative or shorter than a millisecond
     */
    public BucketMapStoreSupplier withTtl(Duration ttl) {
        return withTimeToLive(TimeToLive.onStreamTime(ttl));
    }

    /**
     * This supplier with stores whose entries expire {@code ttl} after their last write, judged by {@code wallClock}
     * instead of stream time: an entry whose record time (as in {@link #withTtl(Duration)}) is {@code w} expires when
     * {@code wallClock.millis() >= w + ttl}, whether or not records arrive, so entries expire while the input is idle.
     * The entries' times stay their record times, which the changelog keeps, so a restore judges every entry as the
     * live store did at the same wall-clock time. This suits inputs whose timestamps follow the wall clock (records
     * timestamped when produced); records with old timestamps (a replay of history) are expired on arrival. Pass
     * {@code Clock.systemUTC()} in production, a clock you move in tests. Everything else as in
     * {@link #withTtl(Duration)}. O(1); any thread.
     *
     * @param ttl       how long an entry lives after its last write; at least one millisecond
     * @param wallClock the clock that says what time it is; read on every read and write of the stores
     * @return a supplier equal to this one but for the time to live (it replaces an earlier one)
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code ttl} is zero, negative or shorter than a millisecond
     */
    public BucketMapStoreSupplier withTtl(Duration ttl, Clock wallClock) {
        return withTimeToLive(TimeToLive.onWallClock(ttl, wallClock));
    }

    /** A copy of this supplier with {@code timeToLive}; the headers supplier keeps its marker. */
    BucketMapStoreSupplier withTimeToLive(TimeToLive timeToLive) {
        return new BucketMapStoreSupplier(name, ordered, persistent, format, background, timeToLive);
    }

    /**
     * How long the supplied stores keep an entry after its last write, if they expire entries. O(1); any thread.
     *
     * @return the time to live, or empty if entries never expire
     */
    public Optional<Duration> ttl() {
        return ttl == null ? Optional.empty() : Optional.of(ttl.duration());
    }

    /**
     * Whether the supplied stores judge expiry by a wall clock ({@link #withTtl(Duration, Clock)}) rather than by
     * stream time. O(1); any thread.
     *
     * @return true for a wall-clock time to live; false for stream time or no time to live
     */
    public boolean isTtlOnWallClock() {
        return ttl != null && ttl.wallClock() != null;
    }

    /**
     * The changelog topic settings to give Kafka Streams for the supplied stores, for
     * {@code Materialized.withLoggingEnabled(config)} or {@code StoreBuilder.withLoggingEnabled(config)}. Without a time
     * to live, or with one on stream time, it is empty: the stores write a tombstone for each expired entry, so the
     * default {@code cleanup.policy=compact} drops them; a time-based {@code delete} policy would be wrong there, since
     * the broker judges a record's age by its own wall clock, and a key alive in stream time (a replay of history, an
     * application catching up) can have records older than any retention. With a wall-clock time to live, which judges
     * records by the same measure as the broker, it is {@code cleanup.policy=compact,delete} and {@code retention.ms}
     * of the time to live plus one day (Kafka's default extra retention of window store changelogs, room for clock
     * skew): a safety net that ages out records the tombstones missed (a crash between an entry's expiry and its
     * removal). O(1); any thread.
     *
     * @return topic settings, possibly empty; a new mutable map the caller may extend
     */
    public Map<String, String> changelogConfig() {
        Map<String, String> config = new HashMap<>();
        if (isTtlOnWallClock()) {
            long retention = ttl.millis() > Long.MAX_VALUE - WALL_CLOCK_EXTRA_RETENTION_MS
                    ? Long.MAX_VALUE : ttl.millis() + WALL_CLOCK_EXTRA_RETENTION_MS;
            config.put(TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE);
            config.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention));
        }
        return config;
    }

    /** The time to live the stores are built with; null if none. */
    TimeToLive timeToLive() {
        return ttl;
    }

    /** The stores' name. O(1); any thread. */
    @Override
    public String name() {
        return name;
    }

    /**
     * A new, empty, not yet initialised store of the supplier's format ({@link BucketMapKeyValueStore},
     * {@link TimestampedBucketMapKeyValueStore} or {@link HeadersBucketMapKeyValueStore}); Kafka Streams calls this
     * once per task. O(1): one empty map.
     *
     * @throws UnsupportedOperationException for a persistent store on a Kafka Streams older than 4.3, which lacks
     *         the managed-offset API its local copy depends on; the message names the version found and the fix
     */
    @Override
    public KeyValueStore<Bytes, byte[]> get() {
        if (persistent) {
            KafkaStreamsCompatibility.requirePersistentStore(name);
        }
        LocalCopy.Factory copy = persistent
                ? RocksDbLocalCopy.factory(background != null ? background : SharedBackgroundExecutor.get())
                : LocalCopy.Factory.IN_MEMORY;
        return switch (format) {
            case PLAIN -> new BucketMapKeyValueStore(name, ordered, metricsScope(), copy, ttl);
            case TIMESTAMPED -> new TimestampedBucketMapKeyValueStore(name, ordered, metricsScope(), copy, ttl);
            case HEADERS -> new HeadersBucketMapKeyValueStore(name, ordered, metricsScope(), copy, ttl);
        };
    }

    /**
     * The {@code <scope>-state-id} tag of the store's metrics, Kafka's metered layer's and the bucket map's alike:
     * {@value BucketMapStores#ORDERED_METRICS_SCOPE}, {@value BucketMapStores#HASH_ORDER_METRICS_SCOPE},
     * {@value BucketMapStores#PERSISTENT_ORDERED_METRICS_SCOPE} or {@value BucketMapStores#PERSISTENT_HASH_ORDER_METRICS_SCOPE}.
     * O(1); any thread.
     */
    @Override
    public String metricsScope() {
        if (persistent) {
            return ordered ? BucketMapStores.PERSISTENT_ORDERED_METRICS_SCOPE
                    : BucketMapStores.PERSISTENT_HASH_ORDER_METRICS_SCOPE;
        }
        return ordered ? BucketMapStores.ORDERED_METRICS_SCOPE : BucketMapStores.HASH_ORDER_METRICS_SCOPE;
    }

    /**
     * Whether the supplied stores iterate in key order. O(1), any thread.
     *
     * @return false for the hash-order variants
     */
    public boolean isOrdered() {
        return ordered;
    }

    /**
     * Whether the supplied stores keep a local copy that survives a restart. O(1), any thread.
     *
     * @return true for the persistent variants
     */
    public boolean isPersistent() {
        return persistent;
    }

    /**
     * The value format the supplied stores declare. O(1); any thread.
     *
     * @return PLAIN, TIMESTAMPED or HEADERS
     */
    public ValueFormat format() {
        return format;
    }

    /** Name, order, persistence, format and time to live, for logs. O(1); any thread. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "{name=" + name + ", ordered=" + ordered + ", persistent=" + persistent
                + ", format=" + format + (ttl == null ? "" : ", ttl=" + ttl) + "}";
    }

    /** The background executor given, or null; for the copies this class makes. */
    Executor backgroundExecutor() {
        return background;
    }
}
