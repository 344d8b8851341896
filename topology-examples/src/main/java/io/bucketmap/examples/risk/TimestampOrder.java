package io.bucketmap.examples.risk;

import io.bucketmap.store.BucketMapStoreSupplier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Puts one task's valid input records back into timestamp order before the rules see them, so that every outcome
 * follows from the records' timestamps alone, whatever order the two inputs were processed in.
 *
 * <p>Kafka Streams hands a task the records of its partitions in timestamp order only as far as its fetches allow:
 * with {@code max.task.idle.ms} it waits a while for an input that has nothing buffered, then processes the other
 * one ahead ("enforced processing"), which on a busy machine is routine (measured in topology-examples/README.md,
 * "Deadlines"). So every valid record waits in a buffer store until
 * no record that sorts before it can still arrive, and records leave in (timestamp, input, offset) order: an input
 * whose latest timestamp is {@code t} can still send records stamped {@code t} or later, so a record stamped
 * {@code t} of the other input waits until this one has passed {@code t} (at equal timestamps events go first).
 *
 * <p>A silent input would hold everything back: once its latest timestamp has stood still for
 * {@code idleAfterMillis} of wall-clock time ({@link Standstill}), it is idle and not waited for until its next
 * record. When both inputs are idle, everything is released and {@link #idleExpiryTime} carries the latest timestamp
 * on with the wall clock. An input that is slow rather than silent for that long would be taken for idle, the one way
 * load can still change an outcome; so producers send clock records ({@link #advance}) to keep their time moving while
 * they have nothing else to send, and the fallback can be a last resort (ten minutes in the main job).
 *
 * <p>Buffer layout: key {@code [8-byte timestamp, sign bit flipped][1-byte input][8-byte offset]} (byte order is
 * release order; the offset in its partition is unique within one input of a task), value {@code [4-byte id
 * length][id, UTF-8][the record's value]}. The store is changelogged like the others, so under exactly-once a
 * record is either still in the input (its offset not committed) or in the buffer. The inputs' latest timestamps
 * are not stored: after a restart, records wait until each input has sent a record or is idle.
 *
 * <p>Cost per record: one put, one delete, and the start of an iteration over the releasable part of the buffer
 * (O(1) memory on this library's ordered store; Kafka's in-memory store copies the keys of that part). Stream thread
 * only.
 */
final class TimestampOrder {

    /** The buffer store's name. */
    static final String STORE = "risk-input-order";

    private static final InputKind[] KINDS = InputKind.values();
    private static final int KEY_BYTES = Long.BYTES + 1 + Long.BYTES;

    /** Receives released records, in release order. */
    interface Release {
        void released(InputKind kind, long timestamp, String id, byte[] value);
    }

    private final KeyValueStore<Bytes, byte[]> buffer;
    private final long idleAfterMillis;
    private final InputTime[] inputs = {new InputTime(), new InputTime()};

    /** One input's latest timestamp and whether it is idle. */
    private static final class InputTime {
        boolean seen;
        long latest;
        boolean idle;
        long stillFor;
        final Standstill standstill = new Standstill();
    }

    /**
     * @param buffer          the buffer store, connected to the processor
     * @param idleAfterMillis how long an input's latest timestamp must stand still before it is not waited for
     */
    TimestampOrder(KeyValueStore<Bytes, byte[]> buffer, long idleAfterMillis) {
        this.buffer = buffer;
        this.idleAfterMillis = idleAfterMillis;
    }

    /**
     * The buffer store's builder: changelogged, not cached.
     *
     * @throws IllegalArgumentException if {@code suppliers} makes a hash-order bucket-map store, whose iteration order
     *                                  is not key order
     */
    static StoreBuilder<KeyValueStore<Bytes, byte[]>> storeBuilder(
        Function<String, KeyValueBytesStoreSupplier> suppliers) {
        KeyValueBytesStoreSupplier supplier = suppliers.apply(STORE);
        if (supplier instanceof BucketMapStoreSupplier bucketMap && !bucketMap.isOrdered()) {
            throw new IllegalArgumentException("The input-order buffer " + STORE + " must be an ordered store: records"
                + " leave it in key order");
        }
        return Stores.keyValueStoreBuilder(supplier, Serdes.Bytes(), Serdes.ByteArray());
    }

    /** Buffers a valid record; it leaves at a later {@link #release}. */
    void add(InputKind kind, long timestamp, long offset, String id, byte[] value) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        byte[] key = ByteBuffer.allocate(KEY_BYTES).putLong(timestamp ^ Long.MIN_VALUE).put((byte) kind.ordinal())
            .putLong(offset).array();
        buffer.put(Bytes.wrap(key), ByteBuffer.allocate(Integer.BYTES + idBytes.length + value.length)
            .putInt(idBytes.length).put(idBytes).put(value).array());
        advance(kind, timestamp);
    }

    /** Moves an input's time to {@code timestamp} (if later) without a record: a clock record. */
    void advance(InputKind kind, long timestamp) {
        InputTime input = inputs[kind.ordinal()];
        input.latest = input.seen ? Math.max(input.latest, timestamp) : timestamp;
        input.seen = true;
        input.idle = false;
    }

    /**
     * The time no record still to come can be stamped before: the earliest latest timestamp of the inputs that are
     * not idle. Empty while an input that is not idle has sent nothing, or while both are idle (then see
     * {@link #idleExpiryTime}).
     */
    OptionalLong watermark() {
        long watermark = Long.MAX_VALUE;
        boolean waiting = false;
        for (InputTime input : inputs) {
            if (input.idle) {
                continue;
            }
            if (!input.seen) {
                return OptionalLong.empty();
            }
            watermark = Math.min(watermark, input.latest);
            waiting = true;
        }
        return waiting ? OptionalLong.of(watermark) : OptionalLong.empty();
    }

    /**
     * Hands every record that no later record can sort before to {@code release}, in order, each removed from the
     * buffer after it was handed over (if {@code release} throws, that record stays buffered).
     */
    void release(Release release) {
        OptionalLong last = lastReleasableTimestamp();
        if (last.isEmpty()) {
            return;
        }
        // Inclusive bound: the 8-byte key of the next millisecond sorts after every 17-byte key stamped up to last.
        Bytes to = last.getAsLong() == Long.MAX_VALUE ? null
            : Bytes.wrap(ByteBuffer.allocate(Long.BYTES).putLong((last.getAsLong() + 1) ^ Long.MIN_VALUE).array());
        try (KeyValueIterator<Bytes, byte[]> buffered = buffer.range(null, to)) {
            while (buffered.hasNext()) {
                KeyValue<Bytes, byte[]> entry = buffered.next();
                ByteBuffer key = ByteBuffer.wrap(entry.key.get());
                long timestamp = key.getLong() ^ Long.MIN_VALUE;
                InputKind kind = KINDS[key.get()];
                if (!releasable(timestamp, kind)) {
                    return;
                }
                ByteBuffer value = ByteBuffer.wrap(entry.value);
                byte[] id = new byte[value.getInt()];
                value.get(id);
                byte[] recordValue = new byte[value.remaining()];
                value.get(recordValue);
                release.released(kind, timestamp, new String(id, StandardCharsets.UTF_8), recordValue);
                buffer.delete(entry.key);
            }
        }
    }

    /** Updates which inputs are idle; call from a wall-clock punctuation, then {@link #release}. */
    void onWallClock(long wallClockTime) {
        for (InputTime input : inputs) {
            input.stillFor = input.standstill.observe(input.seen ? input.latest : Long.MIN_VALUE, wallClockTime);
            input.idle = input.stillFor >= idleAfterMillis;
        }
    }

    /**
     * While both inputs are idle: the latest timestamp of either, plus the wall-clock time since the later of the two
     * was first found standing still, saturating at {@code Long.MAX_VALUE}. Empty while an input is not idle or
     * before any record.
     */
    OptionalLong idleExpiryTime() {
        long latest = Long.MIN_VALUE;
        long stillFor = Long.MAX_VALUE;
        boolean seen = false;
        for (InputTime input : inputs) {
            if (!input.idle) {
                return OptionalLong.empty();
            }
            if (input.seen) {
                latest = seen ? Math.max(latest, input.latest) : input.latest;
                seen = true;
            }
            stillFor = Math.min(stillFor, input.stillFor);
        }
        if (!seen) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(latest > Long.MAX_VALUE - stillFor ? Long.MAX_VALUE : latest + stillFor);
    }

    /**
     * The latest timestamp a buffered record may have and be releasable ({@code Long.MAX_VALUE}: any), or empty if none
     * is: bounds the range {@link #release} reads, so that a store that copies the keys of a range (Kafka's in-memory
     * store) copies only those.
     */
    private OptionalLong lastReleasableTimestamp() {
        long last = Long.MIN_VALUE;
        boolean any = false;
        for (InputKind kind : KINDS) {
            InputTime other = inputs[1 - kind.ordinal()];
            if (other.idle) {
                return OptionalLong.of(Long.MAX_VALUE);
            }
            if (other.seen) {
                // An event may share the other input's latest timestamp, a decision must be before it.
                long bound = kind == InputKind.EVENT ? other.latest : other.latest - 1;
                if (kind == InputKind.EVENT || other.latest != Long.MIN_VALUE) {
                    last = any ? Math.max(last, bound) : bound;
                    any = true;
                }
            }
        }
        return any ? OptionalLong.of(last) : OptionalLong.empty();
    }

    /**
     * Whether no record still to come can sort before {@code (timestamp, kind)}: every other input is idle or past it
     * (an input at exactly {@code timestamp} is past it only if it is released after {@code kind} at equal
     * timestamps). The record's own input can only send records that sort after it.
     */
    private boolean releasable(long timestamp, InputKind kind) {
        for (InputKind other : KINDS) {
            InputTime input = inputs[other.ordinal()];
            if (other == kind || input.idle) {
                continue;
            }
            if (!input.seen || input.latest < timestamp
                || input.latest == timestamp && other.ordinal() < kind.ordinal()) {
                return false;
            }
        }
        return true;
    }
}
