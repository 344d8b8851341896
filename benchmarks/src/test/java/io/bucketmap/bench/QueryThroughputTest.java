package io.bucketmap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;

/** {@link QueryThroughput} queries a Kafka Streams store while it is written and reports one row, never on a bare map. */
class QueryThroughputTest {

    @Test
    void countsWritesAndRangeQueriesOnATransactionalStore() throws InterruptedException {
        String[] row = QueryThroughput.measure(Contender.BUCKETMAP_STORE_ORDERED, true, IsolationLevel.READ_COMMITTED,
            QueryThroughput.Queries.RANGE, 2_000, 1, 1).split(",");
        String[] header = QueryThroughput.HEADER.split(",");

        assertThat(row).hasSameSizeAs(header);
        assertThat(row[0]).isEqualTo("BUCKETMAP_STORE_ORDERED");
        assertThat(row[3]).isEqualTo("RANGE");
        assertThat(row[7]).isEqualTo("OK");
        assertThat(Double.parseDouble(row[8])).as("writes/s").isPositive();
        assertThat(Double.parseDouble(row[9])).as("range queries/s").isPositive();
        assertThat(Double.parseDouble(row[10])).as("writer CPU ns per write").isPositive();
        assertThat(Double.parseDouble(row[11])).as("query CPU ns per query").isPositive();
    }

    @Test
    void aBareMapHasNoQueriesToMeasure() {
        assertThatThrownBy(() -> QueryThroughput.measure(Contender.HASHMAP, false, IsolationLevel.READ_UNCOMMITTED,
            QueryThroughput.Queries.KEY, 10, 1, 1)).isInstanceOf(UnsupportedOperationException.class);
    }
}
