package io.bucketmap.store;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.bucketmap.store.ExpiringStoreTest.key;
import static io.bucketmap.store.ExpiringStoreTest.value;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A persistent store with a time to live reopened from its local copy: the copy records the stream time, so what had
 * expired before the restart stays hidden before any record arrives, and the entries loaded from the copy are filed
 * for expiry and removed like any others, from the copy too.
 */
@RequiresKafkaStreams("4.3")
class PersistentExpiringStoreTest {
    private static final Duration TTL = Duration.ofSeconds(10);
    private static final long SLOT = TTL.toMillis() / ExpiringData.SLOTS_PER_TTL;
    private static final TopicPartition CHANGELOG = new TopicPartition("app-ttl-changelog", 0);

    @TempDir
    File stateDir;
    private final List<BucketMapKeyValueStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(BucketMapKeyValueStore::close);
    }

    @Test
    void whatExpiredBeforeTheRestartStaysHiddenBeforeAnyWrite() {
        BucketMapKeyValueStore store = open(supplier().withTtl(TTL));
        store.put(key("old"), value(0, "old"));
        store.put(key("recent"), value(5_000, "recent"));
        store.put(key("clock"), value(10_000, "tick"));
        store.commit(Map.of(CHANGELOG, 3L));
        store.close();

        BucketMapKeyValueStore reopened = open(supplier().withTtl(TTL));

        assertThat(reopened.get(key("old"))).isNull();
        assertThat(reopened.get(key("recent"))).isEqualTo(value(5_000, "recent"));
        reopened.awaitCopyLoaded();
        assertThat(keys(reopened)).containsExactly("clock", "recent");
    }

    @Test
    void entriesLoadedFromTheCopyAreRemovedWhenTheyExpireAndLeaveTheCopy() {
        BucketMapKeyValueStore store = open(supplier().withTtl(TTL));
        for (int i = 0; i < 100; i++) {
            store.put(key("old-" + i), value(i, "v"));
        }
        store.put(key("young"), value(9_000, "v"));
        store.commit(Map.of(CHANGELOG, 101L));
        store.close();

        BucketMapKeyValueStore reopened = open(supplier().withTtl(TTL));
        reopened.awaitCopyLoaded();
        reopened.put(key("clock"), value(10_000 + SLOT + 100, "tick"));
        reopened.commit(Map.of(CHANGELOG, 102L)); // files the loaded entries
        reopened.commit(Map.of(CHANGELOG, 102L)); // removes those expired: no tombstone is owed here
        assertThat(reopened.approximateNumEntries()).isEqualTo(2);
        ((RocksDbLocalCopy) reopened.localCopy()).awaitWritten();
        reopened.close();

        BucketMapKeyValueStore again = open(supplier().withTtl(TTL));
        again.awaitCopyLoaded();
        assertThat(again.approximateNumEntries()).as("the copy dropped them too").isEqualTo(2);
        assertThat(keys(again)).containsExactly("clock", "young");
    }

    @Test
    void aCopyWrittenWithoutATtlGetsItsStreamTimeFromItsEntries() {
        BucketMapKeyValueStore store = open(supplier());
        store.put(key("old"), value(0, "old"));
        store.put(key("clock"), value(20_000, "tick"));
        store.commit(Map.of(CHANGELOG, 2L));
        store.close();

        BucketMapKeyValueStore reopened = open(supplier().withTtl(TTL));
        reopened.awaitCopyLoaded();
        reopened.commit(Map.of(CHANGELOG, 2L)); // the scan reads every loaded entry's record time

        assertThat(reopened.get(key("old"))).isNull();
        assertThat(reopened.get(key("clock"))).isNotNull();
    }

    @Test
    void aPlainStoreWithATtlKeepsItsCopyApartFromThePlainCopy() {
        BucketMapKeyValueStore plain = open(BucketMapStores.persistentKeyValueStore("ttl"));
        plain.put(key("a"), "plain".getBytes(StandardCharsets.UTF_8));
        plain.commit(Map.of(CHANGELOG, 1L));
        plain.close();

        BucketMapKeyValueStore expiring = open(BucketMapStores.persistentKeyValueStore("ttl").withTtl(TTL));

        assertThat(expiring.get(key("a"))).as("its values carry a record time: it cannot read a plain copy").isNull();
        assertThat(expiring.committedOffset(CHANGELOG)).as("so it restores from the changelog").isNull();
    }

    private BucketMapKeyValueStore open(BucketMapStoreSupplier supplier) {
        BucketMapKeyValueStore store = (BucketMapKeyValueStore) supplier.get();
        store.init(new RestoringContext(new Properties(), stateDir), store);
        opened.add(store);
        return store;
    }

    private static BucketMapStoreSupplier supplier() {
        return BucketMapStores.persistentTimestampedKeyValueStore("ttl");
    }

    private static List<String> keys(KeyValueStore<Bytes, byte[]> store) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            all.forEachRemaining(entry -> keys.add(new String(entry.key.get(), StandardCharsets.UTF_8)));
        }
        return keys;
    }
}
