package io.bucketmap.store;

import org.apache.kafka.common.config.ConfigException;

import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The time to live of the DSL's key-value stores when {@code dsl.store.suppliers.class} names a bucket-map supplier
 * class: Kafka's {@code DslKeyValueParams} carry only a store's name and format, so the time to live comes from the
 * application's config, which Kafka Streams hands the supplier class's {@code configure}. The settings:
 * <ul>
 *   <li>{@value #TTL_MS_CONFIG}: milliseconds an entry of every DSL key-value store lives after its last write;</li>
 *   <li>{@value #TTL_MS_CONFIG}{@code .<store name>}: the same for one store, overriding the first; {@code none}
 *       turns expiry off for that store;</li>
 *   <li>{@value #TTL_CLOCK_CONFIG}: {@value #STREAM_TIME} (the default) or {@value #WALL_CLOCK}, as
 *       {@link BucketMapStoreSupplier#withTtl(Duration)} and {@link BucketMapStoreSupplier#withTtl(Duration, Clock)}.</li>
 * </ul>
 * Values may be strings or numbers. Immutable once parsed; a bad value fails {@link #parse} with a
 * {@link ConfigException} naming the setting, when Kafka Streams configures the supplier class.
 */
final class DslTimeToLive {
    static final String TTL_MS_CONFIG = "bucketmap.ttl.ms";
    static final String TTL_CLOCK_CONFIG = "bucketmap.ttl.clock";
    static final String STREAM_TIME = "stream-time";
    static final String WALL_CLOCK = "wall-clock";
    private static final String NONE_VALUE = "none";

    /** No setting given: no store expires. */
    static final DslTimeToLive NONE = new DslTimeToLive(null, Map.of(), false);

    private final Long defaultMillis;
    /** Per store: milliseconds, or null for "none". */
    private final Map<String, Long> storeMillis;
    private final boolean wallClock;

    private DslTimeToLive(Long defaultMillis, Map<String, Long> storeMillis, boolean wallClock) {
        this.defaultMillis = defaultMillis;
        this.storeMillis = storeMillis;
        this.wallClock = wallClock;
    }

    /**
     * Reads the settings from {@code configs} (the application's config). O(settings).
     *
     * @throws ConfigException if a time to live is not a positive number of milliseconds (or {@code none} for one
     *                         store) or the clock is neither {@value #STREAM_TIME} nor {@value #WALL_CLOCK}
     */
    static DslTimeToLive parse(Map<String, ?> configs) {
        Long defaultMillis = null;
        Map<String, Long> storeMillis = new HashMap<>();
        String storePrefix = TTL_MS_CONFIG + ".";
        for (Map.Entry<String, ?> setting : configs.entrySet()) {
            String name = setting.getKey();
            if (name.equals(TTL_MS_CONFIG)) {
                defaultMillis = millis(name, setting.getValue(), false);
            } else if (name.startsWith(storePrefix) && name.length() > storePrefix.length()) {
                storeMillis.put(name.substring(storePrefix.length()), millis(name, setting.getValue(), true));
            }
        }
        Object clock = configs.get(TTL_CLOCK_CONFIG);
        boolean wallClock = false;
        if (clock != null) {
            String clockName = String.valueOf(clock).trim().toLowerCase(Locale.ROOT);
            if (clockName.equals(WALL_CLOCK)) {
                wallClock = true;
            } else if (!clockName.equals(STREAM_TIME)) {
                throw new ConfigException(TTL_CLOCK_CONFIG, clock,
                        "the clock of a time to live is " + STREAM_TIME + " or " + WALL_CLOCK);
            }
        }
        return new DslTimeToLive(defaultMillis, Collections.unmodifiableMap(storeMillis), wallClock);
    }

    /** The time to live of the store {@code storeName}, or null if its entries do not expire. O(1). */
    TimeToLive forStore(String storeName) {
        Long millis = storeMillis.containsKey(storeName) ? storeMillis.get(storeName) : defaultMillis;
        if (millis == null) {
            return null;
        }
        Duration ttl = Duration.ofMillis(millis);
        return wallClock ? TimeToLive.onWallClock(ttl, Clock.systemUTC()) : TimeToLive.onStreamTime(ttl);
    }

    /** Milliseconds; null for {@code none} where {@code noneAllowed}. */
    private static Long millis(String name, Object value, boolean noneAllowed) {
        String text = String.valueOf(value).trim();
        if (noneAllowed && text.equalsIgnoreCase(NONE_VALUE)) {
            return null;
        }
        long millis;
        try {
            millis = value instanceof Number number ? number.longValue() : Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(name, value, "a time to live is a number of milliseconds"
                    + (noneAllowed ? " or " + NONE_VALUE : ""));
        }
        if (millis <= 0) {
            throw new ConfigException(name, value, "a time to live must be positive"
                    + (noneAllowed ? " (" + NONE_VALUE + " turns it off for this store)" : ""));
        }
        return millis;
    }
}
