package io.bucketmap.examples.risk;

import java.util.function.Function;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/** The buffer's whole specification ({@link TimestampOrderTest}) on Kafka's in-memory store, which copies ranges. */
class TimestampOrderOnKafkasInMemoryStoreTest extends TimestampOrderTest {

    @Override
    Function<String, KeyValueBytesStoreSupplier> suppliers() {
        return Stores::inMemoryKeyValueStore;
    }
}
