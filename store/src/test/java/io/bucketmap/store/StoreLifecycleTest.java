package io.bucketmap.store;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What Kafka Streams does to a store object over its life: it closes it (cleanly or dirty), may wipe the task directory
 * under {@code exactly_once_v2}, and initialises the same object again ({@code TaskManager.closeDirtyAndRevive}).
 * Nothing of one open may answer for the next.
 */
class StoreLifecycleTest {
    private static final TopicPartition CHANGELOG = new TopicPartition("app-store-changelog", 0);

    @TempDir
    File stateDir;
    private final List<BucketMapKeyValueStore> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(BucketMapKeyValueStore::close);
    }

    @Test
    @RequiresKafkaStreams("4.3")
    void aPersistentStoreReinitialisedAfterItsDirectoryWasWipedReportsNoCommittedOffset() throws IOException {
        BucketMapKeyValueStore store = store(BucketMapStores.persistentKeyValueStore("store"));
        store.init(context(), store);
        store.put(key("a"), bytes("1"));
        store.commit(Map.of(CHANGELOG, 100L));
        store.close();
        wipe(stateDir.toPath());

        store.init(context(), store);

        assertThat(store.committedOffset(CHANGELOG)).as("offset of a copy that was wiped").isNull();
        assertThat(store.get(key("a"))).isNull();
        assertThat(store.getPosition().isEmpty()).isTrue();
    }

    @Test
    @RequiresKafkaStreams("4.3")
    void aPersistentStoreReinitialisedWithoutAWipeReloadsItsLastCommit() {
        BucketMapKeyValueStore store = store(BucketMapStores.persistentKeyValueStore("store"));
        store.init(context(), store);
        store.put(key("a"), bytes("1"));
        store.commit(Map.of(CHANGELOG, 100L));
        store.put(key("b"), bytes("uncommitted"));
        store.close();

        store.init(context(), store);

        assertThat(store.committedOffset(CHANGELOG)).isEqualTo(100L);
        assertThat(store.get(key("a"))).isEqualTo(bytes("1"));
        assertThat(store.get(key("b"))).as("written after the last commit").isNull();
    }

    @Test
    @RequiresKafkaStreams("4.3")
    void changesMadeBeforeACloseAreNotWrittenByTheFirstCommitOfTheNextOpen() {
        BucketMapKeyValueStore store = store(BucketMapStores.persistentKeyValueStore("store"));
        store.init(context(), store);
        store.put(key("a"), bytes("1"));
        store.commit(Map.of(CHANGELOG, 1L));
        store.delete(key("a")); // uncommitted: dropped by the dirty close below
        store.close();
        store.init(context(), store);
        store.awaitCopyLoaded();

        store.commit(Map.of(CHANGELOG, 2L));
        store.close();
        store.init(context(), store);

        assertThat(store.get(key("a"))).as("a key deleted only in the previous open").isEqualTo(bytes("1"));
    }

    @Test
    void anInMemoryStoreReinitialisedAfterCloseStartsEmptyWithAnEmptyPosition() {
        BucketMapKeyValueStore store = store(BucketMapStores.keyValueStore("store"));
        store.init(context(), store);
        store.put(key("a"), bytes("1"));
        store.getPosition().withComponent(CHANGELOG.topic(), 0, 7L);
        store.close();

        store.init(context(), store);

        assertThat(store.get(key("a"))).isNull();
        assertThat(store.approximateNumEntries()).isZero();
        assertThat(store.getPosition().isEmpty()).isTrue();
    }

    @Test
    void aSecondInitOfAnOpenInMemoryStoreFailsAndKeepsItsData() {
        assertASecondInitFailsAndKeepsTheData(BucketMapStores.keyValueStore("memory"));
    }

    @Test
    @RequiresKafkaStreams("4.3")
    void aSecondInitOfAnOpenPersistentStoreFailsAndKeepsItsData() {
        assertASecondInitFailsAndKeepsTheData(BucketMapStores.persistentKeyValueStore("persistent"));
    }

    private void assertASecondInitFailsAndKeepsTheData(KeyValueBytesStoreSupplier supplier) {
        BucketMapKeyValueStore store = store(supplier);
        store.init(context(), store);
        store.put(key("a"), bytes("1"));

        assertThatThrownBy(() -> store.init(context(), store))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(supplier.name())
                .hasMessageContaining("already open");
        assertThat(store.get(key("a"))).isEqualTo(bytes("1"));
    }

    @Test
    void anIteratorOfAPreviousOpenFailsAfterTheStoreIsInitialisedAgain() {
        BucketMapKeyValueStore store = store(BucketMapStores.keyValueStore("store"));
        store.init(context(), store);
        store.put(key("a"), bytes("1"));
        store.put(key("b"), bytes("2"));
        KeyValueIterator<Bytes, byte[]> stale = store.all();
        stale.next();
        store.close();
        store.init(context(), store);

        assertThatThrownBy(stale::hasNext).isInstanceOf(InvalidStateStoreException.class);
        stale.close();
    }

    @Test
    void aReaderRacingCloseGetsTheValueOrInvalidStateStoreExceptionNeverNull() throws InterruptedException {
        BucketMapKeyValueStore store = store(BucketMapStores.keyValueStore("store"));
        AtomicReference<String> wrongAnswer = new AtomicReference<>();
        for (int round = 0; round < 300 && wrongAnswer.get() == null; round++) {
            store.init(context(), store);
            store.put(key("present"), bytes("value"));
            CountDownLatch reading = new CountDownLatch(1);
            Thread reader = new Thread(() -> {
                reading.countDown();
                while (true) {
                    try {
                        if (store.get(key("present")) == null) {
                            wrongAnswer.set("get returned null for a key present until close");
                        }
                    } catch (InvalidStateStoreException closed) {
                        return;
                    }
                }
            });
            reader.start();
            reading.await();
            store.close();
            reader.join();
        }

        assertThat(wrongAnswer.get()).isNull();
    }

    @Test
    @RequiresKafkaStreams("4.3")
    void aCopyWithACorruptBlockIsDiscardedAndTheNextOpenRestoresFromTheChangelogStart() throws IOException {
        BucketMapKeyValueStore store = store(BucketMapStores.persistentKeyValueStore("store"));
        store.init(context(), store);
        for (int i = 0; i < 200_000; i++) {
            store.put(key(String.format("key-%08d", i)), bytes("value-" + i));
        }
        store.commit(Map.of(CHANGELOG, 200_000L));
        store.close(); // flushes the memtables into table files
        corruptTheMiddleOfTheLargestTableFile(stateDir.toPath().resolve(Path.of(RocksDbLocalCopy.DIRECTORY, "store")));

        store.init(context(), store);
        assertThatThrownBy(store::awaitCopyLoaded).isInstanceOf(InvalidStateStoreException.class)
                .hasMessageContaining("could not load its local copy");
        assertThatThrownBy(() -> store.put(key("new"), bytes("v"))).isInstanceOf(TaskCorruptedException.class);
        assertThatThrownBy(() -> store.commit(Map.of(CHANGELOG, 200_001L))).isInstanceOf(TaskCorruptedException.class);
        store.close(); // as Kafka Streams closes a corrupted task: dirty

        store.init(context(), store);

        assertThat(store.committedOffset(CHANGELOG)).as("offset of the discarded copy").isNull();
        assertThat(store.approximateNumEntries()).isZero();
    }

    /** Overwrites 64 KiB in the middle of the biggest {@code .sst} file: block checksums no longer match. */
    private static void corruptTheMiddleOfTheLargestTableFile(Path database) throws IOException {
        Path largest;
        try (Stream<Path> files = Files.list(database)) {
            largest = files.filter(path -> path.toString().endsWith(".sst"))
                    .max(Comparator.comparingLong(path -> path.toFile().length()))
                    .orElseThrow(() -> new AssertionError("no table file in " + database));
        }
        try (RandomAccessFile file = new RandomAccessFile(largest.toFile(), "rw")) {
            byte[] garbage = new byte[64 * 1024];
            java.util.Arrays.fill(garbage, (byte) 0x5a);
            file.seek(file.length() / 3);
            file.write(garbage);
        }
    }

    private BucketMapKeyValueStore store(KeyValueBytesStoreSupplier supplier) {
        BucketMapKeyValueStore store = (BucketMapKeyValueStore) supplier.get();
        stores.add(store);
        return store;
    }

    private RestoringContext context() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "lifecycle-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:0");
        return new RestoringContext(config, stateDir);
    }

    /** Deletes everything under {@code dir}, as Kafka Streams wipes a task directory. */
    private static void wipe(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(dir)) {
                    Files.delete(path);
                }
            }
        }
    }

    private static Bytes key(String key) {
        return Bytes.wrap(bytes(key));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
