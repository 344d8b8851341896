package io.bucketmap.examples.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketmap.store.BucketMapStores;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class TimestampOrderTest {

    private static final long IDLE = 1_000;

    private final KeyValueStore<Bytes, byte[]> buffer = buffer(suppliers());
    private final TimestampOrder order = new TimestampOrder(buffer, IDLE);
    private final List<String> released = new ArrayList<>();
    private long offset;

    @Test
    void aRecordWaitsUntilTheOtherInputHasPassedItsTimestamp() {
        add(InputKind.EVENT, 100, "e1");
        add(InputKind.DECISION, 99, "d1");
        assertThat(released).containsExactly("DECISION d1@99");

        add(InputKind.DECISION, 100, "d2");

        assertThat(released).containsExactly("DECISION d1@99", "EVENT e1@100");
    }

    @Test
    void atEqualTimestampsEventsGoFirstAndADecisionWaitsForTheEventsInputToPassIt() {
        add(InputKind.DECISION, 100, "d1");
        add(InputKind.EVENT, 100, "e1");
        assertThat(released).containsExactly("EVENT e1@100");

        add(InputKind.EVENT, 101, "e2");

        assertThat(released).containsExactly("EVENT e1@100", "DECISION d1@100");
    }

    @Test
    void recordsLeaveInTimestampOrderWhateverOrderTheyCameIn() {
        add(InputKind.EVENT, 10, "e10");
        add(InputKind.EVENT, 30, "e30");
        add(InputKind.EVENT, 50, "e50");
        add(InputKind.DECISION, 20, "d20");
        add(InputKind.DECISION, 40, "d40");
        add(InputKind.DECISION, 60, "d60");
        add(InputKind.EVENT, 70, "e70");

        assertThat(released).containsExactly("EVENT e10@10", "DECISION d20@20", "EVENT e30@30", "DECISION d40@40",
            "EVENT e50@50", "DECISION d60@60");
        assertThat(buffer.approximateNumEntries()).isEqualTo(1);
    }

    @Test
    void anInputThatNeverSentARecordHoldsTheOtherBackUntilItIsIdle() {
        add(InputKind.EVENT, 100, "e1");
        order.onWallClock(0);
        order.onWallClock(1);
        order.onWallClock(IDLE);
        order.release(this::record);
        assertThat(released).isEmpty();

        order.onWallClock(IDLE + 1);
        order.release(this::record);

        assertThat(released).containsExactly("EVENT e1@100");
    }

    @Test
    void anIdleInputIsWaitedForAgainFromItsNextRecord() {
        add(InputKind.EVENT, 10, "e0");
        add(InputKind.DECISION, 50, "d1");
        order.onWallClock(0);
        order.onWallClock(1);
        order.onWallClock(1 + IDLE);
        order.release(this::record);
        add(InputKind.DECISION, 60, "d2");

        add(InputKind.EVENT, 100, "e1");

        assertThat(released).containsExactly("EVENT e0@10", "DECISION d1@50", "DECISION d2@60");
    }

    @Test
    void whileBothInputsAreIdleTheLatestTimestampRunsOnWithTheWallClock() {
        add(InputKind.EVENT, 100, "e1");
        add(InputKind.DECISION, 200, "d1");
        assertThat(order.idleExpiryTime()).isEmpty();
        order.onWallClock(0);
        order.onWallClock(10);

        order.onWallClock(10 + IDLE);
        assertThat(order.idleExpiryTime()).hasValue(200 + IDLE);
        order.onWallClock(10 + 5 * IDLE);
        assertThat(order.idleExpiryTime()).hasValue(200 + 5 * IDLE);
    }

    @Test
    void aHashOrderBucketMapStoreIsRefusedForTheBuffer() {
        assertThatThrownBy(() -> TimestampOrder.storeBuilder(BucketMapStores::hashOrderKeyValueStore))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be an ordered store");
    }

    private void add(InputKind kind, long timestamp, String id) {
        order.add(kind, timestamp, offset++, id, id.getBytes(StandardCharsets.UTF_8));
        order.release(this::record);
    }

    private void record(InputKind kind, long timestamp, String id, byte[] value) {
        assertThat(new String(value, StandardCharsets.UTF_8)).isEqualTo(id);
        released.add(kind + " " + id + "@" + timestamp);
    }

    /** The store the buffer is made of: the ordered bucket-map store here. */
    Function<String, KeyValueBytesStoreSupplier> suppliers() {
        return BucketMapStores::keyValueStore;
    }

    private static KeyValueStore<Bytes, byte[]> buffer(Function<String, KeyValueBytesStoreSupplier> suppliers) {
        KeyValueStore<Bytes, byte[]> store = TimestampOrder.storeBuilder(suppliers).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }
}
