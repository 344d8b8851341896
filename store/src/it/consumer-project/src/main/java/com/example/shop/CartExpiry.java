package com.example.shop;

import io.bucketmap.store.BucketMapStores;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;

/**
 * Keeps the last activity time of each cart in a bucket-map store called {@value #STORE}; a wall-clock punctuator walks
 * the whole store with {@code all()} and deletes, while iterating, every cart idle for longer than {@link #IDLE},
 * sending its id to "abandoned-carts".
 */
public final class CartExpiry {
    public static final String STORE = "carts";
    public static final Duration IDLE = Duration.ofMinutes(30);

    private CartExpiry() {
    }

    public static Topology topology() {
        Topology topology = new Topology();
        topology.addSource("cart-events", Serdes.String().deserializer(), Serdes.String().deserializer(), "cart-events");
        topology.addProcessor("expiry", CartProcessor::new, "cart-events");
        topology.addStateStore(
                Stores.keyValueStoreBuilder(BucketMapStores.keyValueStore("carts"), Serdes.String(), Serdes.Long()),
                "expiry");
        topology.addSink("abandoned", "abandoned-carts", Serdes.String().serializer(), Serdes.Long().serializer(),
                "expiry");
        return topology;
    }

    private static final class CartProcessor implements Processor<String, String, String, Long> {
        private ProcessorContext<String, Long> context;
        private KeyValueStore<String, Long> carts;

        @Override
        public void init(ProcessorContext<String, Long> context) {
            this.context = context;
            this.carts = context.getStateStore(STORE);
            context.schedule(Duration.ofMinutes(1), PunctuationType.WALL_CLOCK_TIME, this::removeIdleCarts);
        }

        @Override
        public void process(Record<String, String> event) {
            carts.put(event.key(), event.timestamp());
        }

        private void removeIdleCarts(long now) {
            try (KeyValueIterator<String, Long> all = carts.all()) {
                while (all.hasNext()) {
                    KeyValue<String, Long> cart = all.next();
                    if (now - cart.value > IDLE.toMillis()) {
                        carts.delete(cart.key); // through the store the processor got: the changelog records it
                        context.forward(new Record<>(cart.key, cart.value, now));
                    }
                }
            }
        }
    }
}
