package com.example.shop;

import io.bucketmap.store.BucketMapStores;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;

/** Counts orders per customer (DSL) in an ordered in-memory bucket-map store called {@value #STORE}. */
public final class OrderCounts {
    public static final String STORE = "order-counts";

    private OrderCounts() {
    }

    public static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("orders", Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey()
                .count(Materialized.<String, Long>as(BucketMapStores.keyValueStore("order-counts"))
                        .withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.Long()))
                .toStream()
                .to("order-counts", Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }
}
