package io.bucketmap.store;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.BatchingStateRestoreCallback;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.internals.PositionSerde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Restoration from the changelog through the callback the store registers, checked against a model. */
class ChangelogRestoreTest {
    private static final String TOPIC = "app-store-changelog";

    private BucketMapKeyValueStore store;

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void restoringPutsOverwritesAndTombstonesInBatchesLeavesExactlyTheModelsContents() {
        RestoringContext context = new RestoringContext();
        store = ordered(context);
        TreeMap<Bytes, byte[]> model = new TreeMap<>();
        Random random = new Random(42);
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
        for (long offset = 0; offset < 30_000; offset++) {
            byte[] key = bytes("key-" + random.nextInt(3_000));
            byte[] value = random.nextInt(4) == 0 ? null : bytes("value-" + offset);
            if (value == null) {
                model.remove(Bytes.wrap(key));
            } else {
                model.put(Bytes.wrap(key), value);
            }
            batch.add(record(offset, key, value, new RecordHeaders()));
            if (batch.size() == 1 + random.nextInt(500)) {
                context.restore(batch);
                batch = new ArrayList<>();
            }
        }
        context.restore(batch);

        assertThat(store.approximateNumEntries()).isEqualTo(model.size());
        List<Map.Entry<Bytes, byte[]>> expected = new ArrayList<>(model.entrySet());
        List<KeyValue<Bytes, byte[]>> actual = drain(store.all());
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).key).isEqualTo(expected.get(i).getKey());
            assertThat(actual.get(i).value).isEqualTo(expected.get(i).getValue());
        }
    }

    @Test
    void aContextThatUsesThePublicBatchingInterfaceRestoresTooTombstonesIncluded() {
        RestoringContext context = new RestoringContext();
        store = ordered(context);
        BatchingStateRestoreCallback callback = (BatchingStateRestoreCallback) context.restoreCallback();

        callback.restoreAll(List.of(
                KeyValue.pair(bytes("a"), bytes("1")),
                KeyValue.pair(bytes("b"), bytes("2")),
                KeyValue.pair(bytes("a"), bytes("3")),
                KeyValue.pair(bytes("b"), null)));
        callback.restore(bytes("c"), bytes("4"));

        assertThat(store.get(Bytes.wrap(bytes("a")))).isEqualTo(bytes("3"));
        assertThat(store.get(Bytes.wrap(bytes("b")))).isNull();
        assertThat(store.get(Bytes.wrap(bytes("c")))).isEqualTo(bytes("4"));
        assertThat(store.approximateNumEntries()).isEqualTo(2);
    }

    @Test
    void restoringRecordsThatCarryAPositionVectorAdvancesTheStorePositionWhenConsistencyIsEnabled() {
        Properties config = new Properties();
        config.put(StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, true);
        RestoringContext context = new RestoringContext(config);
        store = ordered(context);
        Position written = Position.emptyPosition().withComponent("input", 0, 41L);
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader("v", new byte[] {0}));
        headers.add(new RecordHeader("c", PositionSerde.serialize(written).array()));

        context.restore(List.of(record(0, bytes("k"), bytes("v"), headers)));

        assertThat(store.getPosition()).isEqualTo(written);
        assertThat(store.get(Bytes.wrap(bytes("k")))).isEqualTo(bytes("v"));
    }

    @Test
    void readersOnOtherThreadsMayReadWhileTheStoreRestores() throws InterruptedException {
        RestoringContext context = new RestoringContext();
        store = ordered(context);
        byte[] stable = bytes("aaa-stable");
        context.restore(List.of(record(0, stable, bytes("stable-value"), new RecordHeaders())));
        AtomicBoolean restoring = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong scans = new AtomicLong();
        Thread reader = new Thread(() -> {
            try {
                while (restoring.get()) {
                    assertThat(store.get(Bytes.wrap(stable))).isEqualTo(bytes("stable-value"));
                    int stableSeen = 0;
                    try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
                        while (all.hasNext()) {
                            KeyValue<Bytes, byte[]> next = all.next();
                            assertThat(next.value).isNotNull();
                            stableSeen += Arrays.equals(next.key.get(), stable) ? 1 : 0;
                        }
                    }
                    assertThat(stableSeen).isEqualTo(1);
                    scans.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "iq-reader");
        reader.start();
        for (int round = 0; round < 50 && failure.get() == null; round++) {
            List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                byte[] key = bytes("key-" + (round * 1_000 + i) % 20_000);
                batch.add(record(round * 1_000L + i, key, round >= 25 ? null : key, new RecordHeaders()));
            }
            context.restore(batch);
        }
        restoring.set(false);
        reader.join(30_000);

        assertThat(reader.isAlive()).as("the reader ends its last scan within 30 s").isFalse();
        assertThat(failure.get()).isNull();
        assertThat(scans.get()).isPositive();
        assertThat(store.approximateNumEntries()).isEqualTo(1);
    }

    /** Through every growth step from an empty table; the rate is measured in {@code benchmarks/} (RestoreRate). */
    @Test
    void restoresAQuarterMillionRecordsInChangelogSizedBatchesThroughEveryGrowthStep() {
        RestoringContext context = new RestoringContext();
        store = ordered(context);
        int records = 250_000;
        int batchSize = 1_000; // Kafka's default max.poll.records for the restore consumer
        byte[] value = new byte[100];
        for (int start = 0; start < records; start += batchSize) {
            List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(batchSize);
            for (int offset = start; offset < start + batchSize; offset++) {
                batch.add(record(offset, bytes(String.format("key-%09d", offset)), value, new RecordHeaders()));
            }
            context.restore(batch);
        }

        assertThat(store.approximateNumEntries()).isEqualTo(records);
        assertThat(store.get(Bytes.wrap(bytes(String.format("key-%09d", records - 1))))).isEqualTo(value);
        assertThat(store.get(Bytes.wrap(bytes(String.format("key-%09d", 0))))).isEqualTo(value);
    }

    private static BucketMapKeyValueStore ordered(RestoringContext context) {
        BucketMapKeyValueStore store = (BucketMapKeyValueStore) BucketMapStores.keyValueStore("store").get();
        store.init(context, store);
        return store;
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, byte[] key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>(TOPIC, 0, offset, 0L, TimestampType.CREATE_TIME, key.length,
                value == null ? 0 : value.length, key, value, headers, Optional.empty());
    }

    private static List<KeyValue<Bytes, byte[]>> drain(KeyValueIterator<Bytes, byte[]> iterator) {
        try (iterator) {
            List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>();
            iterator.forEachRemaining(entries::add);
            return entries;
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
