package com.example.shop;

import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CartExpiryTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void thePunctuatorDeletesIdleCartsWhileIteratingAllAndTheChangelogRecordsTheDeletes() {
        try (TopologyTestDriver driver = new TopologyTestDriver(CartExpiry.topology(), OrderCountsTest.config(), START)) {
            TestInputTopic<String, String> events = driver.createInputTopic(
                    "cart-events", new StringSerializer(), new StringSerializer());
            for (int i = 0; i < 2_000; i++) {
                // even carts idle since START, odd carts active 20 minutes later
                events.pipeInput("cart-" + i, "add", START.plus(Duration.ofMinutes(i % 2 == 0 ? 0 : 20)));
            }

            driver.advanceWallClockTime(Duration.ofMinutes(31)); // the wall clock started at START

            KeyValueStore<String, Long> carts = driver.getKeyValueStore(CartExpiry.STORE);
            assertEquals(1_000, carts.approximateNumEntries());
            assertNull(carts.get("cart-0"));
            assertEquals(START.plus(Duration.ofMinutes(20)).toEpochMilli(), carts.get("cart-1"));

            TestOutputTopic<String, Long> abandoned = driver.createOutputTopic(
                    "abandoned-carts", new StringDeserializer(), new LongDeserializer());
            Set<String> abandonedIds = new HashSet<>();
            for (KeyValue<String, Long> cart : abandoned.readKeyValuesToList()) {
                assertTrue(abandonedIds.add(cart.key), "abandoned twice: " + cart.key);
            }
            assertEquals(1_000, abandonedIds.size());

            TestOutputTopic<String, Long> changelog = driver.createOutputTopic(
                    "shop-carts-changelog", new StringDeserializer(), new LongDeserializer());
            List<TestRecord<String, Long>> logged = changelog.readRecordsToList();
            assertEquals(1_000, logged.stream().filter(record -> record.value() == null).count());
        }
    }
}
