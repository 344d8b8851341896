package io.bucketmap.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link BucketMap#writeAll}, the batch write of changelog restoration: the same map, the same previous values, as the
 * puts and deletes one by one, whatever happens in the middle of a batch (growth, shrinking, a key written twice).
 */
class WriteAllTest {

    private static byte[] key(int id) {
        return String.format("risk-event-%010d", id).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] value(int id, int version) {
        return (id + "." + version).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Batches of 1,000 random puts and deletes over 20,000 ids (a key often written twice in one batch), first growing
     * the map through many doublings, then deleting most of it so it shrinks mid-batch: after every batch each previous
     * value is the model's, and the map holds exactly the model, in key order for the ordered map.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aBatchDoesWhatItsWritesOneByOneWouldDo(boolean ordered) {
        BucketMap map = ordered ? BucketMap.ordered() : BucketMap.hashOrdered();
        TreeMap<String, byte[]> model = new TreeMap<>();
        Random random = new Random(42);
        byte[][] keys = new byte[1_000][];
        byte[][] values = new byte[1_000][];
        byte[][] previous = new byte[1_000][];
        for (int batch = 0; batch < 120; batch++) {
            int deletePercent = batch < 60 ? 10 : 90;
            byte[][] expectedPrevious = new byte[keys.length][];
            for (int i = 0; i < keys.length; i++) {
                int id = random.nextInt(20_000);
                keys[i] = key(id);
                values[i] = random.nextInt(100) < deletePercent ? null : value(id, batch);
                String text = new String(keys[i], StandardCharsets.US_ASCII);
                expectedPrevious[i] = values[i] == null ? model.remove(text) : model.put(text, values[i]);
            }
            map.writeAll(keys, values, previous, keys.length);
            for (int i = 0; i < keys.length; i++) {
                assertThat(previous[i]).as("previous value of write %d in batch %d", i, batch).isEqualTo(expectedPrevious[i]);
            }
            assertThat(map.size()).isEqualTo(model.size());
        }
        assertThat(map.stats().migrationsFinished()).as("the batches grew and shrank the table").isGreaterThan(4);
        TreeMap<String, byte[]> contents = new TreeMap<>();
        try (BucketMapIterator iterator = map.iterator()) {
            while (iterator.hasNext()) {
                BucketMap.Entry entry = iterator.next();
                contents.put(new String(entry.key(), StandardCharsets.US_ASCII), entry.value());
            }
        }
        assertThat(contents.keySet()).containsExactlyElementsOf(model.keySet());
        contents.forEach((text, stored) -> assertThat(stored).isEqualTo(model.get(text)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aNullKeyFailsTheBatchThereWithTheWritesBeforeItApplied(boolean ordered) {
        BucketMap map = ordered ? BucketMap.ordered() : BucketMap.hashOrdered();
        byte[][] keys = {key(1), key(2), null, key(3)};
        byte[][] values = {value(1, 0), value(2, 0), value(9, 0), value(3, 0)};

        assertThatThrownBy(() -> map.writeAll(keys, values, new byte[4][], 4))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("key must not be null");

        assertThat(map.get(key(1))).isEqualTo(value(1, 0));
        assertThat(map.get(key(2))).isEqualTo(value(2, 0));
        assertThat(map.get(key(3))).isNull();
        assertThat(map.size()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void onlyTheFirstCountRecordsAreWritten(boolean ordered) {
        BucketMap map = ordered ? BucketMap.ordered() : BucketMap.hashOrdered();
        byte[][] keys = {key(1), key(2), key(3)};
        byte[][] values = {value(1, 0), value(2, 0), value(3, 0)};
        byte[][] previous = new byte[3][];
        Arrays.fill(previous, value(0, 0));

        map.writeAll(keys, values, previous, 2);

        assertThat(map.size()).isEqualTo(2);
        assertThat(map.get(key(3))).isNull();
        assertThat(previous[0]).isNull();
        assertThat(previous[2]).as("untouched beyond count").isEqualTo(value(0, 0));
    }
}
