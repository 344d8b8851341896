package io.bucketmap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The sweep of {@link ScanDeleteBenchmark} and the put-back of {@link DeletedEntries}, on every contender. */
class PunctuatorSweepTest {
    private static final int SIZE = 10_000;

    private final FilledStore filled = new FilledStore();

    @AfterEach
    void close() {
        filled.close();
    }

    @ParameterizedTest
    @EnumSource(Contender.class)
    void aSweepWalksEveryEntryOnceAndDeletesExactlyOneInTen(Contender contender) {
        fill(contender);
        DeletedEntries deleted = new DeletedEntries();

        int walked = filled.store.scanDeleting(DeletedEntries.EVERY_NTH, deleted);

        assertThat(walked).isEqualTo(SIZE);
        assertThat(filled.store.scanDeleting(Integer.MAX_VALUE, (key, value) -> { }))
                .isEqualTo(SIZE - SIZE / DeletedEntries.EVERY_NTH);
    }

    @ParameterizedTest
    @EnumSource(Contender.class)
    void puttingBackTheDeletedEntriesLeavesEveryKeyWithItsValueAgain(Contender contender) {
        fill(contender);
        DeletedEntries deleted = new DeletedEntries();
        filled.store.scanDeleting(DeletedEntries.EVERY_NTH, deleted);

        deleted.putBack(filled);

        for (int i = 0; i < SIZE; i++) {
            long id = FilledStore.storedId(i);
            assertThat(filled.store.get(RiskEvents.key(id))).isEqualTo(RiskEvents.value(id));
        }
        assertThat(filled.store.scanDeleting(DeletedEntries.EVERY_NTH, deleted)).isEqualTo(SIZE);
    }

    @ParameterizedTest
    @EnumSource(names = {"BUCKETMAP_STORE_ORDERED", "HASHMAP"})
    void aPutBackAfterASweepThatDeletedTheWrongNumberFails(Contender contender) {
        fill(contender);
        DeletedEntries deleted = new DeletedEntries();
        filled.store.scanDeleting(DeletedEntries.EVERY_NTH * 2, deleted);

        assertThatThrownBy(() -> deleted.putBack(filled)).isInstanceOf(IllegalStateException.class);
    }

    private void fill(Contender contender) {
        filled.contender = contender;
        filled.size = SIZE;
        filled.fill();
    }
}
