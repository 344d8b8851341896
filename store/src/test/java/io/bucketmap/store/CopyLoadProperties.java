package io.bucketmap.store;

import io.bucketmap.core.BucketMap;
import io.bucketmap.core.BucketMapIterator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Model-based property of the background load: a random script of writes, reads, commits and loader steps runs
 * against a {@link CopyLoad} and a {@link HashMap} model that starts as the copy. Every answer must be the model's,
 * at every interleaving of the loader with the writes, and the map must equal the model once the load is done.
 *
 * <p>The loader reads the copy as it was when the load started (a RocksDB iterator reads a snapshot), while point
 * reads see the copy as commits change it, as in {@link RocksDbLocalCopy}. Everything runs on one thread: the
 * interleavings are the script's, so a failure shrinks to a readable script. Real threads are
 * {@link CopyLoadTest}'s business.
 */
class CopyLoadProperties {
    private static final int KEY_SPACE = 40;

    sealed interface Op permits Put, Delete, PutIfAbsent, Get, Commit, LoadNext {
    }

    record Put(int key, int value) implements Op {
    }

    record Delete(int key) implements Op {
    }

    record PutIfAbsent(int key, int value) implements Op {
    }

    record Get(int key) implements Op {
    }

    /** Writes the keys changed since the last commit to the copy, as a commit during the load does. */
    record Commit() implements Op {
    }

    /** The loader inserts its next {@code count} copy entries (in key order). */
    record LoadNext(int count) implements Op {
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void everyAnswerDuringTheLoadIsTheModelsAndTheLoadedMapEqualsIt(
            @ForAll("copies") Map<Integer, Integer> copyAtOpen, @ForAll("scripts") List<Op> script,
            @ForAll boolean ordered) {
        Map<String, String> copy = new HashMap<>();
        copyAtOpen.forEach((key, value) -> copy.put(key(key), "copy-" + value));
        List<Map.Entry<String, String>> snapshot = new ArrayList<>(new TreeMap<>(copy).entrySet());
        Map<String, String> model = new HashMap<>(copy);
        Set<String> changedSinceCommit = new HashSet<>();
        BucketMap map = ordered ? BucketMap.ordered() : BucketMap.hashOrdered();
        CopyLoad load = new CopyLoad(map, key -> bytes(copy.get(string(key))), sink -> { },
                CopyLoad.AFTER_RESTORATION, SharedBackgroundExecutor.get(), "store", null, copy.size());
        int loaded = 0;

        for (Op op : script) {
            if (op instanceof Put put) {
                String key = key(put.key());
                boolean hadValue = model.put(key, value(put.value())) != null;
                boolean mayHaveHadValue = load.put(bytes(key), bytes(value(put.value())));
                if (hadValue) {
                    assertThat(mayHaveHadValue).as("%s over a value must say it may have had one", op).isTrue();
                }
                changedSinceCommit.add(key);
            } else if (op instanceof Delete delete) {
                String key = key(delete.key());
                assertThat(string(load.delete(bytes(key)))).as("%s returns", op).isEqualTo(model.remove(key));
                changedSinceCommit.add(key);
            } else if (op instanceof PutIfAbsent putIfAbsent) {
                String key = key(putIfAbsent.key());
                String value = value(putIfAbsent.value());
                assertThat(string(load.putIfAbsent(bytes(key), bytes(value)))).as("%s returns", op)
                        .isEqualTo(model.putIfAbsent(key, value));
                changedSinceCommit.add(key);
            } else if (op instanceof Get get) {
                assertThat(string(load.get(bytes(key(get.key()))))).as("%s", op).isEqualTo(model.get(key(get.key())));
            } else if (op instanceof Commit) {
                for (String key : changedSinceCommit) {
                    if (model.containsKey(key)) {
                        copy.put(key, model.get(key));
                    } else {
                        copy.remove(key);
                    }
                }
                changedSinceCommit.clear();
            } else if (op instanceof LoadNext next) {
                loaded = insert(load, snapshot, loaded, next.count());
            }
        }
        insert(load, snapshot, loaded, snapshot.size() - loaded);
        load.finish();

        assertThat(load.isDone()).isTrue();
        assertThat(contents(map)).as("the map once loaded").isEqualTo(model);
        for (int key = 0; key < KEY_SPACE; key++) {
            assertThat(string(load.get(bytes(key(key))))).as("get %d once done", key).isEqualTo(model.get(key(key)));
        }
    }

    @Provide
    Arbitrary<Map<Integer, Integer>> copies() {
        return Arbitraries.maps(Arbitraries.integers().between(0, KEY_SPACE - 1), Arbitraries.integers().between(0, 9))
                .ofMaxSize(KEY_SPACE);
    }

    @Provide
    Arbitrary<List<Op>> scripts() {
        Arbitrary<Integer> keys = Arbitraries.integers().between(0, KEY_SPACE - 1);
        Arbitrary<Integer> values = Arbitraries.integers().between(0, 9);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                Tuple.of(4, Combinators.combine(keys, values).as(Put::new)),
                Tuple.of(3, keys.map(Delete::new)),
                Tuple.of(2, Combinators.combine(keys, values).as(PutIfAbsent::new)),
                Tuple.of(4, keys.map(Get::new)),
                Tuple.of(1, Arbitraries.just(new Commit())),
                Tuple.of(3, Arbitraries.integers().between(1, 8).map(LoadNext::new)));
        return op.list().ofMaxSize(120);
    }

    /** Inserts up to {@code count} snapshot entries from position {@code loaded}; returns the new position. */
    private static int insert(CopyLoad load, List<Map.Entry<String, String>> snapshot, int loaded, int count) {
        int end = Math.min(snapshot.size(), loaded + count);
        byte[][] keys = new byte[end - loaded][];
        byte[][] values = new byte[end - loaded][];
        for (int i = loaded; i < end; i++) {
            keys[i - loaded] = bytes(snapshot.get(i).getKey());
            values[i - loaded] = bytes(snapshot.get(i).getValue());
        }
        load.insert(keys, values, keys.length);
        return end;
    }

    private static Map<String, String> contents(BucketMap map) {
        Map<String, String> contents = new HashMap<>();
        try (BucketMapIterator entries = map.iterator()) {
            entries.forEachRemaining(entry -> contents.put(string(entry.key()), string(entry.value())));
        }
        return contents;
    }

    private static String key(int key) {
        return String.format("k%02d", key);
    }

    private static String value(int value) {
        return "written-" + value;
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
