package io.bucketmap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The changelog of {@link RestoreRate} reaches every Kafka Streams contender's store through its restore callback. */
class RestoreCapturingContextTest {
    private static final int RECORDS = 10_000;

    @ParameterizedTest
    @EnumSource(names = {"BUCKETMAP_STORE_ORDERED", "BUCKETMAP_STORE_HASH", "BUCKETMAP_STORE_PERSISTENT",
        "IN_MEMORY_STORE", "ROCKSDB_STORE"})
    void restoringTheChangelogLeavesExactlyTheLiveKeysWithTheirValues(Contender contender) {
        try (KafkaBenchStore store = KafkaBenchStore.open(contender.storeSupplier("restored"))) {
            RestoreRate.changelog(RECORDS).forEach(store::restore);

            for (long id = 0; id < RECORDS; id++) {
                assertThat(store.get(RiskEvents.key(id)))
                        .as("event %d", id)
                        .isEqualTo(RestoreRate.isLive(id) ? RiskEvents.value(id) : null);
            }
        }
    }

    @Test
    void everyKafkaStoreContenderIsCoveredAbove() {
        assertThat(List.of(Contender.values()).stream().filter(Contender::isKafkaStore))
                .containsExactly(Contender.BUCKETMAP_STORE_ORDERED, Contender.BUCKETMAP_STORE_HASH,
                        Contender.BUCKETMAP_STORE_PERSISTENT, Contender.IN_MEMORY_STORE, Contender.ROCKSDB_STORE);
    }

    @Test
    void restoringBeforeAnyStoreRegisteredFails() {
        RestoreCapturingContext context =
                new RestoreCapturingContext(new MockProcessorContext<>().getStateStoreContext());
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("changelog", 0, 0L, 0L,
                TimestampType.CREATE_TIME, 1, 1, new byte[] {1}, new byte[] {2}, new RecordHeaders(), Optional.empty());

        assertThatThrownBy(() -> context.restore(List.of(record))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aChangelogIsMadeOfWholeBatchesOnly() {
        assertThatThrownBy(() -> RestoreRate.changelog(RestoreRate.BATCH_SIZE + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
