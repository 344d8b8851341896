package com.example.shop;

import io.bucketmap.store.BucketMapStores;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's Troubleshooting: a hash-order store under Kafka's caching layer refuses to iterate, naming the fix. */
class MisuseTest {

    @Test
    void aCachedHashOrderStoreRefusesToIterateWithTheMessageTheReadmeShows() {
        Topology topology = new Topology();
        topology.addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(), "in");
        topology.addProcessor("p", SessionScanner::new, "in");
        topology.addStateStore(Stores.keyValueStoreBuilder(
                BucketMapStores.hashOrderKeyValueStore("sessions"), Serdes.String(), Serdes.String())
                .withCachingEnabled(), "p");

        try (TopologyTestDriver driver = new TopologyTestDriver(topology, OrderCountsTest.config())) {
            StreamsException failure = assertThrows(StreamsException.class, () -> driver
                    .createInputTopic("in", new StringSerializer(), new StringSerializer()).pipeInput("k", "v"));

            UnsupportedOperationException refusal = assertInstanceOf(UnsupportedOperationException.class,
                    failure.getCause());
            assertEquals("Store sessions is a hash-order bucket-map store under Kafka's caching layer, which merges"
                    + " its cache with the store's iterators assuming both are sorted: range, all and prefix scans"
                    + " would return duplicates and stale values. Build the store with caching disabled, or use the"
                    + " ordered BucketMapStores.keyValueStore. get, put and delete work either way.",
                    refusal.getMessage());
        }
    }

    @Test
    void aHashOrderStoreWithoutCachingServesADslCount() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("orders", Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey()
                .count(Materialized.<String, Long>as(BucketMapStores.hashOrderKeyValueStore("counts"))
                        .withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.Long())
                        .withCachingDisabled());

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), OrderCountsTest.config())) {
            driver.createInputTopic("orders", new StringSerializer(), new StringSerializer()).pipeInput("alice", "o1");

            try (KeyValueIterator<String, ?> all = driver.<String, Long>getTimestampedKeyValueStore("counts").all()) {
                assertTrue(all.hasNext());
                assertEquals("alice", all.next().key);
            }
        }
    }

    private static final class SessionScanner implements Processor<String, String, Void, Void> {
        private KeyValueStore<String, String> sessions;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            sessions = context.getStateStore("sessions");
        }

        @Override
        public void process(Record<String, String> record) {
            sessions.put(record.key(), record.value());
            try (KeyValueIterator<String, String> all = sessions.all()) {
                all.hasNext();
            }
        }
    }
}
