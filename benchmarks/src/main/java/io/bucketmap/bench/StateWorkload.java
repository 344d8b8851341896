package io.bucketmap.bench;

import java.util.SplittableRandom;

/**
 * The two shapes of state issue 22 measures memory and collections on, each a pure function of an id (and, for a
 * value, a version), returning a fresh array per call as Kafka's serializers and change-logging layer hand one over:
 * <ul>
 *   <li>{@link #COUNTS}: a DSL count per user, keys {@code user-00001234} (13 bytes), values 16 bytes (an 8-byte
 *       timestamp and an 8-byte count, as a timestamped store holds a count);</li>
 *   <li>{@link #EVENTS}: pending events, keys {@code risk-event-0000001234} (21 bytes), values 100 bytes.</li>
 * </ul>
 * Thread-safe (stateless). Cost: one small allocation and O(length) work per call.
 */
public enum StateWorkload {
    COUNTS("user-", 8, 16),
    EVENTS("risk-event-", 10, 100);

    private final byte[] prefix;
    private final int digits;
    private final int valueBytes;

    StateWorkload(String prefix, int digits, int valueBytes) {
        this.prefix = prefix.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.digits = digits;
        this.valueBytes = valueBytes;
    }

    /** The key of {@code id}: the prefix and the id in zero-padded decimal digits. */
    public byte[] key(long id) {
        byte[] key = new byte[prefix.length + digits];
        System.arraycopy(prefix, 0, key, 0, prefix.length);
        long rest = id;
        for (int i = key.length - 1; i >= prefix.length; i--) {
            key[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        return key;
    }

    /** Version {@code version} of the value of {@code id}: a count's timestamp and count, an event's bytes. */
    public byte[] value(long id, long version) {
        byte[] value = new byte[valueBytes];
        if (this == COUNTS) {
            long timestamp = 1_700_000_000_000L + version;
            for (int i = 0; i < 8; i++) {
                value[i] = (byte) (timestamp >>> (56 - 8 * i));
                value[8 + i] = (byte) ((version + id) >>> (56 - 8 * i));
            }
        } else {
            new SplittableRandom(id * 31 + version).nextBytes(value);
        }
        return value;
    }

    /** Key and value bytes of one entry: the payload a store holds at least. */
    public int payloadBytes() {
        return prefix.length + digits + valueBytes;
    }
}
