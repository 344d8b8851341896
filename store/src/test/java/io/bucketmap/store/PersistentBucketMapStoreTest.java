package io.bucketmap.store;

import io.bucketmap.core.BucketMapStats;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The persistent store's local copy: what a commit writes, what a reopened store loads, the offsets it keeps, and
 * that nothing uncommitted ever reaches the copy. Each test opens and reopens stores on one state directory, the
 * way Kafka Streams reopens a task's stores after a restart.
 */
@RequiresKafkaStreams("4.3")
class PersistentBucketMapStoreTest {
    private static final TopicPartition CHANGELOG = new TopicPartition("app-store-changelog", 0);
    private static final TopicPartition OTHER_CHANGELOG = new TopicPartition("app-store-changelog", 1);

    @TempDir
    File stateDir;
    private final List<BucketMapKeyValueStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(BucketMapKeyValueStore::close);
    }

    @Test
    void isPersistentAndManagesItsOffsets() {
        BucketMapKeyValueStore store = open();

        assertThat(store.persistent()).isTrue();
        assertThat(store.managesOffsets()).isTrue();
        assertThat(store.committedOffset(CHANGELOG)).isNull();
    }

    @Test
    void reopeningLoadsTheCopyIntoAMapPresizedForItWithoutMigrating() {
        commitAndClose(50_000);

        BucketMapKeyValueStore reopened = open();
        reopened.awaitCopyLoaded();

        assertThat(reopened.approximateNumEntries()).isEqualTo(50_000);
        assertThat(reopened.stats().bucketsEvacuated()).as("buckets evacuated while loading").isZero();
        assertThat(reopened.stats().migration()).isEqualTo(BucketMapStats.MigrationState.IDLE);
        assertThat(reopened.get(key("k49999"))).isEqualTo(bytes("v49999"));
    }

    @Test
    void reopensWithTheEntriesAndOffsetsOfTheLastCommit() {
        BucketMapKeyValueStore store = open();
        store.put(key("a"), bytes("1"));
        store.put(key("b"), bytes("2"));
        store.commit(Map.of(CHANGELOG, 41L));
        store.close();

        BucketMapKeyValueStore reopened = open();

        assertThat(entries(reopened)).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(reopened.committedOffset(CHANGELOG)).isEqualTo(41L);
        assertThat(reopened.committedOffset(OTHER_CHANGELOG)).isNull();
    }

    @Test
    void dropsWhatWasWrittenAfterTheLastCommit() {
        BucketMapKeyValueStore store = open();
        store.put(key("kept"), bytes("committed"));
        store.put(key("deleted-later"), bytes("committed"));
        store.commit(Map.of(CHANGELOG, 10L));
        store.put(key("kept"), bytes("uncommitted"));
        store.put(key("new"), bytes("uncommitted"));
        store.delete(key("deleted-later"));
        store.close(); // as Kafka Streams closes a task dirty: no commit

        BucketMapKeyValueStore reopened = open();

        assertThat(entries(reopened)).containsExactly(
                Map.entry("deleted-later", "committed"), Map.entry("kept", "committed"));
        assertThat(reopened.committedOffset(CHANGELOG)).isEqualTo(10L);
    }

    @Test
    void commitWritesUpdatesAndDeletesOfCommittedKeys() {
        BucketMapKeyValueStore store = open();
        store.put(key("updated"), bytes("1"));
        store.put(key("deleted"), bytes("1"));
        store.put(key("deleted-by-null"), bytes("1"));
        store.commit(Map.of(CHANGELOG, 1L));
        store.put(key("updated"), bytes("2"));
        store.delete(key("deleted"));
        store.put(key("deleted-by-null"), null);
        store.commit(Map.of(CHANGELOG, 2L));
        store.close();

        assertThat(entries(open())).containsExactly(Map.entry("updated", "2"));
    }

    @Test
    void aKeyAddedAndDeletedBetweenCommitsIsNeverWritten() {
        BucketMapKeyValueStore store = open();
        store.awaitCopyLoaded(); // while loading, a put cannot know the copy lacks the key: see CopyLoadTest
        store.put(key("committed"), bytes("1"));
        store.commit(Map.of(CHANGELOG, 1L));

        for (int i = 0; i < 1_000; i++) {
            store.put(key("transient-" + i), bytes("pending"));
            store.put(key("transient-" + i), bytes("updated"));
            store.delete(key("transient-" + i));
        }
        store.delete(key("never-there"));

        assertThat(changedKeyCount(store)).isZero();
        store.delete(key("committed"));
        store.put(key("committed"), bytes("back"));
        store.delete(key("committed"));
        assertThat(changedKeyCount(store)).isOne(); // the copy holds it: its delete must be written
    }

    @Test
    void uncommittedBytesCountTheChangedKeysAndValuesAndACommitClearsThem() {
        BucketMapKeyValueStore store = open();
        store.awaitCopyLoaded(); // while it loads, any key may be in the copy: nothing counts as added
        assertThat(store.approximateNumUncommittedBytes()).isZero();

        store.put(key("key-1"), bytes("value-1"));
        store.put(key("key-2"), bytes("value-2"));
        store.put(key("key-2"), bytes("v2"));
        assertThat(store.approximateNumUncommittedBytes()).isEqualTo(5 + 7 + 5 + 2);
        store.put(key("added-then-deleted"), bytes("x"));
        store.delete(key("added-then-deleted"));
        assertThat(store.approximateNumUncommittedBytes()).isEqualTo(5 + 7 + 5 + 2);

        store.commit(Map.of(CHANGELOG, 3L));
        assertThat(store.approximateNumUncommittedBytes()).isZero();
        ((RocksDbLocalCopy) store.localCopy()).awaitWritten(); // while it writes, a commit would clear nothing: 0
        store.delete(key("key-1"));
        assertThat(store.approximateNumUncommittedBytes()).as("a delete of a committed key: its key").isEqualTo(5);
    }

    @Test
    void underExactlyOnceWithoutTransactionalStoresUncommittedBytesAreNotReported() {
        Properties eos = config();
        eos.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        BucketMapKeyValueStore store = open(new RestoringContext(eos, stateDir));
        store.put(key("a"), bytes("1"));
        assertThat(store.approximateNumUncommittedBytes())
                .as("commits come only at suspension: a count they do not clear would make Kafka commit in a loop")
                .isZero();
    }

    @Test
    @RequiresKafkaStreams("4.4")
    void underExactlyOnceWithTransactionalStoresUncommittedBytesAreReported() {
        Properties eos = config();
        eos.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        eos.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "true");
        BucketMapKeyValueStore transactional = open(new RestoringContext(eos, stateDir));
        transactional.put(key("a"), bytes("1"));
        assertThat(transactional.approximateNumUncommittedBytes()).isEqualTo(2);
    }

    @Test
    void aCommitThatFindsTheWriterBusyIsWrittenByTheNextOneOrAtClose() {
        try (GatedExecutor background = new GatedExecutor()) {
            BucketMapKeyValueStore store = open(background);
            store.put(key("k0"), bytes("first"));
            store.put(key("k1"), bytes("first"));
            store.commit(Map.of(CHANGELOG, 1L)); // hands the changes to the writer, which waits behind the gate
            store.put(key("k0"), bytes("second"));
            store.commit(Map.of(CHANGELOG, 2L)); // the writer is busy: deferred

            assertThat(background.heldTasks()).as("the copy's load and the first commit's write, behind the gate")
                    .isEqualTo(2);
            assertThat(changedKeyCount(store)).as("the deferred commit's changes stay pending").isOne();
            background.open();
            store.close(); // nothing changed since the deferred commit: close writes it

            BucketMapKeyValueStore reopened = open();

            assertThat(reopened.committedOffset(CHANGELOG)).isEqualTo(2L);
            assertThat(reopened.get(key("k0"))).isEqualTo(bytes("second"));
            assertThat(reopened.get(key("k1"))).isEqualTo(bytes("first"));
        }
    }

    /** Issue 24: an offset newer than the disk holds would tell a caller to restore from a point the copy lacks. */
    @Test
    void theCommittedOffsetIsTheOneOnDiskUntilACommitsWriteHasLanded() {
        try (GatedExecutor background = new GatedExecutor()) {
            BucketMapKeyValueStore store = open(background);
            store.put(key("a"), bytes("1"));
            store.commit(Map.of(CHANGELOG, 5L)); // its write waits behind the gate

            assertThat(store.committedOffset(CHANGELOG)).as("nothing on disk yet").isNull();
            background.open();
            ((RocksDbLocalCopy) store.localCopy()).awaitWritten();
            assertThat(store.committedOffset(CHANGELOG)).isEqualTo(5L);
        }
    }

    @Test
    void aDeferredCommitFollowedByUncommittedChangesIsNotWrittenAtClose() {
        try (GatedExecutor background = new GatedExecutor()) {
            BucketMapKeyValueStore store = open(background);
            store.put(key("k0"), bytes("first"));
            store.commit(Map.of(CHANGELOG, 1L));
            store.put(key("k0"), bytes("second"));
            store.commit(Map.of(CHANGELOG, 2L)); // deferred: the writer waits behind the gate
            store.put(key("k0"), bytes("uncommitted"));
            background.open();
            store.close(); // dirty: the uncommitted value must not reach the copy, nor the deferred commit with it

            BucketMapKeyValueStore reopened = open();

            assertThat(reopened.committedOffset(CHANGELOG)).isEqualTo(1L);
            assertThat(reopened.get(key("k0"))).isEqualTo(bytes("first"));
        }
    }

    @Test
    void aStoreWhoseExecutorRefusesItsBackgroundWorkFailsItsTaskSoThatTheChangelogRestoresIt() {
        BucketMapKeyValueStore store = open(task -> {
            throw new java.util.concurrent.RejectedExecutionException("executor shut down");
        });

        assertThatThrownBy(() -> store.put(key("a"), bytes("1")))
                .isInstanceOf(org.apache.kafka.streams.errors.TaskCorruptedException.class);
        assertThatThrownBy(() -> store.get(key("a"))).isInstanceOf(InvalidStateStoreException.class)
                .hasMessageContaining("executor shut down");
    }

    @Test
    @RequiresKafkaStreams("4.4")
    void withTransactionalStoresReadCommittedReadersSeeTheLastCommitAndTheCopyDoesToo() {
        Properties transactional = config();
        transactional.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        transactional.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "true");
        BucketMapKeyValueStore store = open(new RestoringContext(transactional, stateDir));
        store.put(key("a"), bytes("1"));
        store.commit(Map.of(CHANGELOG, 1L));
        store.put(key("a"), bytes("2"));
        store.put(key("new"), bytes("n"));

        var committed = store.readOnly(org.apache.kafka.common.IsolationLevel.READ_COMMITTED);
        assertThat(committed.get(key("a"))).isEqualTo(bytes("1"));
        assertThat(committed.get(key("new"))).isNull();
        assertThat(store.get(key("a"))).isEqualTo(bytes("2"));
        ((RocksDbLocalCopy) store.localCopy()).awaitWritten(); // while it writes, a commit would clear nothing: 0
        assertThat(store.approximateNumUncommittedBytes()).as("what the next commit hands to the copy writer")
                .isPositive();
        store.close(); // dirty: the copy keeps commit 1

        BucketMapKeyValueStore reopened = open(new RestoringContext(transactional, stateDir));
        assertThat(reopened.committedOffset(CHANGELOG)).isEqualTo(1L);
        assertThat(reopened.get(key("a"))).isEqualTo(bytes("1"));
        assertThat(reopened.get(key("new"))).isNull();
    }

    @Test
    void eachCommitIsInTheCopyOnceTheNextCommitReturnsAndTheLastOnceTheStoreCloses() {
        BucketMapKeyValueStore store = open();
        for (int commit = 1; commit <= 5; commit++) {
            for (int i = 0; i < 2_000; i++) {
                store.put(key("k" + i), bytes(commit + "-" + i));
            }
            store.commit(Map.of(CHANGELOG, (long) commit));
        }
        store.close();

        BucketMapKeyValueStore reopened = open();

        assertThat(reopened.committedOffset(CHANGELOG)).isEqualTo(5L);
        assertThat(entries(reopened)).hasSize(2_000).containsEntry("k1999", "5-1999");
    }

    @Test
    void putIfAbsentIsWrittenOnlyWhenItStoresTheValue() {
        BucketMapKeyValueStore store = open();
        store.put(key("present"), bytes("1"));
        store.commit(Map.of(CHANGELOG, 1L));

        store.putIfAbsent(key("present"), bytes("2"));
        assertThat(changedKeyCount(store)).isZero();
        store.putIfAbsent(key("absent"), bytes("3"));
        store.commit(Map.of(CHANGELOG, 2L));
        store.close();

        assertThat(entries(open())).containsExactly(Map.entry("absent", "3"), Map.entry("present", "1"));
    }

    @Test
    void anEmptyOffsetMapClearsTheOffsetsAndANullOffsetClearsOnePartition() {
        BucketMapKeyValueStore store = open();
        store.commit(Map.of(CHANGELOG, 5L, OTHER_CHANGELOG, 6L));
        ((RocksDbLocalCopy) store.localCopy()).awaitWritten(); // else the next commit is deferred (see above)
        Map<TopicPartition, Long> clearOne = new HashMap<>();
        clearOne.put(OTHER_CHANGELOG, null);
        store.commit(clearOne);
        ((RocksDbLocalCopy) store.localCopy()).awaitWritten();

        assertThat(store.committedOffset(CHANGELOG)).isEqualTo(5L);
        assertThat(store.committedOffset(OTHER_CHANGELOG)).isNull();
        store.close();
        BucketMapKeyValueStore reopened = open();
        assertThat(reopened.committedOffset(CHANGELOG)).isEqualTo(5L);
        assertThat(reopened.committedOffset(OTHER_CHANGELOG)).isNull();

        reopened.put(key("a"), bytes("1"));
        reopened.commit(Map.of());
        ((RocksDbLocalCopy) reopened.localCopy()).awaitWritten();
        assertThat(reopened.committedOffset(CHANGELOG)).isNull();
        reopened.close();
        BucketMapKeyValueStore cleared = open();
        assertThat(cleared.committedOffset(CHANGELOG)).isNull();
        assertThat(entries(cleared)).containsExactly(Map.entry("a", "1")); // the data is still written
    }

    @Test
    void changelogRecordsRestoredAfterLoadingAreWrittenByTheNextCommit() {
        BucketMapKeyValueStore store = open();
        store.put(key("a"), bytes("loaded"));
        store.put(key("b"), bytes("loaded"));
        store.commit(Map.of(CHANGELOG, 1L));
        store.close();

        RestoringContext context = new RestoringContext(config(), stateDir);
        BucketMapKeyValueStore restoring = open(context);
        context.restore(List.of(
                record(2, "b", null),
                record(3, "c", "restored")));
        restoring.commit(Map.of(CHANGELOG, 3L));
        restoring.close();

        BucketMapKeyValueStore reopened = open();
        assertThat(entries(reopened)).containsExactly(Map.entry("a", "loaded"), Map.entry("c", "restored"));
        assertThat(reopened.committedOffset(CHANGELOG)).isEqualTo(3L);
    }

    @Test
    void theCopyLoadsOnlyAfterTheRestoredTailAtTheFirstCommit() {
        commitAndClose(1_000);

        RestoringContext context = new RestoringContext(config(), stateDir);
        BucketMapKeyValueStore restoring = open(context);
        context.restore(List.of(record(2, "k1", "restored"), record(3, "new", "restored")));

        assertThat(restoring.stats().entries()).as("the map holds only the restored records").isEqualTo(2);
        assertThat(restoring.get(key("k5"))).as("read from the copy meanwhile").isEqualTo(bytes("v5"));
        restoring.commit(Map.of(CHANGELOG, 3L)); // Kafka Streams commits the store when its restoration completes
        await().until(() -> restoring.stats().entries() == 1_001);
        assertThat(restoring.get(key("k1"))).isEqualTo(bytes("restored"));
    }

    @Test
    void aWriteFromProcessingStartsTheLoad() {
        commitAndClose(1_000);

        BucketMapKeyValueStore reopened = open();
        assertThat(reopened.stats().entries()).as("nothing loaded before the first write").isZero();
        reopened.put(key("k0"), bytes("processed"));

        await().until(() -> reopened.stats().entries() == 1_000);
        assertThat(reopened.get(key("k0"))).isEqualTo(bytes("processed"));
    }

    @Test
    void theIqPositionIsCommittedWithTheData() {
        RestoringContext context = new RestoringContext(config(), stateDir);
        BucketMapKeyValueStore store = open(context);
        context.processorContext().setRecordMetadata("input", 2, 7L);
        store.put(key("a"), bytes("1"));
        store.commit(Map.of(CHANGELOG, 1L));
        context.processorContext().setRecordMetadata("input", 2, 8L);
        store.put(key("b"), bytes("uncommitted"));
        store.close();

        assertThat(open().getPosition()).isEqualTo(Position.fromMap(Map.of("input", Map.of(2, 7L))));
    }

    @Test
    void loadsCopiesThatFillWholeLoaderBatchesAndPartOfOne() {
        for (int entries : new int[] {CopyLoader.BATCH_ENTRIES * 2, CopyLoader.BATCH_ENTRIES * 2 + 1}) {
            String name = "store-" + entries;
            BucketMapKeyValueStore store = open(name);
            for (int i = 0; i < entries; i++) {
                store.put(key(String.format("k%06d", i)), bytes("v" + i));
            }
            store.commit(Map.of(CHANGELOG, 1L));
            store.close();

            BucketMapKeyValueStore reopened = open(name);
            reopened.awaitCopyLoaded();

            assertThat(reopened.approximateNumEntries()).isEqualTo(entries);
            assertThat(reopened.get(key(String.format("k%06d", entries - 1)))).isEqualTo(bytes("v" + (entries - 1)));
            assertThat(entries(reopened)).hasSize(entries);
        }
    }

    @Test
    void keepsItsCopyInTheTaskDirectoryUnderItsName() {
        open("counts");

        assertThat(stateDir.toPath().resolve(Path.of(RocksDbLocalCopy.DIRECTORY, "counts"))).isDirectory();
    }

    @Test
    void theHashOrderVariantReopensWithItsEntries() {
        KeyValueBytesStoreSupplier supplier = BucketMapStores.persistentHashOrderKeyValueStore("store");
        BucketMapKeyValueStore store = open(supplier, new RestoringContext(config(), stateDir));
        for (int i = 0; i < 10_000; i++) {
            store.put(key("k" + i), bytes("v" + i));
        }
        store.commit(Map.of(CHANGELOG, 9_999L));
        store.close();

        BucketMapKeyValueStore reopened = open(supplier, new RestoringContext(config(), stateDir));
        reopened.awaitCopyLoaded();

        assertThat(reopened.isOrdered()).isFalse();
        assertThat(reopened.approximateNumEntries()).isEqualTo(10_000);
        assertThat(reopened.get(key("k1234"))).isEqualTo(bytes("v1234"));
    }

    @Test
    void closeReleasesTheDatabaseSoTheSameDirectoryOpensAgainAndAgain() {
        for (int round = 0; round < 20; round++) {
            BucketMapKeyValueStore store = open();
            store.put(key("round"), bytes(Integer.toString(round)));
            store.commit(Map.of(CHANGELOG, (long) round));
            store.close();
            store.close(); // idempotent
        }

        assertThat(entries(open())).containsExactly(Map.entry("round", "19"));
    }

    @Test
    void aSecondStoreOnAnOpenCopyFailsWithAClearError() {
        open();

        assertThatThrownBy(this::open)
                .hasMessageContaining("Cannot open the local copy of store store")
                .hasMessageContaining(RocksDbLocalCopy.DIRECTORY);
    }

    @Test
    void aClosedStoreRefusesCommitAndOffsetQueries() {
        BucketMapKeyValueStore store = open();
        store.close();

        assertThatThrownBy(() -> store.commit(Map.of(CHANGELOG, 1L))).isInstanceOf(InvalidStateStoreException.class);
        assertThatThrownBy(() -> store.committedOffset(CHANGELOG)).isInstanceOf(InvalidStateStoreException.class);
    }

    @Test
    void honoursTheApplicationsRocksDbConfigSetter() {
        RecordingConfigSetter.CALLS.clear();
        Properties config = config();
        config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RecordingConfigSetter.class.getName());

        BucketMapKeyValueStore store = open(BucketMapStores.persistentKeyValueStore("configured"),
                new RestoringContext(config, stateDir));
        store.close();

        assertThat(RecordingConfigSetter.CALLS).containsExactly(
                "setConfig configured maxWriteBufferNumber=2", "close configured");
    }

    /** Records Kafka's two calls; the options it sees must be this store's defaults. */
    public static final class RecordingConfigSetter implements RocksDBConfigSetter {
        static final List<String> CALLS = new CopyOnWriteArrayList<>();

        @Override
        public void setConfig(String storeName, Options options, Map<String, Object> configs) {
            CALLS.add("setConfig " + storeName + " maxWriteBufferNumber=" + options.maxWriteBufferNumber());
            options.setMaxWriteBufferNumber(3);
        }

        @Override
        public void close(String storeName, Options options) {
            CALLS.add("close " + storeName);
        }
    }

    private BucketMapKeyValueStore open() {
        return open("store");
    }

    /** Opens the store, puts {@code k0..k<entries-1>} with values {@code v0..}, commits them and closes it. */
    private void commitAndClose(int entries) {
        BucketMapKeyValueStore store = open();
        for (int i = 0; i < entries; i++) {
            store.put(key("k" + i), bytes("v" + i));
        }
        store.commit(Map.of(CHANGELOG, 1L));
        store.close();
    }

    private BucketMapKeyValueStore open(String name) {
        return open(BucketMapStores.persistentKeyValueStore(name), new RestoringContext(config(), stateDir));
    }

    private BucketMapKeyValueStore open(java.util.concurrent.Executor background) {
        return open(((BucketMapStoreSupplier) BucketMapStores.persistentKeyValueStore("store"))
                .withBackgroundExecutor(background), new RestoringContext(config(), stateDir));
    }

    private BucketMapKeyValueStore open(RestoringContext context) {
        return open(BucketMapStores.persistentKeyValueStore("store"), context);
    }

    private BucketMapKeyValueStore open(KeyValueBytesStoreSupplier supplier, RestoringContext context) {
        BucketMapKeyValueStore store = (BucketMapKeyValueStore) supplier.get();
        opened.add(store);
        store.init(context, store);
        return store;
    }

    private static Properties config() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "persistent-store-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:0");
        return config;
    }

    private static int changedKeyCount(BucketMapKeyValueStore store) {
        return ((RocksDbLocalCopy) store.localCopy()).changedKeyCount();
    }

    private static Map<String, String> entries(BucketMapKeyValueStore store) {
        Map<String, String> entries = new java.util.LinkedHashMap<>();
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            all.forEachRemaining(kv -> entries.put(string(kv.key.get()), string(kv.value)));
        }
        return entries;
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, String key, String value) {
        return new ConsumerRecord<>(CHANGELOG.topic(), CHANGELOG.partition(), offset, bytes(key),
                value == null ? null : bytes(value));
    }

    private static Bytes key(String key) {
        return Bytes.wrap(bytes(key));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
