package io.bucketmap.store;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reported case (issue 24): a DSL {@code count()} materialized on {@link BucketMapStores#persistentKeyValueStore},
 * queried with an IQv2 {@code RangeQuery}. Kafka's builder puts its
 * {@code KeyValueToTimestampedKeyValueByteStoreAdapter} around a plain persistent store, and that adapter casts a
 * range query's iterator to Kafka's own iterator type.
 */
@RequiresKafkaStreams("4.3")
class PersistentPlainStoreRangeQueryTest {

    @Test
    void aDslCountOnThePersistentPlainStoreAnswersAnUnboundedRangeQuery(@TempDir Path stateDir) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("orders", Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey()
                .count(Materialized.<String, Long>as(BucketMapStores.persistentKeyValueStore("order-counts")));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "order-counts");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), config)) {
            TestInputTopic<String, String> orders =
                    driver.createInputTopic("orders", new StringSerializer(), new StringSerializer());
            orders.pipeInput("alice", "book");
            orders.pipeInput("bob", "pen");
            orders.pipeInput("alice", "lamp");

            QueryResult<KeyValueIterator<String, Long>> result = driver.getTimestampedKeyValueStore("order-counts")
                    .query(RangeQuery.<String, Long>withNoBounds(), PositionBound.unbounded(), new QueryConfig(false));

            assertThat(result.isSuccess()).as("%s", result).isTrue();
            List<KeyValue<String, Long>> rows = new ArrayList<>();
            try (KeyValueIterator<String, Long> iterator = result.getResult()) {
                iterator.forEachRemaining(rows::add);
            }
            assertThat(rows).containsExactly(KeyValue.pair("alice", 2L), KeyValue.pair("bob", 1L));
        }
    }
}
