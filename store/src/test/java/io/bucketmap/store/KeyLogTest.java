package io.bucketmap.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The first-in first-out log of keys that the expiry index keeps per slot. */
class KeyLogTest {

    @Test
    void keysComeOutInTheOrderTheyWentInAcrossChunks() {
        KeyLog log = new KeyLog();
        for (int i = 0; i < 10_000; i++) {
            log.append(bytes("key-" + i));
        }

        assertThat(log.size()).isEqualTo(10_000);
        for (int i = 0; i < 10_000; i++) {
            assertThat(log.poll()).isEqualTo(bytes("key-" + i));
        }
        assertThat(log.poll()).isNull();
        assertThat(log.size()).isZero();
    }

    @Test
    void anEmptyKeyAndAKeyLargerThanAChunkGoThrough() {
        KeyLog log = new KeyLog();
        byte[] large = new byte[KeyLog.LARGEST_CHUNK * 3 + 7];
        new Random(1).nextBytes(large);
        log.append(new byte[0]);
        log.append(large);
        log.append(new byte[]{0});

        assertThat(log.poll()).isEmpty();
        assertThat(log.poll()).isEqualTo(large);
        assertThat(log.poll()).containsExactly(0);
        assertThat(log.poll()).isNull();
    }

    @Test
    void appendsAndPollsInterleavedKeepTheOrder() {
        KeyLog log = new KeyLog();
        ArrayDeque<byte[]> model = new ArrayDeque<>();
        Random random = new Random(7);
        for (int step = 0; step < 50_000; step++) {
            if (random.nextInt(3) > 0) {
                byte[] key = new byte[random.nextInt(300)];
                random.nextBytes(key);
                log.append(key);
                model.addLast(key);
            } else {
                assertThat(log.poll()).isEqualTo(model.pollFirst());
            }
            assertThat(log.size()).isEqualTo(model.size());
        }
    }

    @Test
    void aPolledKeyIsACopyTheLogNoLongerTouches() {
        KeyLog log = new KeyLog();
        byte[] key = bytes("k");
        log.append(key);
        key[0] = 'x';
        log.append(bytes("next"));

        byte[] polled = log.poll();
        assertThat(polled).isEqualTo(bytes("k"));
        polled[0] = 'y';
        assertThat(log.poll()).isEqualTo(bytes("next"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
