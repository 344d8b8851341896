package io.bucketmap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketmap.examples.risk.EvictionVariant;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link EvictionAtScale}'s workload on {@link PendingEntries}, at 10,000 entries: what each punctuation leaves
 * pending. No timings are asserted.
 */
class EvictionAtScaleTest {
    private static final int ENTRIES = 10_000;
    private static final int PUNCTUATIONS = 3;

    static Stream<Arguments> variantsAndContenders() {
        return Arrays.stream(EvictionVariant.values()).flatMap(variant -> PendingEntries.CONTENDERS.stream()
            .map(contender -> Arguments.of(variant, contender)));
    }

    @ParameterizedTest
    @MethodSource("variantsAndContenders")
    void afterEachPunctuationExactlyTheEntriesNotYetDueArePending(EvictionVariant variant, Contender contender) {
        int step = EvictionAtScale.expiredPerPunctuation(ENTRIES);
        try (PendingEntries pending = PendingEntries.open(variant, contender)) {
            EvictionAtScale.add(pending, 0, ENTRIES);
            for (int punctuation = 1; punctuation <= PUNCTUATIONS; punctuation++) {
                EvictionAtScale.expireDue(pending, ENTRIES, punctuation);
                EvictionAtScale.addNext(pending, ENTRIES, punctuation);

                long firstPending = (long) punctuation * step;
                List<String> expected = new ArrayList<>();
                for (long sequence = firstPending; sequence < firstPending + ENTRIES; sequence++) {
                    expected.add(entry(EvictionAtScale.id(sequence), sequence, EvictionAtScale.value(sequence)));
                }
                assertThat(contents(pending)).containsExactlyInAnyOrderElementsOf(expected);
            }
        }
    }

    @Test
    void bothVariantsLeaveIdenticalPendingStores() {
        assertThat(pendingAfterPunctuations(EvictionVariant.STORE_SCAN))
            .isEqualTo(pendingAfterPunctuations(EvictionVariant.DEADLINE_INDEX));
    }

    private static List<String> pendingAfterPunctuations(EvictionVariant variant) {
        try (PendingEntries pending = PendingEntries.open(variant, Contender.BUCKETMAP_STORE_ORDERED)) {
            EvictionAtScale.add(pending, 0, ENTRIES);
            for (int punctuation = 1; punctuation <= PUNCTUATIONS; punctuation++) {
                EvictionAtScale.expireDue(pending, ENTRIES, punctuation);
                EvictionAtScale.addNext(pending, ENTRIES, punctuation);
            }
            return contents(pending);
        }
    }

    /** The pending store's entries, in its iteration order, each as one comparable string. */
    private static List<String> contents(PendingEntries pending) {
        List<String> entries = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = pending.pendingStore().all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> entry = all.next();
                entries.add(entry.key + "=" + Bytes.wrap(entry.value));
            }
        }
        return entries;
    }

    private static String entry(byte[] id, long deadline, byte[] value) {
        byte[] stored = ByteBuffer.allocate(Long.BYTES + value.length).putLong(deadline).put(value).array();
        return Bytes.wrap(id) + "=" + Bytes.wrap(stored);
    }
}
