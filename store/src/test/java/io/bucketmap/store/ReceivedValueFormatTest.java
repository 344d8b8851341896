package io.bucketmap.store;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which value layout a bucket-map store receives under each of Kafka's builders: where values carry a timestamp that
 * an expiring store can read, and where it must keep a record time of its own.
 */
class ReceivedValueFormatTest {

    @Test
    void aPlainInMemoryStoreUnderTheTimestampedBuilderReceivesTimestampedValues() {
        assertThat(formatUnder(BucketMapStores.keyValueStore("s"),
                supplier -> Stores.timestampedKeyValueStoreBuilder(supplier, Serdes.String(), Serdes.String())))
                .isEqualTo(ValueFormat.TIMESTAMPED);
    }

    @Test
    void aPlainStoreUnderThePlainBuilderReceivesPlainValues() {
        assertThat(formatUnder(BucketMapStores.keyValueStore("s"),
                supplier -> Stores.keyValueStoreBuilder(supplier, Serdes.String(), Serdes.String())))
                .isEqualTo(ValueFormat.PLAIN);
    }

    @Test
    void aTimestampedStoreUnderTheTimestampedBuilderReceivesTimestampedValues() {
        assertThat(formatUnder(BucketMapStores.timestampedKeyValueStore("s"),
                supplier -> Stores.timestampedKeyValueStoreBuilder(supplier, Serdes.String(), Serdes.String())
                        .withCachingEnabled()))
                .isEqualTo(ValueFormat.TIMESTAMPED);
    }

    @Test
    void aTimestampedStoreUnderThePlainBuilderReceivesPlainValues() {
        assertThat(formatUnder(BucketMapStores.timestampedKeyValueStore("s"),
                supplier -> Stores.keyValueStoreBuilder(supplier, Serdes.String(), Serdes.String())))
                .as("its callers write plain values: timestamps read from them would be garbage")
                .isEqualTo(ValueFormat.PLAIN);
    }

    @Test
    @RequiresKafkaStreams("4.3")
    void aPlainPersistentStoreUnderTheTimestampedBuilderIsTakenAsPlainBehindKafkasAdapter() {
        assertThat(formatUnder(BucketMapStores.persistentKeyValueStore("s"),
                supplier -> Stores.timestampedKeyValueStoreBuilder(supplier, Serdes.String(), Serdes.String())))
                .isEqualTo(ValueFormat.PLAIN);
    }

    @Test
    void aStoreThatIsItsOwnRootReceivesItsDeclaredFormat() {
        BucketMapKeyValueStore store = (BucketMapKeyValueStore) BucketMapStores.timestampedKeyValueStore("s").get();

        assertThat(ReceivedValueFormat.of(store, store)).isEqualTo(ValueFormat.TIMESTAMPED);
        assertThat(ReceivedValueFormat.of(null, store)).isEqualTo(ValueFormat.TIMESTAMPED);
    }

    /** Builds {@code supplier}'s store with {@code builder} and asks what its bucket-map store receives. */
    private static ValueFormat formatUnder(KeyValueBytesStoreSupplier supplier,
                                           Function<KeyValueBytesStoreSupplier, StoreBuilder<?>> builder) {
        Capturing capturing = new Capturing(supplier);
        StateStore root = builder.apply(capturing).build();
        return ReceivedValueFormat.of(root, capturing.built);
    }

    /** A supplier that remembers the store it made. */
    private static final class Capturing implements KeyValueBytesStoreSupplier {
        private final KeyValueBytesStoreSupplier supplier;
        BucketMapKeyValueStore built;

        Capturing(KeyValueBytesStoreSupplier supplier) {
            this.supplier = supplier;
        }

        @Override
        public String name() {
            return supplier.name();
        }

        @Override
        public KeyValueStore<Bytes, byte[]> get() {
            built = (BucketMapKeyValueStore) supplier.get();
            return built;
        }

        @Override
        public String metricsScope() {
            return supplier.metricsScope();
        }
    }
}
