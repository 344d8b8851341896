package io.bucketmap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The ranges and prefixes of {@link RangeScanBenchmark} find the entries they promise on every contender. */
class ScanBoundsTest {
    private static final int SIZE = 20_000;

    private final FilledStore filled = new FilledStore();

    @AfterEach
    void close() {
        filled.close();
    }

    @ParameterizedTest
    @EnumSource(value = Contender.class, names = "HASHMAP", mode = EnumSource.Mode.EXCLUDE)
    void everyRangeHoldsAThousandEntriesAndEveryPrefixFiveHundred(Contender contender) {
        fill(contender);
        ScanBounds bounds = new ScanBounds();
        bounds.draw(filled);

        for (int i = 0; i < 50; i++) {
            int index = bounds.next();
            assertThat(filled.store.range(bounds.from[index], bounds.to[index])).isEqualTo(ScanBounds.RANGE_KEYS);
            assertThat(filled.store.prefixScan(bounds.prefixes[index])).isEqualTo(ScanBounds.PREFIX_KEYS);
        }
    }

    @Test
    void hashMapHasNoRangesSoItsTrialFailsAtSetUp() {
        fill(Contender.HASHMAP);

        assertThatThrownBy(() -> new ScanBounds().draw(filled)).isInstanceOf(UnsupportedOperationException.class);
    }

    private void fill(Contender contender) {
        filled.contender = contender;
        filled.size = SIZE;
        filled.fill();
    }
}
