package com.example.shop;

import io.bucketmap.store.BucketMapStores;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;

import java.util.function.Function;

/** Counts orders per customer (DSL) in a bucket-map store called {@value #STORE}. */
public final class OrderCounts {
    public static final String STORE = "order-counts";

    private OrderCounts() {
    }

    /** The topology on the ordered in-memory bucket-map store. */
    public static Topology topology() {
        return topology(BucketMapStores::keyValueStore);
    }

    /** The topology on the store that {@code stores} supplies, e.g. {@code BucketMapStores::persistentKeyValueStore}. */
    public static Topology topology(Function<String, KeyValueBytesStoreSupplier> stores) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("orders", Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey()
                .count(Materialized.<String, Long>as(stores.apply(STORE))
                        .withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.Long()))
                .toStream()
                .to("order-counts", Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }
}
