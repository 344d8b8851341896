package io.bucketmap.store;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Model-based properties of expiry: a random script of writes (record times going back and forth), deletes,
 * put-if-absents, reads, scans, commits, restores from the changelog and, on a wall clock, clock ticks runs against a
 * store with a time to live and a model (a map of each key's last value and record time, judged at the model's now).
 * Every answer must be the model's; a store restored from the changelog the script wrote (what Kafka's change-logging
 * layer logs for the writes) must show exactly the model's live keys; and once time has moved a time to live and a
 * slot past every write, the store must hold no expired entry.
 *
 * <p>The store runs under a context without changelog, where removing an expired entry needs no tombstone (the
 * tombstones are {@link ExpiringTopologyTest}'s); timestamped values, ordered and hash-order maps.
 */
class ExpiryProperties {
    private static final int KEY_SPACE = 30;
    private static final long TTL = 10_000;
    private static final long SLOT = TTL / ExpiringData.SLOTS_PER_TTL;
    private static final long START = 1_000_000;

    sealed interface Op permits Put, Delete, PutIfAbsent, Get, Scan, Commit, Restore, Tick {
    }

    /** A write at {@code START + time} milliseconds. */
    record Put(int key, long time) implements Op {
    }

    record Delete(int key) implements Op {
    }

    record PutIfAbsent(int key, long time) implements Op {
    }

    record Get(int key) implements Op {
    }

    record Scan() implements Op {
    }

    record Commit() implements Op {
    }

    /** Closes the store and restores a new one from the changelog, in batches of {@code batchSize} records. */
    record Restore(int batchSize) implements Op {
    }

    /** Moves the wall clock on (a no-op on stream time). */
    record Tick(long millis) implements Op {
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void everyReadIsTheModelsOnStreamTimeAndARestoreBringsBackOnlyLiveKeys(
            @ForAll("scripts") List<Op> script, @ForAll boolean ordered) {
        new Run(ordered, null).run(script);
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void everyReadIsTheModelsOnAWallClockAndARestoreBringsBackOnlyLiveKeys(
            @ForAll("scripts") List<Op> script, @ForAll boolean ordered) {
        new Run(ordered, new ExpiringStoreTest.MutableClock(Instant.ofEpochMilli(START))).run(script);
    }

    /** One script against one store (and the stores restored from its changelog) and the model. */
    private static final class Run {
        private final boolean ordered;
        private final ExpiringStoreTest.MutableClock clock;
        /** Key to its last live write: value and record time. */
        private final Map<String, Write> model = new HashMap<>();
        private final List<ConsumerRecord<byte[], byte[]>> changelog = new ArrayList<>();
        private long streamTime = Long.MIN_VALUE;
        /** Typed as the class: {@code KeyValueStore.commit(Map)} is Kafka Streams 4.3's, the store's own method is on every version. */
        private BucketMapKeyValueStore store;
        private RestoringContext context;
        private int written;

        Run(boolean ordered, ExpiringStoreTest.MutableClock clock) {
            this.ordered = ordered;
            this.clock = clock;
        }

        void run(List<Op> script) {
            open();
            try {
                for (Op op : script) {
                    apply(op);
                }
                assertEverythingExpiredLeavesOnceTimeHasPassed();
            } finally {
                store.close();
            }
        }

        private void apply(Op op) {
            if (op instanceof Put put) {
                write(put.key(), put.time());
            } else if (op instanceof Delete delete) {
                String key = key(delete.key());
                byte[] expected = visibleValue(key);
                model.remove(key);
                log(key, null, 0);
                assertThat(store.delete(bytes(key))).as("%s returns", op).isEqualTo(expected);
            } else if (op instanceof PutIfAbsent putIfAbsent) {
                String key = key(putIfAbsent.key());
                byte[] expected = visibleValue(key);
                byte[] value = value(putIfAbsent.time(), "pia-" + written++);
                byte[] returned = store.putIfAbsent(bytes(key), value);
                assertThat(returned).as("%s returns", op).isEqualTo(expected);
                if (expected == null) {
                    record(key, value, START + putIfAbsent.time());
                }
            } else if (op instanceof Get get) {
                String key = key(get.key());
                assertThat(store.get(bytes(key))).as("%s", op).isEqualTo(visibleValue(key));
            } else if (op instanceof Scan) {
                assertThat(contents()).as("a scan").isEqualTo(visible());
            } else if (op instanceof Commit) {
                store.commit(Map.of());
            } else if (op instanceof Restore restore) {
                store.close();
                open();
                for (int from = 0; from < changelog.size(); from += restore.batchSize()) {
                    context.restore(changelog.subList(from, Math.min(changelog.size(), from + restore.batchSize())));
                }
                assertThat(contents()).as("the restored store").isEqualTo(visible());
            } else if (op instanceof Tick tick && clock != null) {
                clock.advance(Duration.ofMillis(tick.millis()));
            }
        }

        private void write(int keyIndex, long time) {
            String key = key(keyIndex);
            byte[] value = value(time, "v-" + written++);
            store.put(bytes(key), value);
            record(key, value, START + time);
        }

        /** The model's side of a write the change-logging layer logs. */
        private void record(String key, byte[] value, long recordTime) {
            streamTime = Math.max(streamTime, recordTime);
            if (expired(recordTime)) {
                model.remove(key);
            } else {
                model.put(key, new Write(value, recordTime));
            }
            log(key, value, recordTime);
        }

        private void log(String key, byte[] value, long recordTime) {
            changelog.add(new ConsumerRecord<>("app-ttl-changelog", 0, changelog.size(),
                    key.getBytes(StandardCharsets.UTF_8), value));
        }

        /** After the script: time moves a ttl and a slot past everything, commits remove what expired. */
        private void assertEverythingExpiredLeavesOnceTimeHasPassed() {
            long later = Math.max(streamTime, now()) + TTL + SLOT;
            if (clock != null) {
                clock.advance(Duration.ofMillis(later - now()));
            }
            store.put(bytes("clock"), value(later - START, "tick"));
            for (int i = 0; i < 10; i++) {
                store.commit(Map.of());
            }
            assertThat(store.approximateNumEntries()).as("entries left once all but the last write expired")
                    .isEqualTo(1);
        }

        private long now() {
            return clock == null ? streamTime : clock.millis();
        }

        private boolean expired(long recordTime) {
            return recordTime + TTL <= now();
        }

        private byte[] visibleValue(String key) {
            Write write = model.get(key);
            return write == null || expired(write.recordTime()) ? null : write.value();
        }

        private Map<String, String> visible() {
            Map<String, String> visible = new TreeMap<>();
            model.forEach((key, write) -> {
                if (!expired(write.recordTime())) {
                    visible.put(key, hex(write.value()));
                }
            });
            return visible;
        }

        private Map<String, String> contents() {
            Map<String, String> contents = new TreeMap<>();
            try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
                all.forEachRemaining(entry -> {
                    String previous = contents.put(new String(entry.key.get(), StandardCharsets.UTF_8),
                            hex(entry.value));
                    assertThat(previous).as("a key returned twice").isNull();
                });
            }
            return contents;
        }

        private void open() {
            BucketMapStoreSupplier supplier = new BucketMapStoreSupplier("ttl", ordered, false,
                    ValueFormat.TIMESTAMPED);
            supplier = clock == null ? supplier.withTtl(Duration.ofMillis(TTL))
                    : supplier.withTtl(Duration.ofMillis(TTL), clock);
            context = new RestoringContext(new Properties());
            store = (BucketMapKeyValueStore) supplier.get();
            store.init(context, store);
        }
    }

    private record Write(byte[] value, long recordTime) {
    }

    @Provide
    Arbitrary<List<Op>> scripts() {
        Arbitrary<Integer> keys = Arbitraries.integers().between(0, KEY_SPACE - 1);
        // record times wander forward over a few ttls and sometimes back (late records)
        Arbitrary<Long> times = Arbitraries.longs().between(0, 4 * TTL);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(30, Combinators.combine(keys, times).as(Put::new)),
                net.jqwik.api.Tuple.of(6, keys.map(Delete::new)),
                net.jqwik.api.Tuple.of(6, Combinators.combine(keys, times).as(PutIfAbsent::new)),
                net.jqwik.api.Tuple.of(15, keys.map(Get::new)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(new Scan())),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(new Commit())),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1, 20).map(Restore::new)),
                net.jqwik.api.Tuple.of(6, Arbitraries.longs().between(1, TTL).map(Tick::new)));
        return op.list().ofMinSize(1).ofMaxSize(150);
    }

    private static String key(int index) {
        return "k" + index;
    }

    private static Bytes bytes(String key) {
        return Bytes.wrap(key.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] value(long time, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(Long.BYTES + bytes.length).putLong(START + time).put(bytes).array();
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(String.format("%02x", b));
        }
        return text.toString();
    }
}
