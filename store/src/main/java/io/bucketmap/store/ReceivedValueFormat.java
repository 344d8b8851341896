package io.bucketmap.store;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.TimestampedBytesStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * The layout of the values a bucket-map store receives, which is not always the one it declares. A store with a time to
 * live reads its entries' record times from the values it receives, so it must know, and where it cannot tell it takes
 * them for plain values: it then keeps a record time of its own in front of each, which is right whatever the values
 * hold (it only costs a copy).
 * <ul>
 *   <li>Kafka's timestamped and headers builders wrap an in-memory store whose format differs from theirs in a marker
 *       layer ({@code InMemoryTimestampedKeyValueStoreMarker}, {@code InMemoryTimestampedKeyValueStoreWithHeadersMarker})
 *       that passes values through unchanged: the store receives the builder's format. This is what the DSL gives
 *       {@code Materialized.as(BucketMapStores.keyValueStore(..))}.</li>
 *   <li>Otherwise Kafka's layers pass values through, and the outermost one says the format its users write: a
 *       {@code TimestampedKeyValueStoreWithHeaders}, a {@code TimestampedKeyValueStore}, or a plain store. A store that
 *       declares timestamped values but is built by {@code Stores.keyValueStoreBuilder} receives plain ones.</li>
 *   <li>A persistent store whose format differs from the builder's gets an adapter instead (not a wrapper this class
 *       sees through), which converts values on every access: the store receives its own format, or plain values; it is
 *       taken as plain.</li>
 *   <li>A store initialised as its own root (a bare store, a mock context) receives what callers write, in its declared
 *       format.</li>
 * </ul>
 *
 * <p>Reads only the wrapper chain {@code init} receives as {@code root}, through Kafka's internal
 * {@link WrappedStateStore} (as {@link CachingLayerCheck} does) and public interfaces. The headers interfaces exist from
 * Kafka Streams 4.3 on, so they are looked up by name. O(layers).
 */
final class ReceivedValueFormat {
    /** Kafka Streams 4.3's {@code HeadersBytesStore} and {@code TimestampedKeyValueStoreWithHeaders}, or null before. */
    private static final Class<?> HEADERS_BYTES_STORE = classOrNull("org.apache.kafka.streams.state.HeadersBytesStore");
    private static final Class<?> HEADERS_KEY_VALUE_STORE =
            classOrNull("org.apache.kafka.streams.state.TimestampedKeyValueStoreWithHeaders");

    private ReceivedValueFormat() {
    }

    /** The format of the values {@code store}, initialised under {@code root}, receives. */
    static ValueFormat of(StateStore root, BucketMapKeyValueStore store) {
        if (root == null || root == store) {
            return store.format();
        }
        for (StateStore layer = root; layer instanceof WrappedStateStore<?, ?, ?> wrapper; layer = wrapper.wrapped()) {
            if (wrapper.wrapped() == store) {
                if (isA(HEADERS_BYTES_STORE, layer)) {
                    return ValueFormat.HEADERS; // the headers marker
                }
                if (layer instanceof TimestampedBytesStore) {
                    return ValueFormat.TIMESTAMPED; // the timestamped marker
                }
                if (isA(HEADERS_KEY_VALUE_STORE, root)) {
                    return ValueFormat.HEADERS;
                }
                return root instanceof TimestampedKeyValueStore ? ValueFormat.TIMESTAMPED : ValueFormat.PLAIN;
            }
        }
        return ValueFormat.PLAIN;
    }

    private static boolean isA(Class<?> type, Object object) {
        return type != null && type.isInstance(object);
    }

    private static Class<?> classOrNull(String name) {
        try {
            return Class.forName(name, false, StateStore.class.getClassLoader());
        } catch (ClassNotFoundException absent) {
            return null;
        }
    }
}
