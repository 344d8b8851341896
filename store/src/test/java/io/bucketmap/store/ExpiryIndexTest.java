package io.bucketmap.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The expiry index: keys by the slot of their deadline, handed out once every deadline of their slot has passed. */
class ExpiryIndexTest {
    private static final long WIDTH = 100;

    @Test
    void aSlotIsDueOnlyOnceItsLastDeadlineHasPassed() {
        ExpiryIndex index = new ExpiryIndex(WIDTH);
        index.add(bytes("a"), 150);

        assertThat(index.pollDue(198)).isNull();
        assertThat(index.pollDue(199)).isEqualTo(bytes("a"));
        assertThat(index.pollDue(10_000)).isNull();
    }

    @Test
    void dueSlotsHandOutTheirKeysOldestSlotFirstInFilingOrderWithin() {
        ExpiryIndex index = new ExpiryIndex(WIDTH);
        index.add(bytes("late"), 250);
        index.add(bytes("early-2"), 120);
        index.add(bytes("early-1"), 110);
        index.add(bytes("not due"), 400);

        assertThat(index.size()).isEqualTo(4);
        assertThat(index.pollDue(399)).isEqualTo(bytes("early-2"));
        assertThat(index.pollDue(399)).isEqualTo(bytes("early-1"));
        assertThat(index.pollDue(399)).isEqualTo(bytes("late"));
        assertThat(index.pollDue(399)).isNull();
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void aKeyFiledToASlotBeingHandedOutComesOutOfItToo() {
        ExpiryIndex index = new ExpiryIndex(WIDTH);
        index.add(bytes("a"), 10);
        index.add(bytes("b"), 20);
        assertThat(index.pollDue(500)).isEqualTo(bytes("a"));

        index.add(bytes("c"), 30);

        assertThat(index.pollDue(500)).isEqualTo(bytes("b"));
        assertThat(index.pollDue(500)).isEqualTo(bytes("c"));
        index.add(bytes("d"), 40);
        assertThat(index.pollDue(500)).as("a slot emptied and removed is made again").isEqualTo(bytes("d"));
    }

    @Test
    void deadlinesAtTheEndsOfTimeHaveSlots() {
        ExpiryIndex index = new ExpiryIndex(WIDTH);
        index.add(bytes("max"), Long.MAX_VALUE - 1);
        index.add(bytes("min"), Long.MIN_VALUE);

        assertThat(index.pollDue(Long.MIN_VALUE + WIDTH)).isEqualTo(bytes("min"));
        assertThat(index.pollDue(Long.MAX_VALUE - 2)).isNull();
        assertThat(index.pollDue(Long.MAX_VALUE)).isEqualTo(bytes("max"));
    }

    @Test
    void twoDeadlinesShareASlotWhenTheyFallIntoOneWidth() {
        ExpiryIndex index = new ExpiryIndex(WIDTH);

        assertThat(index.sameSlot(100, 199)).isTrue();
        assertThat(index.sameSlot(199, 200)).isFalse();
        assertThat(index.sameSlot(-1, 0)).isFalse();
        assertThatThrownBy(() -> new ExpiryIndex(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
