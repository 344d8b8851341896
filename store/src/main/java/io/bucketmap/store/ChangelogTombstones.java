package io.bucketmap.store;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.Task;
import org.apache.kafka.streams.query.Position;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Writes the changelog tombstone of an entry that an expiring store removed by itself. The store sits below Kafka's
 * change-logging layer, which logs only the writes it passes down; without a tombstone the changelog would keep every
 * expired key forever (compaction keeps a key's last record) and every restore would read them again. Kafka's own
 * in-memory LRU store has the same need, and its change-logging layer meets it the same way: with the task context's
 * {@code logChange}.
 *
 * <p>This is the one use of Kafka Streams internals for expiry, kept here: {@link InternalProcessorContext}'s
 * {@code logChange}, {@code changelogFor} and {@code taskType}. {@code logChange} takes the record's headers from Kafka
 * Streams 4.3 on and not before, so it is called through a method handle found once per open. Under a context that is
 * not Kafka Streams' own (a hand-made one), with logging disabled, or where the method is missing, there is no
 * changelog to clean: {@link #NONE}.
 *
 * <p>When a tombstone may be written: only while the store's task is active and processing, from a write that a
 * processor makes, on the stream thread ({@link ExpiringData} calls {@link #write} from processing writes only). Not
 * from a commit: Kafka Streams commits a store after it has flushed the task's records and committed its offsets, so a
 * record sent then could land after another instance has taken the task over. Not while restoring: the task does not
 * own its changelog's producer then. Standby tasks never write: the active task's tombstones reach them.
 *
 * <p>Costs: a tombstone is a record sent through the task's producer, as the change-logging layer sends one per write.
 * Threads: {@link #owed} on the writer thread (stream or state-updater thread); {@link #write} on the stream thread.
 */
final class ChangelogTombstones {
    private static final Logger LOG = LoggerFactory.getLogger(ChangelogTombstones.class);

    /** No changelog to clean: removals are free. */
    static final ChangelogTombstones NONE = new ChangelogTombstones(null, null, null, false);

    private final InternalProcessorContext<?, ?> context;
    private final String storeName;
    private final MethodHandle logChange;
    private final boolean takesHeaders;

    private ChangelogTombstones(InternalProcessorContext<?, ?> context, String storeName, MethodHandle logChange,
                                boolean takesHeaders) {
        this.context = context;
        this.storeName = storeName;
        this.logChange = logChange;
        this.takesHeaders = takesHeaders;
    }

    /**
     * The tombstone writer of store {@code storeName} in {@code context}, or {@link #NONE} if the store has no changelog
     * this library can write to. O(1); the thread that initialises the store.
     */
    static ChangelogTombstones of(StateStoreContext context, String storeName) {
        if (!(context instanceof InternalProcessorContext<?, ?> internal)) {
            return NONE;
        }
        try {
            if (internal.changelogFor(storeName) == null) {
                return NONE; // logging disabled
            }
            internal.taskType(); // a context without a state manager (MockProcessorContext's) fails here
        } catch (RuntimeException e) {
            return NONE;
        }
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        try {
            return new ChangelogTombstones(internal, storeName, lookup.findVirtual(InternalProcessorContext.class,
                    "logChange", MethodType.methodType(void.class, String.class, Bytes.class, byte[].class, long.class,
                            Headers.class, Position.class)), true);
        } catch (NoSuchMethodException | IllegalAccessException withHeadersMissing) {
            try {
                return new ChangelogTombstones(internal, storeName, lookup.findVirtual(InternalProcessorContext.class,
                        "logChange", MethodType.methodType(void.class, String.class, Bytes.class, byte[].class,
                                long.class, Position.class)), false);
            } catch (NoSuchMethodException | IllegalAccessException e) {
                LOG.warn("Store {}: this Kafka Streams has no logChange this library knows; expired entries leave the"
                        + " store without a changelog tombstone", storeName, e);
                return NONE;
            }
        }
    }

    /**
     * Whether a removal must be followed by a tombstone: the store's task is active and logs to a changelog. Asked per
     * removal, since Kafka Streams may turn a standby task into an active one (and back) without reopening its stores.
     */
    boolean owed() {
        return context != null && context.taskType() == Task.TaskType.ACTIVE;
    }

    /**
     * Sends the tombstone of {@code key} with record time {@code timestamp} and the store's {@code position} (Kafka
     * adds it as the consistency header when IQ consistency is on). Stream thread, from a processing write only.
     *
     * @throws StreamsException if sending fails as Kafka's own changelog writes fail (the exception is Kafka's)
     */
    void write(byte[] key, long timestamp, Position position) {
        try {
            if (takesHeaders) {
                logChange.invoke(context, storeName, Bytes.wrap(key), (byte[]) null, timestamp,
                        (Headers) new RecordHeaders(), position);
            } else {
                logChange.invoke(context, storeName, Bytes.wrap(key), (byte[]) null, timestamp, position);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new StreamsException("Store " + storeName + " could not write the tombstone of an expired entry", e);
        }
    }
}
