package io.bucketmap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link PersistenceCost} runs on the Kafka Streams stores and reports one row per contender, never on a bare map. */
class PersistenceCostTest {

    @ParameterizedTest
    @EnumSource(names = {"BUCKETMAP_STORE_ORDERED", "BUCKETMAP_STORE_PERSISTENT"})
    void measuresPutsAndCommitsOnAStore(Contender contender) {
        String[] row = PersistenceCost.measure(contender, 5_000, 500).split(",");
        String[] header = PersistenceCost.HEADER.split(",");

        assertThat(row).hasSameSizeAs(header);
        assertThat(row[0]).isEqualTo(contender.name());
        assertThat(row[1]).isEqualTo("5000");
        assertThat(row[2]).isEqualTo("500");
        assertThat(Double.parseDouble(row[5])).as("median commit ms").isNotNegative();
    }

    @Test
    void aBareMapHasNoCommitToMeasure() {
        assertThatThrownBy(() -> PersistenceCost.measure(Contender.HASHMAP, 10, 1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no commit");
    }
}
