package io.bucketmap.examples.risk.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketmap.examples.risk.EvictionVariant;
import io.bucketmap.examples.risk.ExpiryClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExampleOptionsTest {

    @Test
    void noArgumentsGiveAnEmbeddedBrokerRunOfFifteenSecondsOnTheBucketMapStore() {
        ExampleOptions options = ExampleOptions.parse();

        assertThat(options.bootstrapServers()).isNull();
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(options.variant()).isEqualTo(EvictionVariant.DEADLINE_INDEX);
        assertThat(options.store()).isEqualTo(ExampleStore.BUCKETMAP);
        assertThat(options.clock()).isEqualTo(ExpiryClock.eventTime(Duration.ofMinutes(10)));
    }

    @Test
    void everyOptionIsParsed() {
        ExampleOptions options = ExampleOptions.parse("--bootstrap-servers", "127.0.0.1:9092", "--rate", "10",
            "--decision-ratio", "0.5", "--decision-delay-ms", "7", "--timeout-ms", "8", "--duration-s", "9",
            "--malformed", "0", "--duplicates", "3", "--partitions", "2", "--variant", "scan", "--store", "in-memory",
            "--idle-fallback-ms", "11");

        assertThat(options).isEqualTo(new ExampleOptions("127.0.0.1:9092", 10, 0.5, Duration.ofMillis(7),
            Duration.ofMillis(8), Duration.ofSeconds(9), 0, 3, 2, EvictionVariant.STORE_SCAN, ExampleStore.IN_MEMORY,
            ExpiryClock.eventTime(Duration.ofMillis(11))));
    }

    @Test
    void wallClockDeadlinesAreAnOption() {
        assertThat(ExampleOptions.parse("--clock", "wall-clock").clock()).isEqualTo(ExpiryClock.wallClock());
        assertThatThrownBy(() -> ExampleOptions.parse("--clock", "sundial"))
            .hasMessageContaining("--clock must be event-time or wall-clock");
    }

    @Test
    void everyStoreHasAnOption() {
        assertThat(ExampleOptions.parse("--store", "bucketmap-persistent").store())
            .isEqualTo(ExampleStore.BUCKETMAP_PERSISTENT);
        assertThat(ExampleOptions.parse("--store", "RocksDB").store()).isEqualTo(ExampleStore.ROCKSDB);
        assertThatThrownBy(() -> ExampleOptions.parse("--store", "redis"))
            .hasMessageContaining("--store must be one of bucketmap|bucketmap-persistent|in-memory|rocksdb");
    }

    @Test
    void badValuesAreRejectedNamingTheOption() {
        assertThatThrownBy(() -> ExampleOptions.parse("--rate", "0")).hasMessageContaining("--rate");
        assertThatThrownBy(() -> ExampleOptions.parse("--decision-ratio", "1.5")).hasMessageContaining("--decision-ratio");
        assertThatThrownBy(() -> ExampleOptions.parse("--variant", "fast")).hasMessageContaining("--variant");
        assertThatThrownBy(() -> ExampleOptions.parse("--timeout-ms")).hasMessageContaining("missing value");
        assertThatThrownBy(() -> ExampleOptions.parse("--timeout-ms", "0")).hasMessageContaining("--timeout-ms");
        assertThatThrownBy(() -> ExampleOptions.parse("--idle-fallback-ms", "0"))
            .hasMessageContaining("--idle-fallback-ms");
        assertThatThrownBy(() -> ExampleOptions.parse("--colour", "red")).hasMessageContaining("unknown option");
    }
}
