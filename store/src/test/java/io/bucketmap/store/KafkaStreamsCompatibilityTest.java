package io.bucketmap.store;

import io.bucketmap.store.KafkaStreamsCompatibility.Feature;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What {@link KafkaStreamsCompatibility} finds on the Kafka Streams of the test classpath, which the compatibility
 * matrix swaps: the probes agree with the version table, and the store does without what this Kafka Streams lacks.
 */
class KafkaStreamsCompatibilityTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Feature.class)
    void eachProbeFindsItsFeatureExactlyOnTheVersionsTheTableGivesIt(Feature feature) {
        assertThat(feature.isPresent())
                .as("%s (since %s) on Kafka Streams %s", feature, feature.since(), KafkaStreamsCompatibility.version())
                .isEqualTo(KafkaStreamsCompatibility.runsAtLeast(feature.since()));
    }

    @Test
    void theVersionIsTheOneInTheNameOfTheKafkaStreamsJar() throws Exception {
        Path jar = Path.of(StateStore.class.getProtectionDomain().getCodeSource().getLocation().toURI());

        assertThat(jar.getFileName().toString())
                .isEqualTo("kafka-streams-" + KafkaStreamsCompatibility.version() + ".jar");
    }

    @Test
    void versionsCompareByTheirMajorAndMinorNumbers() {
        assertThat(KafkaStreamsCompatibility.isAtLeast("4.3.1", "4.3")).isTrue();
        assertThat(KafkaStreamsCompatibility.isAtLeast("4.4.0-rc1", "4.3")).isTrue();
        assertThat(KafkaStreamsCompatibility.isAtLeast("5.0.0", "4.4")).isTrue();
        assertThat(KafkaStreamsCompatibility.isAtLeast("4.10.0", "4.9")).isTrue();
        assertThat(KafkaStreamsCompatibility.isAtLeast("4.2.2", "4.3")).isFalse();
        assertThat(KafkaStreamsCompatibility.isAtLeast("3.9.1", "4.0")).isFalse();
    }

    @Test
    void aVersionThatDoesNotStartWithTwoNumbersIsRefused() {
        assertThatThrownBy(() -> KafkaStreamsCompatibility.isAtLeast("4", "4.3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4");
        assertThatThrownBy(() -> KafkaStreamsCompatibility.isAtLeast("4.3.1", "four.3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("four.3");
    }

    @Test
    @RequiresKafkaStreams(value = "4.0", before = "4.4")
    void theTransactionalSettingReadsAsOffOnAKafkaStreamsWithoutTransactionalStores() {
        BucketMapKeyValueStore store = (BucketMapKeyValueStore) BucketMapStores.keyValueStore("s").get();
        Properties config = new Properties();
        config.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "true");
        store.init(new RestoringContext(config), store);
        Bytes key = Bytes.wrap("a".getBytes(StandardCharsets.UTF_8));
        store.put(key, "1".getBytes(StandardCharsets.UTF_8));

        QueryResult<byte[]> result =
                store.query(KeyQuery.withKey(key), PositionBound.unbounded(), new QueryConfig(false));

        assertThat(result.isSuccess()).isTrue();
        assertThat(result.getResult()).asString(StandardCharsets.UTF_8).isEqualTo("1");
        assertThat(store.approximateNumUncommittedBytes()).isZero();
    }

    @Test
    @RequiresKafkaStreams(value = "4.0", before = "4.3")
    void theHeadersFactoriesFailNamingTheVersionTheyNeedAndTheVersionFound() {
        assertThatThrownBy(() -> BucketMapStores.timestampedKeyValueStoreWithHeaders("counts"))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("The bucket-map store counts of values with headers needs Kafka Streams 4.3 or newer"
                        + " (HeadersBytesStore was added in 4.3), but this application runs Kafka Streams "
                        + KafkaStreamsCompatibility.version() + ". Upgrade Kafka Streams to 4.3 or newer, or use"
                        + " BucketMapStores.timestampedKeyValueStore, which runs on 4.0 and newer.");
        assertThatThrownBy(() -> BucketMapStores.persistentTimestampedKeyValueStoreWithHeaders("counts"))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("needs Kafka Streams 4.3 or newer");
    }
}
