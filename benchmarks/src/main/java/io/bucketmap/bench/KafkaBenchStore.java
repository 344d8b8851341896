package io.bucketmap.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One of Kafka's own byte stores ({@code Stores.inMemoryKeyValueStore}, {@code Stores.persistentKeyValueStore}),
 * the innermost layer alone: no metering, caching or changelogging wrappers, like the core map it is compared to.
 *
 * <p>Kafka's stores need a {@link StateStoreContext} to open. This class is the one place that makes one:
 * {@link MockProcessorContext#getStateStoreContext()} from {@code kafka-streams-test-utils}, public API that
 * opens both the in-memory store and RocksDB (which also needs the state directory and metrics it provides).
 * Each store gets its own temporary state directory, deleted on {@link #close()}.
 */
final class KafkaBenchStore implements BenchStore {
    private final KeyValueStore<Bytes, byte[]> store;
    private final Path stateDir;

    private KafkaBenchStore(KeyValueStore<Bytes, byte[]> store, Path stateDir) {
        this.store = store;
        this.stateDir = stateDir;
    }

    /** Builds the supplier's store and initialises it in a fresh temporary state directory. */
    static KafkaBenchStore open(KeyValueBytesStoreSupplier supplier) {
        Path stateDir = createTempDir();
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "bucketmap-bench");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:0");
        StateStoreContext context =
                new MockProcessorContext<>(config, new TaskId(0, 0), stateDir.toFile()).getStateStoreContext();
        KeyValueStore<Bytes, byte[]> store = supplier.get();
        store.init(context, store);
        return new KafkaBenchStore(store, stateDir);
    }

    @Override
    public byte[] get(byte[] key) {
        return store.get(Bytes.wrap(key));
    }

    @Override
    public void put(byte[] key, byte[] value) {
        store.put(Bytes.wrap(key), value);
    }

    @Override
    public byte[] delete(byte[] key) {
        return store.delete(Bytes.wrap(key));
    }

    @Override
    public void close() {
        store.close();
        deleteRecursively(stateDir);
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("bucketmap-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
