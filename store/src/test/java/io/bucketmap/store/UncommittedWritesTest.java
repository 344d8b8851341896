package io.bucketmap.store;

import io.bucketmap.core.KeyRange;
import org.apache.kafka.streams.query.Position;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The undo record's read protocol and its cut of deleted keys, with the writer's steps placed exactly where a reader
 * thread could be overtaken (a map read stands in for the store's map).
 */
class UncommittedWritesTest {
    private final Map<String, byte[]> map = new HashMap<>();
    private final Function<byte[], byte[]> mapRead = key -> map.get(text(key));
    private final UncommittedWrites record = new UncommittedWrites(Position.emptyPosition(), true);

    @Test
    void aCommittedReadOvertakenByAWriteAndACommitReadsTheMapAgain() {
        write("k", "committed-1");
        record.commit(Position.emptyPosition());
        write("k", "uncommitted");
        List<String> reads = new ArrayList<>();
        Function<byte[], byte[]> overtaken = key -> {
            byte[] value = mapRead.apply(key);
            reads.add(text(value));
            if (reads.size() == 1) {
                // between this read and the reader's look at the record: overwritten, then committed
                write("k", "committed-2");
                record.commit(Position.emptyPosition());
            }
            return value;
        };

        byte[] answer = record.committedValue(bytes("k"), overtaken);

        assertThat(text(answer)).as("never 'uncommitted', which no commit held").isEqualTo("committed-2");
        assertThat(reads).containsExactly("uncommitted", "committed-2");
    }

    @Test
    void aCommittedReadSeesTheValueAtTheLastCommitOfAKeyChangedSinceAndNullForAKeyInsertedSince() {
        write("changed", "old");
        record.commit(Position.emptyPosition());
        write("changed", "new");
        write("inserted", "new");

        assertThat(text(record.committedValue(bytes("changed"), mapRead))).isEqualTo("old");
        assertThat(record.committedValue(bytes("inserted"), mapRead)).isNull();
    }

    @Test
    void theDeletedKeysOfAnOrderedStoreThatHadACommittedValueAreCutFromAStartOrAfterAKeyInEitherDirection() {
        for (String key : List.of("a", "b", "c", "d", "e")) {
            write(key, key + "0");
        }
        record.commit(Position.emptyPosition());
        for (String key : List.of("e", "b", "d", "a")) {
            delete(key);
        }
        write("c", "updated"); // still in the map, where a range finds it: not among the entries
        write("bb", "inserted");
        delete("bb"); // had no committed value: not among the entries
        UncommittedWrites.Interval interval = record.current();

        assertThat(keys(interval.committedEntries(null, null, false))).containsExactly("a", "b", "d", "e");
        assertThat(keys(interval.committedEntries(bytes("b"), null, false))).containsExactly("b", "d", "e");
        assertThat(keys(interval.committedEntries(bytes("b"), bytes("b"), false))).containsExactly("d", "e");
        assertThat(keys(interval.committedEntries(bytes("d"), null, true))).containsExactly("d", "b", "a");
        assertThat(keys(interval.committedEntries(null, bytes("d"), true))).containsExactly("b", "a");
        assertThat(interval.recorded()).isEqualTo(4);
        // a hash-order store's cut: every changed key that had a committed value, updated ones included
        assertThat(interval.committedEntriesIn(KeyRange.closed(bytes("b"), bytes("d"))))
                .extracting(entry -> text(entry.getKey())).containsExactlyInAnyOrder("b", "c", "d");
    }

    @Test
    void aRestoredBatchMovesTheCommittedPositionOnlyWhileNothingIsUncommitted() {
        Position restored = Position.emptyPosition().withComponent("input", 0, 3L);
        record.restored(restored);
        assertThat(record.committedPosition()).isEqualTo(restored);

        write("k", "v");
        record.restored(Position.emptyPosition().withComponent("input", 0, 9L));

        assertThat(record.committedPosition()).isEqualTo(restored);
    }

    private void write(String key, String value) {
        record.beforePut(bytes(key), value.length(), mapRead);
        map.put(key, bytes(value));
    }

    private void delete(String key) {
        record.beforeDelete(bytes(key), mapRead);
        map.remove(key);
    }

    private static List<String> keys(Iterator<Map.Entry<byte[], byte[]>> entries) {
        List<String> keys = new ArrayList<>();
        entries.forEachRemaining(entry -> keys.add(text(entry.getKey())));
        return keys;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
