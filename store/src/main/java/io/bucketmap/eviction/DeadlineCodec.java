package io.bucketmap.eviction;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The byte layouts of the two stores behind {@link DeadlineTracker}.
 *
 * <p>Deadline index key: {@code [8-byte deadline, big-endian, sign bit flipped][id bytes]}. Flipping the sign
 * bit maps {@code Long.MIN_VALUE..Long.MAX_VALUE} onto {@code 0x00..00..0xFF..FF}, so the unsigned
 * lexicographic byte order that Kafka's ordered stores use equals time order, negative times included; the
 * fixed width keeps the id from influencing the order of different deadlines.
 *
 * <p>Pending value: {@code [8-byte deadline, big-endian][value bytes]}: completing an entry needs its deadline
 * to find its index key, and keeping it next to the value costs one store read instead of two.
 */
final class DeadlineCodec {

    static final int DEADLINE_BYTES = Long.BYTES;

    private DeadlineCodec() {
    }

    static byte[] indexKey(long deadline, byte[] id) {
        return ByteBuffer.allocate(DEADLINE_BYTES + id.length)
            .putLong(deadline ^ Long.MIN_VALUE)
            .put(id)
            .array();
    }

    /**
     * The smallest index key whose deadline is {@code deadline}: every key of an earlier deadline sorts
     * before it, every key of this or a later deadline sorts at or after it.
     */
    static byte[] firstIndexKeyOf(long deadline) {
        return ByteBuffer.allocate(DEADLINE_BYTES).putLong(deadline ^ Long.MIN_VALUE).array();
    }

    static long deadlineOfIndexKey(byte[] indexKey) {
        return ByteBuffer.wrap(indexKey, 0, DEADLINE_BYTES).getLong() ^ Long.MIN_VALUE;
    }

    static byte[] idOfIndexKey(byte[] indexKey) {
        return Arrays.copyOfRange(indexKey, DEADLINE_BYTES, indexKey.length);
    }

    static byte[] pendingValue(long deadline, byte[] value) {
        return ByteBuffer.allocate(DEADLINE_BYTES + value.length).putLong(deadline).put(value).array();
    }

    static long deadlineOfPendingValue(byte[] pendingValue) {
        return ByteBuffer.wrap(pendingValue, 0, DEADLINE_BYTES).getLong();
    }

    static byte[] valueOfPendingValue(byte[] pendingValue) {
        return Arrays.copyOfRange(pendingValue, DEADLINE_BYTES, pendingValue.length);
    }
}
