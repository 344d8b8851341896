package io.bucketmap.store;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Where each value format keeps an entry's record time, and what a malformed value gives. */
class WriteTimesTest {
    private final WriteTimes timestamped = new WriteTimes.Timestamped();
    private final WriteTimes headers = new WriteTimes.Headers();
    private final WriteTimes prefixed = new WriteTimes.Prefixed(() -> 42L);

    @Test
    void aTimestampedValueCarriesItsTimeInItsFirstEightBytes() {
        byte[] value = ByteBuffer.allocate(12).putLong(1_234L).putInt(7).array();

        assertThat(timestamped.ofStored(value)).isEqualTo(1_234L);
        assertThat(timestamped.ofWritten(value)).isEqualTo(1_234L);
        assertThat(timestamped.ofRestored(value, 99L)).as("the value's time, not the record's").isEqualTo(1_234L);
        assertThat(timestamped.toStored(value, 1_234L)).isSameAs(value);
        assertThat(timestamped.toCaller(value)).isSameAs(value);
    }

    @Test
    void aValueTooShortOrWithANegativeTimestampHasNoKnownTime() {
        assertThat(timestamped.ofStored(new byte[7])).isEqualTo(WriteTimes.UNKNOWN);
        assertThat(timestamped.ofStored(ByteBuffer.allocate(8).putLong(-1L).array())).isEqualTo(WriteTimes.UNKNOWN);
    }

    @Test
    void aValueWithHeadersCarriesItsTimeAfterThem() {
        byte[] headerBytes = new byte[200];
        assertThat(headers.ofStored(withHeaders(headerBytes, 5_000L))).isEqualTo(5_000L);
        assertThat(headers.ofStored(withHeaders(new byte[0], 6_000L))).isEqualTo(6_000L);
    }

    @Test
    void aMalformedHeadersSizeGivesNoKnownTime() {
        assertThat(headers.ofStored(new byte[0])).isEqualTo(WriteTimes.UNKNOWN);
        assertThat(headers.ofStored(new byte[]{(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 1}))
                .as("a varint longer than five bytes").isEqualTo(WriteTimes.UNKNOWN);
        assertThat(headers.ofStored(new byte[]{1, 0, 0, 0, 0, 0, 0, 0, 0}))
                .as("a negative size (zig-zag 1 is -1)").isEqualTo(WriteTimes.UNKNOWN);
        assertThat(headers.ofStored(new byte[]{(byte) 0xFE, 0x01, 0, 0}))
                .as("headers larger than the value").isEqualTo(WriteTimes.UNKNOWN);
    }

    @Test
    void aPlainValueGetsTheRecordTimeInFrontAndLosesItOnTheWayOut() {
        byte[] value = "plain".getBytes(StandardCharsets.UTF_8);

        long written = prefixed.ofWritten(value);
        byte[] stored = prefixed.toStored(value, written);

        assertThat(written).as("the record's timestamp").isEqualTo(42L);
        assertThat(prefixed.ofStored(stored)).isEqualTo(42L);
        assertThat(prefixed.toCaller(stored)).isEqualTo(value);
        assertThat(prefixed.ofRestored(value, 77L)).as("the changelog record's timestamp").isEqualTo(77L);
        assertThat(prefixed.ofRestored(value, -1L)).as("a restore without timestamps")
                .isEqualTo(WriteTimes.UNKNOWN);
        assertThat(prefixed.changesValues()).isTrue();
        assertThat(timestamped.changesValues()).isFalse();
    }

    /** {@code [zig-zag varint size][headers][8-byte timestamp][value]}. */
    private static byte[] withHeaders(byte[] headerBytes, long timestamp) {
        int zigZag = headerBytes.length << 1;
        ByteBuffer buffer = ByteBuffer.allocate(5 + headerBytes.length + 8 + 3);
        while ((zigZag & ~0x7F) != 0) {
            buffer.put((byte) (zigZag & 0x7F | 0x80));
            zigZag >>>= 7;
        }
        buffer.put((byte) zigZag).put(headerBytes).putLong(timestamp).put(new byte[]{1, 2, 3});
        byte[] value = new byte[buffer.position()];
        buffer.flip().get(value);
        return value;
    }
}
