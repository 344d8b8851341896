package io.bucketmap.store;

import org.apache.kafka.streams.processor.ProcessorContext;
import org.apache.kafka.streams.processor.StateStoreContext;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Where an expiring store finds the record time of each entry's last write, per value format:
 * <ul>
 *   <li>{@link ValueFormat#TIMESTAMPED}: the value's leading 8-byte timestamp, the one the DSL writes (for an
 *       aggregation, the largest timestamp of the records it aggregated);</li>
 *   <li>{@link ValueFormat#HEADERS}: the 8-byte timestamp after the value's varint-sized headers;</li>
 *   <li>{@link ValueFormat#PLAIN}: a plain value has no timestamp, so the store keeps the timestamp of the record being
 *       processed ({@code ProcessorContext.timestamp()}, the one Kafka's change-logging layer gives the changelog
 *       record) in 8 bytes in front of the value, and restoration takes it from the changelog record.</li>
 * </ul>
 * A timestamp that cannot be read (a value too short or malformed) or is negative (Kafka's "no timestamp", as in values
 * converted from a plain store) is {@link #UNKNOWN}: such an entry never expires until it is written again.
 *
 * <p>Why the timestamp in the value and not the wall-clock time of the write: the changelog keeps exactly these
 * timestamps, so a restore finds every entry's record time again and decides as the first run did. Costs: O(1) per
 * value (headers: a varint read); a plain store copies each value once on write and once on read. Stateless apart from
 * the context; any thread.
 */
abstract sealed class WriteTimes {
    /** An unknown record time: the entry never expires ({@link TimeToLive#deadline}). */
    static final long UNKNOWN = -1;
    /** Reads and writes a big-endian long at any offset of a byte array in one access. */
    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);

    /** The record times of {@code format}'s values; a plain store reads the record timestamp from {@code context}. */
    static WriteTimes of(ValueFormat format, StateStoreContext context) {
        return switch (format) {
            case TIMESTAMPED -> new Timestamped();
            case HEADERS -> new Headers();
            case PLAIN -> new Prefixed(recordTimestamps(context));
        };
    }

    /** The record time of a value as the store holds it. */
    abstract long ofStored(byte[] stored);

    /** The record time of a value that processing writes now. */
    abstract long ofWritten(byte[] value);

    /**
     * The record time of a value restored from a changelog record with {@code recordTimestamp}
     * ({@code ConsumerRecord.NO_TIMESTAMP} if the restoring context gives none).
     */
    abstract long ofRestored(byte[] value, long recordTimestamp);

    /** What the store holds for {@code value} written at {@code writeTime}. */
    abstract byte[] toStored(byte[] value, long writeTime);

    /** What readers get for the {@code stored} bytes. */
    abstract byte[] toCaller(byte[] stored);

    /** Whether the store holds other bytes than its callers write (then its local copy must not be shared). */
    abstract boolean changesValues();

    /** Reads {@code ProcessorContext.timestamp()} where the context offers it (Kafka Streams' contexts do). */
    private static LongSupplier recordTimestamps(StateStoreContext context) {
        if (context instanceof ProcessorContext processorContext) {
            return processorContext::timestamp;
        }
        return () -> UNKNOWN;
    }

    /** A big-endian long at {@code offset}, or {@link #UNKNOWN} if it does not fit or is negative. */
    static long timestampAt(byte[] value, int offset) {
        if (offset < 0 || value.length - offset < Long.BYTES) {
            return UNKNOWN;
        }
        long timestamp = (long) BIG_ENDIAN_LONG.get(value, offset);
        return timestamp < 0 ? UNKNOWN : timestamp;
    }

    /** A format whose values carry their record time: the store holds them as written and reads the time in them. */
    abstract static sealed class CarriedInValue extends WriteTimes {
        @Override
        final long ofWritten(byte[] value) {
            return ofStored(value);
        }

        @Override
        final long ofRestored(byte[] value, long recordTimestamp) {
            return ofStored(value);
        }

        @Override
        final byte[] toStored(byte[] value, long writeTime) {
            return value;
        }

        @Override
        final byte[] toCaller(byte[] stored) {
            return stored;
        }

        @Override
        final boolean changesValues() {
            return false;
        }
    }

    /** {@code [8-byte timestamp][value]}. */
    static final class Timestamped extends CarriedInValue {
        @Override
        long ofStored(byte[] stored) {
            return timestampAt(stored, 0);
        }
    }

    /** {@code [varint headers size][headers][8-byte timestamp][value]}, the size a zig-zag varint as Kafka writes it. */
    static final class Headers extends CarriedInValue {
        @Override
        long ofStored(byte[] stored) {
            return timestampAt(stored, timestampOffset(stored));
        }

        /** Where the timestamp starts: after the varint and the headers; -1 if the varint is malformed or negative. */
        private static int timestampOffset(byte[] value) {
            int raw = 0;
            int shift = 0;
            for (int i = 0; i < value.length && i < 5; i++) {
                int next = value[i];
                raw |= (next & 0x7F) << shift;
                if ((next & 0x80) == 0) {
                    int headersSize = (raw >>> 1) ^ -(raw & 1);
                    return headersSize < 0 || headersSize > value.length ? -1 : i + 1 + headersSize;
                }
                shift += 7;
            }
            return -1;
        }
    }

    /** {@code [8-byte record timestamp][value]}, the timestamp added by the store in front of a plain value. */
    static final class Prefixed extends WriteTimes {
        private final LongSupplier recordTimestamp;

        Prefixed(LongSupplier recordTimestamp) {
            this.recordTimestamp = recordTimestamp;
        }

        @Override
        long ofStored(byte[] stored) {
            return timestampAt(stored, 0);
        }

        @Override
        long ofWritten(byte[] value) {
            long timestamp = recordTimestamp.getAsLong();
            return timestamp < 0 ? UNKNOWN : timestamp;
        }

        @Override
        long ofRestored(byte[] value, long recordTimestamp) {
            return recordTimestamp < 0 ? UNKNOWN : recordTimestamp;
        }

        @Override
        byte[] toStored(byte[] value, long writeTime) {
            byte[] stored = new byte[Long.BYTES + value.length];
            BIG_ENDIAN_LONG.set(stored, 0, writeTime);
            System.arraycopy(value, 0, stored, Long.BYTES, value.length);
            return stored;
        }

        @Override
        byte[] toCaller(byte[] stored) {
            // a local copy's file could hold anything: a value too short for the prefix is handed over as it is
            return stored.length < Long.BYTES ? stored : Arrays.copyOfRange(stored, Long.BYTES, stored.length);
        }

        @Override
        boolean changesValues() {
            return true;
        }
    }
}
