package io.bucketmap.store;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.state.DslKeyValueParams;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Everything this library knows about the Kafka Streams it runs on. The library is compiled against the project's
 * Kafka (4.4) and runs on whichever Kafka Streams the application brings, 4.0 or newer; every question "does this
 * Kafka Streams have X?" is asked here, each answered once per class loader by looking for X itself: the store's
 * behaviour never follows a version number, which a repackaged jar may lack. A feature the running Kafka Streams
 * lacks either makes the store do without it, or fails when the store is built, with a message naming the version
 * found and the version needed; never later with a {@link NoSuchMethodError} in the middle of a commit or a query.
 *
 * <table>
 * <caption>What needs which Kafka Streams, and what the store does on an older one</caption>
 * <tr><th>Since</th><th>{@link Feature}</th><th>What it is</th><th>On an older Kafka Streams</th></tr>
 * <tr><td>4.0</td><td>(the oldest supported)</td>
 *     <td>in-memory stores, ordered and hash-order, plain and timestamped; {@link BucketMapDslStoreSuppliers};
 *     IQv2 key and range queries; the internals that changelog restoration uses as Kafka's own stores do
 *     ({@link ChangelogRestoreCallback})</td>
 *     <td>not supported</td></tr>
 * <tr><td>4.3</td><td>{@link Feature#MANAGED_OFFSETS}</td>
 *     <td>{@code StateStore.commit(Map)}, {@code committedOffset}, {@code managesOffsets}: Kafka Streams hands a store
 *     its changelog offsets</td>
 *     <td>the persistent stores refuse to be built ({@link UnsupportedOperationException} from the supplier's
 *     {@code get()}): their local copy could not say where restoration starts. So the local copy only ever runs
 *     with the rocksdbjni of Kafka Streams 4.3 and newer, the one it is compiled against. The in-memory stores do at
 *     {@code flush()}, abstract before 4.3, what they do at {@code commit(Map)}</td></tr>
 * <tr><td>4.3</td><td>{@link Feature#DSL_STORE_FORMAT}</td>
 *     <td>{@code DslKeyValueParams.dslStoreFormat()}: the DSL says which value layout it wants</td>
 *     <td>the DSL suppliers pick timestamped or plain from {@code isTimestamped()}</td></tr>
 * <tr><td>4.3</td><td>{@link Feature#HEADERS_STORES}</td>
 *     <td>{@code HeadersBytesStore}, {@code HeadersBytesStoreSupplier}: values with record headers</td>
 *     <td>the headers factories of {@link BucketMapStores} refuse ({@link UnsupportedOperationException}). The
 *     other stores never load a 4.3 type: {@link ValueFormat} stands in for Kafka's {@code DslStoreFormat}</td></tr>
 * <tr><td>4.4</td><td>{@link Feature#TRANSACTIONAL_STATE_STORES}</td>
 *     <td>{@code enable.transactional.statestores}, {@code QueryConfig.getIsolationLevel()},
 *     {@code readOnly(IsolationLevel)}, {@code approximateNumUncommittedBytes()}</td>
 *     <td>the setting reads as off whatever its value ({@link StoreSettings}): such a Kafka Streams neither asks for
 *     committed reads nor bounds uncommitted bytes</td></tr>
 * </table>
 *
 * <p>The tests name the version they need with {@code @RequiresKafkaStreams}, which asks {@link #runsAtLeast}; a test
 * checks on every Kafka Streams of the compatibility matrix that each probe agrees with the version in this table.
 * All methods are thread-safe and O(1) after the first call.
 */
final class KafkaStreamsCompatibility {
    private static final String UNKNOWN_VERSION = "(unknown version)";
    private static final String VERSION = readVersion();

    private KafkaStreamsCompatibility() {
    }

    /** A Kafka Streams feature newer than 4.0 that the store uses; see the class's table. */
    enum Feature {
        /** The managed-offset API of {@link StateStore}; the persistent store's local copy depends on it. */
        MANAGED_OFFSETS("4.3", "it keeps its changelog offsets through StateStore.commit(Map), added in 4.3",
                hasMethod(StateStore.class, "committedOffset", TopicPartition.class)),
        /** {@code DslKeyValueParams.dslStoreFormat()} and Kafka's {@code DslStoreFormat}. */
        DSL_STORE_FORMAT("4.3", "DslKeyValueParams.dslStoreFormat() was added in 4.3",
                hasMethod(DslKeyValueParams.class, "dslStoreFormat")),
        /** Stores of values with headers: {@code HeadersBytesStore} and {@code HeadersBytesStoreSupplier}. */
        HEADERS_STORES("4.3", "HeadersBytesStore was added in 4.3",
                hasClass("org.apache.kafka.streams.state.HeadersBytesStoreSupplier")),
        /**
         * Transactional state stores ({@code enable.transactional.statestores}). Probed by the one method of them the
         * store calls, {@code QueryConfig.getIsolationLevel()}; the others are methods Kafka Streams calls on it.
         */
        TRANSACTIONAL_STATE_STORES("4.4", "transactional state stores were added in 4.4",
                hasMethod(QueryConfig.class, "getIsolationLevel"));

        private final String since;
        private final String addition;
        private final boolean present;

        Feature(String since, String addition, boolean present) {
            this.since = since;
            this.addition = addition;
            this.present = present;
        }

        /** The Kafka Streams minor version that added it, such as "4.3". O(1). */
        String since() {
            return since;
        }

        /** Whether the Kafka Streams on the classpath has it, found once per class loader. O(1). */
        boolean isPresent() {
            return present;
        }

        /**
         * Fails unless the Kafka Streams on the classpath has this feature. O(1).
         *
         * @param what        what needs it, as the subject of the message ("The persistent bucket-map store x")
         * @param alternative what the user may do instead of upgrading ("use the in-memory ...")
         * @throws UnsupportedOperationException naming what needs it, why, the version found, the version needed and
         *                                       the alternative
         */
        void require(String what, String alternative) {
            if (!present) {
                throw new UnsupportedOperationException(what + " needs Kafka Streams " + since + " or newer ("
                        + addition + "), but this application runs Kafka Streams " + version()
                        + ". Upgrade Kafka Streams to " + since + " or newer, or " + alternative + ".");
            }
        }
    }

    /**
     * Fails unless the Kafka Streams on the classpath can run a persistent store ({@link Feature#MANAGED_OFFSETS});
     * called when the supplier builds one. O(1).
     *
     * @throws UnsupportedOperationException naming the store, the version found, the version needed and the
     *                                       in-memory alternative
     */
    static void requirePersistentStore(String storeName) {
        Feature.MANAGED_OFFSETS.require("The persistent bucket-map store " + storeName,
                "use the in-memory BucketMapStores.keyValueStore, which runs on 4.0 and newer");
    }

    /**
     * Fails unless the Kafka Streams on the classpath has stores of values with headers
     * ({@link Feature#HEADERS_STORES}); called before a headers supplier is made, whose class cannot even be loaded
     * without them. O(1).
     *
     * @throws UnsupportedOperationException naming the store, the version found, the version needed and the
     *                                       timestamped alternative
     */
    static void requireHeadersStore(String storeName) {
        Feature.HEADERS_STORES.require("The bucket-map store " + storeName + " of values with headers",
                "use BucketMapStores.timestampedKeyValueStore, which runs on 4.0 and newer");
    }

    /**
     * The version of the Kafka Streams on the classpath, such as "4.3.1", from the
     * {@code kafka/kafka-streams-version.properties} its jar carries (Kafka's own {@code AppInfoParser} moved package
     * in 4.4), or "(unknown version)" when the jar carries none (a repackaged one). For messages; behaviour follows
     * the {@link Feature} probes. O(1).
     */
    static String version() {
        return VERSION;
    }

    /**
     * Whether the Kafka Streams on the classpath is {@code minor} (such as "4.3") or newer, by its version number.
     * O(1).
     *
     * @throws IllegalStateException when the version is unknown (see {@link #version()})
     * @throws IllegalArgumentException when {@code minor} is not of the form "4.3"
     */
    static boolean runsAtLeast(String minor) {
        if (UNKNOWN_VERSION.equals(VERSION)) {
            throw new IllegalStateException("The Kafka Streams on the classpath carries no"
                    + " kafka/kafka-streams-version.properties, so its version is unknown");
        }
        return isAtLeast(VERSION, minor);
    }

    /**
     * Whether {@code version} (such as "4.3.1" or "4.4.0-rc1") is {@code minor} (such as "4.3") or newer, comparing
     * the major and minor numbers as numbers. O(1).
     *
     * @throws IllegalArgumentException when either does not start with two numbers
     */
    static boolean isAtLeast(String version, String minor) {
        int[] have = majorAndMinor(version);
        int[] wanted = majorAndMinor(minor);
        return have[0] != wanted[0] ? have[0] > wanted[0] : have[1] >= wanted[1];
    }

    /** The first two numbers of a version such as "4.3" or "4.3.1-rc2". */
    private static int[] majorAndMinor(String version) {
        String[] parts = version.split("[.-]", 3);
        try {
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException malformed) {
            throw new IllegalArgumentException("not a Kafka version of the form 4.3: " + version, malformed);
        }
    }

    private static String readVersion() {
        try (InputStream in = StateStore.class.getResourceAsStream("/kafka/kafka-streams-version.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version", UNKNOWN_VERSION);
            }
        } catch (IOException unreadable) {
            // the version only makes messages more precise; the probes decide behaviour
        }
        return UNKNOWN_VERSION;
    }

    private static boolean hasMethod(Class<?> type, String method, Class<?>... parameterTypes) {
        try {
            type.getMethod(method, parameterTypes);
            return true;
        } catch (NoSuchMethodException absent) {
            return false;
        }
    }

    /** Looked up with the class loader of Kafka Streams, without initialising the class. */
    private static boolean hasClass(String name) {
        try {
            Class.forName(name, false, StateStore.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }
}
